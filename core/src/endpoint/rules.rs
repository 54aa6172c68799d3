//! An interpreter for the Smithy endpoint rules language (`endpoint-rule-set-1.json`).
//!
//! The rule set is walked as parsed JSON: rules are tried in order; a rule applies
//! when all its conditions are truthy (neither `false` nor unset); a `tree` rule
//! descends, an `endpoint` rule yields a URL, an `error` rule yields its message.
//! Each rule sees its own copy of the variables `assign` binds, as the spec requires.
//!
//! Supported functions: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, `aws.partition`.
//! Values are `serde_json::Value`, with `Null` standing for "unset".

use super::partition::PartitionTable;
use serde_json::{Map, Value};
use std::collections::HashMap;

type Scope = HashMap<String, Value>;

/// Why a rule set gave no endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// An `error` rule matched; the text is the rule set's own message.
    Rule(String),
    /// The rule set is malformed, uses something unsupported, or no rule matched.
    Invalid(String),
    /// A table the rules read (the partitions) could not be loaded; the text says which.
    Data(String),
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Invalid(msg.into()))
}

/// A parsed rule set: its parameter declarations and its top-level rules.
#[derive(Debug)]
pub(crate) struct RuleSet {
    parameters: Map<String, Value>,
    rules: Vec<Value>,
}

impl RuleSet {
    pub(crate) fn from_json(text: &str) -> Result<Self, String> {
        let mut doc: Value = serde_json::from_str(text).map_err(|e| format!("rule set: {e}"))?;
        // Taken out of the document, not cloned: this runs in the first client's construction.
        let Some(Value::Object(parameters)) = doc.get_mut("parameters").map(Value::take) else {
            return Err("rule set: no `parameters` object".into());
        };
        let Some(Value::Array(rules)) = doc.get_mut("rules").map(Value::take) else {
            return Err("rule set: no `rules` array".into());
        };
        Ok(RuleSet { parameters, rules })
    }

    /// The name of the parameter bound to an SDK built-in such as `AWS::Region`.
    pub(crate) fn parameter_for_builtin(&self, builtin: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(_, spec)| spec.get("builtIn").and_then(Value::as_str) == Some(builtin))
            .map(|(name, _)| name.as_str())
    }

    /// Evaluate the rules with the given parameter values (absent or `Null` = unset).
    /// Defaults are applied and required parameters checked first.
    pub(crate) fn evaluate(&self, mut params: Scope, partitions: &dyn PartitionTable) -> Result<String, Failure> {
        for (name, spec) in &self.parameters {
            let unset = params.get(name).is_none_or(Value::is_null);
            if unset {
                match spec.get("default") {
                    Some(default) => {
                        params.insert(name.clone(), default.clone());
                    }
                    None if spec.get("required").and_then(Value::as_bool) == Some(true) => {
                        return invalid(format!("missing required parameter {name}"));
                    }
                    None => {
                        params.insert(name.clone(), Value::Null);
                    }
                }
            }
        }
        let engine = Engine { partitions };
        match engine.eval_rules(&self.rules, &params)? {
            Some(url) => Ok(url),
            None => invalid("no endpoint rule matched (rules exhausted)"),
        }
    }
}

struct Engine<'a> {
    partitions: &'a dyn PartitionTable,
}

