//! What a successful call returns: the output members plus
//! `ResponseMetadata`, as a JSON value (Rust, the async Python client) or as
//! JSON text (the C and Go front doors, which hand text on, and the blocking
//! Python client, which builds its objects from it).
//!
//! The text is usually the response body itself with `ResponseMetadata`
//! spliced in: no JSON value is built, walked, written and freed for it,
//! which is about a fifth of the core's own work on a small answer. The
//! splice is only taken when it gives the document the value path would
//! give (see [`splice`]); otherwise the text is written from the value.

use crate::error::Error;
use crate::model::ShapeId;
use crate::wire;
use http::HeaderMap;
use serde_json::{Map, Value, json};

/// Which form the caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Value,
    Text,
}

/// A successful call's result in the form asked for.
#[derive(Debug)]
pub(crate) enum Output {
    Value(Value),
    Text(String),
}

impl Output {
    /// The value (a `Text` output, never asked of the value paths, is parsed).
    pub fn into_value(self) -> Value {
        match self {
            Output::Value(v) => v,
            Output::Text(t) => serde_json::from_str(&t).unwrap_or_default(),
        }
    }

    /// The text (a `Value` output is written out).
    pub fn into_text(self) -> String {
        match self {
            Output::Value(v) => serde_json::to_string(&v).unwrap_or_default(),
            Output::Text(t) => t,
        }
    }
}

/// boto3's `ResponseMetadata` of one answer.
pub(crate) struct Metadata<'a> {
    /// The `x-amzn-requestid` header's text (`HeaderValue::to_str`).
    pub request_id: Option<&'a str>,
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub retry_attempts: u32,
}

