//! Values that follow the service model's shapes (`cognito_identity::model`),
//! so that most fuzz inputs get past the JSON parse and reach the rules.
//!
//! Each generated value comes with what the generator knows of its validity:
//! `Valid` when every choice stayed inside the model's constraints, `Invalid`
//! when one broke a constraint for sure (wrong type, length, range, size,
//! enum, unknown or missing member), `Unknown` when the generator cannot tell
//! (an arbitrary string against a pattern). The validator must agree with
//! every `Valid` and `Invalid` verdict: a differential oracle, not only "does
//! not panic".

use arbitrary::{Result, Unstructured};
use cognito_identity::model::{Kind, Member, Operation, SHAPES, ShapeId};
use cognito_identity::validate::java_to_rust;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every value generated for a sensitive shape starts with this, so that a
/// target can check that no message ever echoes one.
pub const SECRET_MARKER: &str = "s3cr3t-";

/// What the generator knows about a value it made. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Validity {
    Valid,
    Unknown,
    Invalid,
}

impl Validity {
    /// The verdict for a value made of two parts.
    pub fn and(self, other: Validity) -> Validity {
        self.max(other)
    }
}

/// A generator. `known` offers strings to reuse for shapes of a given name
/// (ids a server handed out), `stray` is how often (out of 16) a value gets
/// the wrong JSON type.
#[derive(Debug, Default)]
pub struct Gen {
    pub known: HashMap<&'static str, Vec<String>>,
    pub stray: u8,
    /// Every sensitive value generated so far.
    pub secrets: Vec<String>,
}

impl Gen {
    pub fn new(stray: u8) -> Self {
        Gen { stray, ..Gen::default() }
    }

    /// An input for `op`: a JSON object, except now and then.
    pub fn input(&mut self, u: &mut Unstructured<'_>, op: &Operation) -> Result<(Value, Validity)> {
        if self.stray > 0 && u.ratio(1, 64)? {
            let v = crate::json::any(u, 2)?;
            if !v.is_object() {
                return Ok((v, Validity::Invalid));
            }
        }
        match &op.input.shape().kind {
            Kind::Structure { members } => self.structure(u, members),
            _ => self.value(u, op.input),
        }
    }