impl Engine<'_> {
    /// The first applicable rule's result, or `None` if no rule applies.
    fn eval_rules(&self, rules: &[Value], scope: &Scope) -> Result<Option<String>, Failure> {
        for rule in rules {
            let mut scope = scope.clone();
            if let Some(url) = self.eval_rule(rule, &mut scope)? {
                return Ok(Some(url));
            }
        }
        Ok(None)
    }

    fn eval_rule(&self, rule: &Value, scope: &mut Scope) -> Result<Option<String>, Failure> {
        let conditions = match rule.get("conditions") {
            None => &[][..],
            Some(Value::Array(c)) => c.as_slice(),
            Some(_) => return invalid("rule `conditions` is not an array"),
        };
        for condition in conditions {
            if !truthy(&self.eval_condition(condition, scope)?) {
                return Ok(None);
            }
        }
        match rule.get("type").and_then(Value::as_str) {
            Some("tree") => match rule.get("rules") {
                Some(Value::Array(children)) => self.eval_rules(children, scope),
                _ => invalid("tree rule without `rules`"),
            },
            Some("endpoint") => {
                let url = rule
                    .get("endpoint")
                    .and_then(|e| e.get("url"))
                    .ok_or(Failure::Invalid("endpoint rule without `url`".into()))?;
                match self.eval_expr(url, scope)? {
                    Value::String(s) => Ok(Some(s)),
                    other => invalid(format!("endpoint url is not a string: {other}")),
                }
            }
            Some("error") => {
                let error = rule.get("error").ok_or(Failure::Invalid("error rule without `error`".into()))?;
                match self.eval_expr(error, scope)? {
                    Value::String(s) => Err(Failure::Rule(s)),
                    other => Err(Failure::Rule(other.to_string())),
                }
            }
            other => invalid(format!("unknown rule type {other:?}")),
        }
    }

    /// A condition is a function call, optionally binding its result with `assign`.
    fn eval_condition(&self, condition: &Value, scope: &mut Scope) -> Result<Value, Failure> {
        let result = self.eval_expr(condition, scope)?;
        if let Some(name) = condition.get("assign").and_then(Value::as_str) {
            if scope.contains_key(name) {
                return invalid(format!("`{name}` is already bound and cannot be reassigned"));
            }
            scope.insert(name.to_owned(), result.clone());
        }
        Ok(result)
    }

    fn eval_expr(&self, expr: &Value, scope: &Scope) -> Result<Value, Failure> {
        match expr {
            Value::Object(o) if o.contains_key("fn") => self.call(o, scope),
            Value::Object(o) => match o.get("ref").and_then(Value::as_str) {
                Some(name) => Ok(scope.get(name).cloned().unwrap_or(Value::Null)),
                None => invalid(format!("expression is neither a function nor a ref: {expr}")),
            },
            Value::String(s) => template(s, scope).map(Value::String),
            Value::Array(items) => {
                items.iter().map(|i| self.eval_expr(i, scope)).collect::<Result<Vec<_>, _>>().map(Value::Array)
            }
            literal => Ok(literal.clone()),
        }
    }

    fn call(&self, call: &Map<String, Value>, scope: &Scope) -> Result<Value, Failure> {
        let name = call.get("fn").and_then(Value::as_str).unwrap_or_default();
        let argv = match call.get("argv") {
            Some(Value::Array(a)) => a,
            _ => return invalid(format!("`{name}` has no argv array")),
        };
        let args = argv.iter().map(|a| self.eval_expr(a, scope)).collect::<Result<Vec<_>, _>>()?;
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                invalid(format!("`{name}` takes {n} argument(s), got {}", args.len()))
            }
        };
        match name {
            "isSet" => {
                arity(1)?;
                Ok(Value::Bool(!args[0].is_null()))
            }
            "not" => {
                arity(1)?;
                Ok(Value::Bool(!want_bool(name, &args[0])?))
            }
            "booleanEquals" => {
                arity(2)?;
                Ok(Value::Bool(want_bool(name, &args[0])? == want_bool(name, &args[1])?))
            }
            "stringEquals" => {
                arity(2)?;
                Ok(Value::Bool(want_str(name, &args[0])? == want_str(name, &args[1])?))
            }
            "getAttr" => {
                arity(2)?;
                get_attr(&args[0], want_str(name, &args[1])?)
            }
            "substring" => {
                arity(4)?;
                Ok(substring(&args[0], &args[1], &args[2], &args[3]))
            }
            "uriEncode" => {
                arity(1)?;
                Ok(match &args[0] {
                    Value::String(s) => Value::String(uri_encode(s)),
                    _ => Value::Null,
                })
            }
            "parseURL" => {
                arity(1)?;
                Ok(match &args[0] {
                    Value::String(s) => parse_url(s).unwrap_or(Value::Null),
                    _ => Value::Null,
                })
            }
            "isValidHostLabel" => {
                arity(2)?;
                let subdomains = want_bool(name, &args[1])?;
                Ok(Value::Bool(match &args[0] {
                    Value::String(s) => is_valid_host_label(s, subdomains),
                    _ => false,
                }))
            }
            "aws.partition" => {
                arity(1)?;
                Ok(match &args[0] {
                    Value::String(region) => {
                        self.partitions.table().map_err(Failure::Data)?.resolve(region).map_err(Failure::Invalid)?
                    }
                    _ => Value::Null,
                })
            }
            other => invalid(format!("unsupported endpoint rules function `{other}`")),
        }
    }
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
}

fn want_bool(func: &str, v: &Value) -> Result<bool, Failure> {
    v.as_bool().map_or_else(|| invalid(format!("`{func}` expects booleans, got {v}")), Ok)
}