impl Metadata<'_> {
    /// `HTTPHeaders`: each header once, in the order first seen, with its
    /// last value that is text (as collecting `(name, value)` pairs into a
    /// map does).
    fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        // `HeaderMap::iter` gives a name's values one after another, in the
        // order of first appearance: one pass, no lookup of each name again.
        let mut all = self.headers.iter().peekable();
        std::iter::from_fn(move || {
            loop {
                let (name, first) = all.next()?;
                let mut last = first.to_str().ok();
                while let Some((_, value)) = all.next_if(|(next, _)| *next == name) {
                    last = value.to_str().ok().or(last);
                }
                if let Some(last) = last {
                    return Some((name.as_str(), last));
                }
            }
        })
    }

    pub fn to_value(&self) -> Value {
        let headers: Map<String, Value> = self.headers().map(|(k, v)| (k.to_owned(), json!(v))).collect();
        let mut meta = Map::with_capacity(4);
        meta.insert("RequestId".into(), json!(self.request_id.unwrap_or_default()));
        meta.insert("HTTPStatusCode".into(), json!(self.status));
        meta.insert("HTTPHeaders".into(), Value::Object(headers));
        meta.insert("RetryAttempts".into(), json!(self.retry_attempts));
        Value::Object(meta)
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"RequestId\":");
        // The `x-amzn-requestid` header's text.
        push_header_value(out, self.request_id.unwrap_or_default());
        out.extend_from_slice(b",\"HTTPStatusCode\":");
        out.extend_from_slice(self.status.to_string().as_bytes());
        out.extend_from_slice(b",\"HTTPHeaders\":{");
        for (i, (k, v)) in self.headers().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_quoted(out, k);
            out.push(b':');
            push_header_value(out, v);
        }
        out.extend_from_slice(b"},\"RetryAttempts\":");
        out.extend_from_slice(self.retry_attempts.to_string().as_bytes());
        out.push(b'}');
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it.
fn push_str(out: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// A header value's text as a JSON string. serde_json escapes `"`, `\\` and
/// the bytes below 0x20 (of which `HeaderValue::to_str` lets only tab
/// through); they seldom occur: when none does, a copy between quotes. (A
/// fold over the bytes measured fewer instructions than `memchr3` on these
/// short texts.)
fn push_header_value(out: &mut Vec<u8>, s: &str) {
    if s.bytes().fold(false, |escape, b| escape | (b == b'"') | (b == b'\\') | (b < 0x20)) {
        push_str(out, s);
    } else {
        push_quoted(out, s);
    }
}

/// `s` between quotes, as it is: for texts with nothing to escape, such as
/// header names (lowercase token characters only).
fn push_quoted(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// The result of a 2xx answer with `body`, in `form`.
pub(crate) fn build(body: &[u8], shape: Option<ShapeId>, meta: &Metadata<'_>, form: Form) -> Result<Output, Error> {
    if form == Form::Text
        && let Some(text) = splice(body, meta)
    {
        return Ok(Output::Text(text));
    }
    let mut out = wire::parse_output(body)?;
    if let Some(shape) = shape {
        wire::drop_null_members(shape, &mut out);
    }
    out.insert("ResponseMetadata".into(), meta.to_value());
    let value = Value::Object(out);
    Ok(match form {
        Form::Value => Output::Value(value),
        // Writing a Value cannot fail (its map keys are strings).
        Form::Text => Output::Text(serde_json::to_string(&value).unwrap_or_default()),
    })
}

/// The body with `ResponseMetadata` added as its last member, when that is
/// exactly what the value path gives: the body is one UTF-8 JSON object
/// with no `null` anywhere (the value path drops null members), no `\u`
/// escape (the value path rejects lone surrogates, which a skipping parse
/// lets through) and no member of that name. Else `None`.
fn splice(body: &[u8], meta: &Metadata<'_>) -> Option<String> {
    let trimmed = body.trim_ascii();
    // An empty body is an output with no members.
    let inner = if trimmed.is_empty() { trimmed } else { trimmed.strip_prefix(b"{")?.strip_suffix(b"}")? };
    if holds_unspliceable(body) {
        return None;
    }
    std::str::from_utf8(body).ok()?;
    // Checks the whole syntax (strings, escapes, nesting, trailing bytes) without building anything.
    if !trimmed.is_empty() {
        serde_json::from_slice::<serde::de::IgnoredAny>(trimmed).ok()?;
    }
    let mut out = Vec::with_capacity(trimmed.len() + 256);
    out.push(b'{');
    out.extend_from_slice(inner);
    if !inner.trim_ascii().is_empty() {
        out.push(b',');
    }
    out.extend_from_slice(b"\"ResponseMetadata\":");
    meta.write(&mut out);
    out.push(b'}');
    String::from_utf8(out).ok()
}

/// Whether `body` holds any of the texts that rule the splice out (see
/// [`splice`]). The searchers are built once: building one cost more than
/// searching a small answer with it.
fn holds_unspliceable(body: &[u8]) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static FINDERS: LazyLock<[Finder<'static>; 3]> =
        LazyLock::new(|| [Finder::new(b"null"), Finder::new(b"\\u"), Finder::new(b"\"ResponseMetadata\"")]);
    FINDERS.iter().any(|f| f.find(body).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(headers: &HeaderMap) -> Metadata<'_> {
        Metadata { request_id: Some("rid"), status: 200, headers, retry_attempts: 1 }
    }

    fn both(body: &str) -> (Value, Option<Value>) {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/x-amz-json-1.1".parse().unwrap());
        headers.append("x-multi", "first".parse().unwrap());
        headers.append("x-multi", "se\"cond".parse().unwrap());
        headers.insert("date", http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap());
        let m = meta(&headers);
        let shape = crate::model::operation("ListIdentities").and_then(|op| op.output);
        let Output::Value(value) = build(body.as_bytes(), shape, &m, Form::Value).unwrap() else { panic!() };
        let spliced = splice(body.as_bytes(), &m).map(|t| serde_json::from_str::<Value>(&t).unwrap());
        let Output::Text(text) = build(body.as_bytes(), shape, &m, Form::Text).unwrap() else { panic!() };
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value, "{body}");
        (value, spliced)
    }

    #[test]
    fn the_spliced_text_is_the_value_paths_document() {
        for body in ["", "  ", "{}", " {\n} ", r#"{"IdentityPoolId":"us-east-1:x","Identities":[{"IdentityId":"a"}]}"#]
        {
            let (value, spliced) = both(body);
            assert_eq!(spliced.as_ref(), Some(&value), "{body}");
            assert_eq!(value["ResponseMetadata"]["HTTPHeaders"]["x-multi"], "se\"cond");
            assert!(value["ResponseMetadata"]["HTTPHeaders"].get("date").is_none(), "not text");
            assert_eq!(value["ResponseMetadata"]["RetryAttempts"], 1);
        }
    }

    #[test]
    fn header_text_is_escaped_as_serde_json_escapes_it() {
        for text in ["", "plain", "se\"cond", "back\\slash", "tab\there", "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}"] {
            let text = http::HeaderValue::from_str(text).unwrap();
            let text = text.to_str().unwrap();
            let mut out = Vec::new();
            push_header_value(&mut out, text);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(text).unwrap(), "{text:?}");
        }
        for name in ["content-type", "x-amzn-requestid", "x-!#$%&'*+-.^_`|~09az"] {
            let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
            let mut out = Vec::new();
            push_quoted(&mut out, name.as_str());
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(name.as_str()).unwrap(), "{name}");
        }
    }

    #[test]
    fn each_header_gives_its_last_text_value_in_order_of_first_appearance() {
        let mut headers = HeaderMap::new();
        headers.append("x-a", "1".parse().unwrap());
        headers.append("x-b", "only".parse().unwrap());
        headers.append("x-a", "2".parse().unwrap());
        headers.append("x-a", http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap());
        headers.append("x-c", http::HeaderValue::from_bytes(b"\xff").unwrap());
        headers.append("x-d", "last".parse().unwrap());
        let m = meta(&headers);
        let got: Vec<_> = m.headers().collect();
        assert_eq!(got, [("x-a", "2"), ("x-b", "only"), ("x-d", "last")]);
    }

    #[test]
    fn bodies_the_splice_would_get_wrong_take_the_value_path() {
        for body in [
            r#"{"NextToken":null,"Identities":[]}"#,
            r#"{"IdentityPoolId":"\u00e9"}"#,
            r#"{"ResponseMetadata":{"x":1}}"#,
        ] {
            let (value, spliced) = both(body);
            assert_eq!(spliced, None, "{body}");
            assert!(value["ResponseMetadata"]["RequestId"] == "rid");
        }
        let headers = HeaderMap::new();
        for bad in [&b"[1]"[..], b"{\"a\":", b"{\"a\":\"\xff\"}", b"{\"a\":\"\\ud800\"}", b"{\"a\":1} {\"b\":2}"] {
            assert!(splice(bad, &meta(&headers)).is_none());
        }
    }
}