    /// A value for the shape `id`.
    pub fn value(&mut self, u: &mut Unstructured<'_>, id: ShapeId) -> Result<(Value, Validity)> {
        let kind = &id.shape().kind;
        if self.stray > 0 && u.int_in_range(0..=15u8)? < self.stray {
            return Ok((wrong_type(u, kind)?, Validity::Invalid));
        }
        match kind {
            Kind::Structure { members } => self.structure(u, members),
            Kind::String { .. } => {
                let (s, v) = self.string(u, id)?;
                Ok((Value::String(s), v))
            }
            Kind::Integer { min, max } => integer(u, *min, *max),
            Kind::Boolean => Ok((Value::Bool(u.arbitrary()?), Validity::Valid)),
            Kind::Timestamp => {
                let v = if u.arbitrary()? {
                    Value::from(u.int_in_range(0..=4_102_444_800i64)?)
                } else {
                    serde_json::Number::from_f64(f64::from(u.arbitrary::<u32>()?) / 1000.0)
                        .map_or(Value::from(0), Value::Number)
                };
                Ok((v, Validity::Valid))
            }
            Kind::List { member, min, max } => {
                let n = size(u, *min, *max)?;
                let mut validity = size_validity(n, *min, *max);
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    let (v, val) = self.value(u, *member)?;
                    validity = validity.and(val);
                    items.push(v);
                }
                Ok((Value::Array(items), validity))
            }
            Kind::Map { key, value, min, max } => {
                let n = size(u, *min, *max)?;
                let mut validity = Validity::Valid;
                let mut map = Map::new();
                for _ in 0..n {
                    let (k, kv) = self.string(u, *key)?;
                    if map.contains_key(&k) {
                        continue;
                    }
                    let (v, vv) = self.value(u, *value)?;
                    validity = validity.and(kv).and(vv);
                    map.insert(k, v);
                }
                validity = validity.and(size_validity(map.len(), *min, *max));
                Ok((Value::Object(map), validity))
            }
        }
    }

    fn structure(&mut self, u: &mut Unstructured<'_>, members: &[Member]) -> Result<(Value, Validity)> {
        let mut map = Map::new();
        let mut validity = Validity::Valid;
        for m in members {
            let include = if m.required { !u.ratio(1, 32)? } else { u.arbitrary()? };
            if include {
                let (v, val) = self.value(u, m.shape)?;
                validity = validity.and(val);
                map.insert(m.name.to_owned(), v);
            } else if m.required {
                validity = Validity::Invalid;
            }
        }
        if self.stray > 0 && u.ratio(1, 16)? {
            let name: String = u.arbitrary()?;
            if !members.iter().any(|m| m.name == name) && !map.contains_key(&name) {
                map.insert(name, crate::json::any(u, 1)?);
                validity = Validity::Invalid;
            }
        }
        Ok((Value::Object(map), validity))
    }

    /// A string for a string shape (map keys too: they never stray in type).
    pub fn string(&mut self, u: &mut Unstructured<'_>, id: ShapeId) -> Result<(String, Validity)> {
        let shape = id.shape();
        let Kind::String { min, max, pattern, enums } = &shape.kind else {
            return Ok((u.arbitrary()?, Validity::Unknown));
        };
        let known = self.known.get(shape.name).filter(|k| !k.is_empty());
        let source = u.int_in_range(0..=7u8)?;
        let from_known = known.is_some() && source < 4 && !(!enums.is_empty() && source < 5);
        let (mut s, mut validity) = if !enums.is_empty() && source < 5 {
            ((*u.choose(enums)?).to_owned(), Validity::Valid)
        } else if let Some(known) = known.filter(|_| source < 4) {
            // Values a server handed out: most likely valid, but not ours to say.
            (u.choose(known)?.clone(), Validity::Unknown)
        } else if let Some(hir) = pattern_hir(id).filter(|_| source < 6) {
            let mut s = String::new();
            from_hir(u, hir, &mut s)?;
            (s, Validity::Valid)
        } else if pattern.is_none() && enums.is_empty() && source < 7 {
            let lo = min.unwrap_or(0);
            let hi = max.unwrap_or(lo + 24).min(lo + 24);
            let n = u.int_in_range(lo..=hi)?;
            let s: String = (0..n).map(|_| u.arbitrary::<char>()).collect::<Result<_>>()?;
            (s, Validity::Valid)
        } else {
            (
                u.arbitrary::<String>()?,
                if pattern.is_none() && enums.is_empty() { Validity::Valid } else { Validity::Unknown },
            )
        };
        if self.stray > 0 && u.ratio(1, 16)? {
            // Right at, or just past, a length bound.
            let target = match (u.int_in_range(0..=3u8)?, min, max) {
                (0, Some(m), _) => m.saturating_sub(1),
                (1, Some(m), _) => *m,
                (2, _, Some(m)) => *m,
                (_, _, Some(m)) => m + 1,
                _ => 0,
            };
            s = with_length(&s, usize::try_from(target).unwrap_or(0));
            if validity == Validity::Valid && (pattern.is_some() || !enums.is_empty()) {
                validity = Validity::Unknown;
            }
        }
        if shape.sensitive && !from_known {
            s = format!("{SECRET_MARKER}{s}");
            self.secrets.push(s.clone());
        }
        let n = s.chars().count() as u64;
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            validity = Validity::Invalid;
        }
        if !enums.is_empty() && !enums.contains(&s.as_str()) {
            validity = Validity::Invalid;
        }
        Ok((s, validity))
    }
}

/// `s` cut or padded (with its last character, else `a`) to `n` characters.
fn with_length(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    let pad = s.chars().last().unwrap_or('a');
    let have = out.chars().count();
    out.extend(std::iter::repeat_n(pad, n.saturating_sub(have)));
    out
}