fn want_str<'v>(func: &str, v: &'v Value) -> Result<&'v str, Failure> {
    v.as_str().map_or_else(|| invalid(format!("`{func}` expects strings, got {v}")), Ok)
}

/// `getAttr`: a path of `.`-separated names, the last part may end in `[index]`.
/// A missing attribute or an out-of-range index is unset, not an error.
pub(crate) fn get_attr(value: &Value, path: &str) -> Result<Value, Failure> {
    let mut current = value;
    for part in path.split('.') {
        let (name, index) = match part.strip_suffix(']').and_then(|p| p.split_once('[')) {
            Some((name, idx)) => match idx.parse::<usize>() {
                Ok(i) => (name, Some(i)),
                Err(_) => return invalid(format!("getAttr: bad index in `{path}`")),
            },
            None => (part, None),
        };
        if !name.is_empty() {
            match current.get(name) {
                Some(v) => current = v,
                None => return Ok(Value::Null),
            }
        }
        if let Some(i) = index {
            match current.get(i) {
                Some(v) => current = v,
                None => return Ok(Value::Null),
            }
        }
    }
    Ok(current.clone())
}

/// Expand a template string: `{Name}` or `{Name#path}` (a `getAttr` path) is replaced
/// by the variable's string value; `{{` and `}}` are literal braces.
pub(crate) fn template(text: &str, scope: &Scope) -> Result<String, Failure> {
    if !text.contains(['{', '}']) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(inner_and_more) = tail.strip_prefix('{') {
            let Some(end) = inner_and_more.find('}') else {
                return invalid(format!("unclosed `{{` in template `{text}`"));
            };
            let reference = &inner_and_more[..end];
            let (name, path) = match reference.split_once('#') {
                Some((n, p)) => (n, Some(p)),
                None => (reference, None),
            };
            let base = scope.get(name).cloned().unwrap_or(Value::Null);
            let value = match path {
                Some(p) => get_attr(&base, p)?,
                None => base,
            };
            match value {
                Value::String(s) => out.push_str(&s),
                Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                other => return invalid(format!("template `{{{reference}}}` is {other}")),
            }
            rest = &inner_and_more[end + 1..];
        } else {
            return invalid(format!("stray `}}` in template `{text}`"));
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `isValidHostLabel`: 1 to 63 letters, digits and `-`, not starting or ending with `-`
/// (RFC 1123); with `allow_subdomains`, each `.`-separated label must be one.
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return value.split('.').all(|l| is_valid_host_label(l, false));
    }
    let bytes = value.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

/// `parseURL`: an absolute http(s) URL with no query string becomes
/// `{scheme, authority, path, normalizedPath, isIp}`; anything else is unset.
pub(crate) fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if url.contains('?') || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = split_host_port(authority)?;
    let is_ip = host.parse::<std::net::Ipv4Addr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut out = Map::new();
    out.insert("scheme".into(), Value::String(scheme.into()));
    out.insert("authority".into(), Value::String(authority.into()));
    out.insert("path".into(), Value::String(path.into()));
    out.insert("normalizedPath".into(), Value::String(normalized));
    out.insert("isIp".into(), Value::Bool(is_ip));
    Some(Value::Object(out))
}

/// The host of an authority (`[userinfo@]host[:port]`), checking the port is a
/// number no larger than 65535. IPv6 hosts keep their brackets.
pub(crate) fn split_host_port(authority: &str) -> Option<&str> {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        let (host, after) = host_port.split_at(close + 1);
        match after {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':')?)),
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        port.parse::<u16>().ok()?;
    }
    (!host.is_empty()).then_some(host)
}

/// `substring(input, start, stop, reverse)`: ASCII-only input, `start..stop`
/// counted from the end when `reverse`; unset when out of range.
fn substring(input: &Value, start: &Value, stop: &Value, reverse: &Value) -> Value {
    let (Some(s), Some(start), Some(stop), Some(reverse)) =
        (input.as_str(), start.as_u64(), stop.as_u64(), reverse.as_bool())
    else {
        return Value::Null;
    };
    let (start, stop, len) = (start as usize, stop as usize, s.len());
    if !s.is_ascii() || start >= stop || stop > len {
        return Value::Null;
    }
    let range = if reverse { len - stop..len - start } else { start..stop };
    Value::String(s[range].to_owned())
}

/// `uriEncode`: percent-encode everything but RFC 3986 unreserved characters.
fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
