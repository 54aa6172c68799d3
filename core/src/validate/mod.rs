//! Input validation from the model, before anything is sent.
//!
//! Every rule of the model is checked (required and unknown members, JSON
//! types, lengths, patterns, enums, ranges, list and map sizes) and every
//! violation is reported, as botocore reports them, in one error. A value is
//! quoted only when its shape is not sensitive, and then cut short.

use crate::error::{Error, ErrorKind, codes};
use crate::model::{Kind, Operation, SHAPES, Shape, ShapeId};
use regex::Regex;
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Nesting deeper than any shape of the model can only be a mistake (or an attack).
const MAX_DEPTH: usize = 16;
const QUOTE_CHARS: usize = 64;

/// Checks `input` against the operation's input shape.
pub fn validate_input(op: &Operation, input: &Value) -> Result<(), Error> {
    let mut problems = Vec::new();
    if input.is_object() {
        check(op.input, input, &mut String::new(), 0, &mut problems);
    } else {
        problems.push(format!("the input must be a JSON object, not {}", type_name(input)));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut message = format!("Parameter validation failed for {}:", op.name);
    for p in &problems {
        let _ = write!(message, "\n{p}");
    }
    Err(Error::new(ErrorKind::Validation, codes::PARAM_VALIDATION, message))
}

fn check(id: ShapeId, value: &Value, path: &mut String, depth: usize, out: &mut Vec<String>) {
    let shape = id.shape();
    if depth > MAX_DEPTH {
        out.push(format!("{}: nested too deeply", shown(path)));
        return;
    }
    match (&shape.kind, value) {
        (Kind::Structure { members }, Value::Object(map)) => {
            for m in members.iter().filter(|m| m.required) {
                if !map.contains_key(m.name) {
                    out.push(format!("Missing required parameter: {}", join(path, m.name)));
                }
            }
            for (name, v) in map {
                let len = path.len();
                push_member(path, name);
                match members.iter().find(|m| m.name == name) {
                    Some(m) => check(m.shape, v, path, depth + 1, out),
                    None => {
                        let allowed: Vec<&str> = members.iter().map(|m| m.name).collect();
                        out.push(format!("Unknown parameter: {}, must be one of: {}", shown(path), allowed.join(", ")));
                    }
                }
                path.truncate(len);
            }
        }
        (Kind::String { min, max, pattern, enums }, Value::String(s)) => {
            let n = s.chars().count() as u64;
            if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
                out.push(format!(
                    "Invalid length for parameter {}{}, length: {n}, valid range: {}",
                    shown(path),
                    quote(shape, s),
                    range(*min, *max)
                ));
            }
            if !enums.is_empty() && !enums.contains(&s.as_str()) {
                out.push(format!(
                    "Invalid value for parameter {}{}, valid values: {}",
                    shown(path),
                    quote(shape, s),
                    enums.join(", ")
                ));
            }
            if let Some(p) = pattern
                && !pattern_for(id, p).is_match(s)
            {
                out.push(format!(
                    "Invalid value for parameter {}{}, must match pattern: {p}",
                    shown(path),
                    quote(shape, s)
                ));
            }
        }
        (Kind::Integer { min, max }, Value::Number(n)) => match n.as_i64() {
            Some(i) if min.is_some_and(|m| i < m) || max.is_some_and(|m| i > m) => out.push(format!(
                "Invalid value for parameter {}, value: {i}, valid range: {}",
                shown(path),
                range(*min, *max)
            )),
            Some(_) => {}
            None => out.push(format!(
                "Invalid type for parameter {}, value: {n}, type: non-integer number, valid types: integer",
                shown(path)
            )),
        },
        (Kind::Boolean, Value::Bool(_)) => {}
        (Kind::Timestamp, Value::Number(_)) => {}
        (Kind::List { member, min, max }, Value::Array(items)) => {
            check_size(path, items.len(), *min, *max, "length", out);
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                check(*member, item, path, depth + 1, out);
                path.truncate(len);
            }
        }
        (Kind::Map { key, value: vid, min, max }, Value::Object(map)) => {
            check_size(path, map.len(), *min, *max, "entries", out);
            for (k, v) in map {
                let len = path.len();
                let _ = write!(path, "[{}]", serde_json::Value::String(k.clone()));
                check(*key, &Value::String(k.clone()), &mut format!("{} (key)", path), depth + 1, out);
                check(*vid, v, path, depth + 1, out);
                path.truncate(len);
            }
        }
        (kind, v) => out.push(format!(
            "Invalid type for parameter {}, type: {}, valid types: {}",
            shown(path),
            type_name(v),
            expected(kind)
        )),
    }
}

/// A list's length or a map's entry count against the shape's bounds.
fn check_size(path: &str, n: usize, min: Option<u64>, max: Option<u64>, unit: &str, out: &mut Vec<String>) {
    let n = n as u64;
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        out.push(format!(
            "Invalid length for parameter {}, {unit}: {n}, valid range: {}",
            shown(path),
            range(min, max)
        ));
    }
}

fn push_member(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "(input)" } else { path }
}

fn quote(shape: &Shape, s: &str) -> String {
    if shape.sensitive {
        return ", value: (sensitive)".into();
    }
    let cut: String = s.chars().take(QUOTE_CHARS).collect();
    let more = if cut.len() < s.len() { "..." } else { "" };
    format!(", value: {}{more}", Value::String(cut))
}

fn range<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".into(),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Structure { .. } | Kind::Map { .. } => "object",
        Kind::String { .. } => "string",
        Kind::Integer { .. } => "integer",
        Kind::Boolean => "boolean",
        Kind::Timestamp => "number (epoch seconds)",
        Kind::List { .. } => "list",
    }
}

/// The model's patterns are Java regular expressions matched against the whole
/// value, where `\w`, `\d` and `\s` are ASCII classes; compiled once each.
fn pattern_for(id: ShapeId, pattern: &str) -> &'static Regex {
    static COMPILED: [OnceLock<Regex>; SHAPES.len()] = [const { OnceLock::new() }; SHAPES.len()];
    COMPILED[usize::from(id.0)].get_or_init(|| {
        let anchored = format!("^(?:{})$", java_to_rust(pattern));
        // The patterns are fixed data of the model, checked by a unit test.
        #[allow(clippy::expect_used)]
        Regex::new(&anchored).expect("model pattern compiles")
    })
}

/// A model pattern (Java regular-expression syntax, whose `\w`, `\d`, `\s`
/// are ASCII) in the `regex` crate's syntax. Public for the fuzz targets,
/// which generate strings from the same reading of the patterns.
#[doc(hidden)]
pub fn java_to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match next {
                    'w' => Some("[:word:]"),
                    'd' => Some("[:digit:]"),
                    's' => Some("[:space:]"),
                    'W' => Some("[:^word:]"),
                    'D' => Some("[:^digit:]"),
                    'S' => Some("[:^space:]"),
                    _ => None,
                };
                match class {
                    Some(c) if in_class => out.push_str(c),
                    Some(c) => {
                        out.push('[');
                        out.push_str(c);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