fn integer(u: &mut Unstructured<'_>, min: Option<i64>, max: Option<i64>) -> Result<(Value, Validity)> {
    let pick = u.int_in_range(0..=7u8)?;
    Ok(match (pick, min, max) {
        (0, Some(m), _) if m > i64::MIN => (Value::from(m - 1), Validity::Invalid),
        (1, _, Some(m)) if m < i64::MAX => (Value::from(m + 1), Validity::Invalid),
        (2, _, _) => (Value::from(f64::from(u.arbitrary::<i16>()?) + 0.5), Validity::Invalid),
        (3, _, _) => (Value::from(u.int_in_range(i64::MAX as u64 + 1..=u64::MAX)?), Validity::Invalid),
        _ => {
            let lo = min.unwrap_or(-5);
            let hi = max.unwrap_or(lo.saturating_add(100));
            (Value::from(u.int_in_range(lo..=hi)?), Validity::Valid)
        }
    })
}

/// How many items a list or map gets: within its bounds mostly, sometimes
/// just outside them.
fn size(u: &mut Unstructured<'_>, min: Option<u64>, max: Option<u64>) -> Result<usize> {
    let lo = usize::try_from(min.unwrap_or(0)).unwrap_or(0);
    let top = max.and_then(|m| usize::try_from(m).ok());
    Ok(match (u.int_in_range(0..=7u8)?, top) {
        (0, _) if lo > 0 => lo - 1,
        (1, Some(m)) if m < 64 => m + 1,
        _ => {
            let hi = top.unwrap_or(lo + 3).min(lo + 4);
            u.int_in_range(lo..=hi)?
        }
    })
}

fn size_validity(n: usize, min: Option<u64>, max: Option<u64>) -> Validity {
    let n = n as u64;
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) { Validity::Invalid } else { Validity::Valid }
}

/// A JSON value of a type the shape does not accept.
fn wrong_type(u: &mut Unstructured<'_>, kind: &Kind) -> Result<Value> {
    let v = crate::json::any(u, 2)?;
    let accepted = match kind {
        Kind::Structure { .. } | Kind::Map { .. } => v.is_object(),
        Kind::String { .. } => v.is_string(),
        Kind::Integer { .. } => v.is_i64(),
        Kind::Boolean => v.is_boolean(),
        Kind::Timestamp => v.is_number(),
        Kind::List { .. } => v.is_array(),
    };
    Ok(if accepted { Value::Null } else { v })
}

/// The shape's pattern, parsed once, read as the validator reads it.
fn pattern_hir(id: ShapeId) -> Option<&'static Hir> {
    static PARSED: OnceLock<Vec<Option<Hir>>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        SHAPES
            .iter()
            .map(|s| match &s.kind {
                Kind::String { pattern: Some(p), .. } => regex_syntax::Parser::new().parse(&java_to_rust(p)).ok(),
                _ => None,
            })
            .collect()
    });
    all.get(usize::from(id.0)).and_then(Option::as_ref)
}

/// Appends a string that the regular expression `hir` matches.
fn from_hir(u: &mut Unstructured<'_>, hir: &Hir, out: &mut String) -> Result<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(Class::Unicode(class)) => {
            if let Some(r) = choose(u, class.ranges())? {
                let cp = u.int_in_range(u32::from(r.start())..=u32::from(r.end()))?;
                out.push(char::from_u32(cp).unwrap_or(r.start()));
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            if let Some(r) = choose(u, class.ranges())? {
                out.push(char::from(u.int_in_range(r.start()..=r.end())?));
            }
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(rep.min + 12).min(rep.min + 12);
            for _ in 0..u.int_in_range(rep.min..=max)? {
                from_hir(u, &rep.sub, out)?;
            }
        }
        HirKind::Capture(c) => from_hir(u, &c.sub, out)?,
        HirKind::Concat(parts) => {
            for p in parts {
                from_hir(u, p, out)?;
            }
        }
        HirKind::Alternation(alts) => {
            if let Some(a) = choose(u, alts)? {
                from_hir(u, a, out)?;
            }
        }
    }
    Ok(())
}

fn choose<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> Result<Option<&'a T>> {
    if items.is_empty() {
        return Ok(None);
    }
    Ok(items.get(u.choose_index(items.len())?))
}
