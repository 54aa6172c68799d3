//! The last requests seen, with secrets redacted, for tests to inspect.

use crate::faults::lock;
use serde_json::{Map, Value, json};
use std::collections::VecDeque;
use std::sync::Mutex;

/// How many requests are kept.
pub const CAPACITY: usize = 100;
/// The largest body kept in an entry; a larger one is logged as a note of its
/// size. With [`CAPACITY`] this bounds the log's memory (about 6.4 MiB).
pub const MAX_LOGGED_BODY: usize = 64 * 1024;

/// Headers whose values are replaced by a marker that only says they were there.
const SECRET_HEADERS: &[&str] = &["authorization", "x-amz-security-token"];
const REDACTED: &str = "<redacted>";

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<Value>>,
}

impl RequestLog {
    pub fn push(&self, entry: Value) {
        let mut entries = lock(&self.entries);
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Adds response facts to the newest entry with this request id.
    pub fn complete(&self, request_id: &str, status: u16, error_code: Option<&str>) {
        let mut entries = lock(&self.entries);
        if let Some(e) = entries.iter_mut().rev().find(|e| e["request_id"] == request_id) {
            e["status"] = json!(status);
            e["error_code"] = json!(error_code);
        }
    }

    pub fn len(&self) -> usize {
        lock(&self.entries).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn all(&self) -> Vec<Value> {
        lock(&self.entries).iter().cloned().collect()
    }

    pub fn clear(&self) {
        lock(&self.entries).clear();
    }
}

/// What the log says instead of a body over [`MAX_LOGGED_BODY`].
pub fn too_big_to_log(body: &[u8]) -> Option<Value> {
    (body.len() > MAX_LOGGED_BODY).then(|| Value::String(format!("<{} bytes, not logged>", body.len())))
}

/// A header list with secret values replaced.
pub fn redact_headers(headers: &http::HeaderMap) -> Value {
    let mut out = Map::new();
    for (name, value) in headers {
        let v = if SECRET_HEADERS.contains(&name.as_str()) {
            REDACTED.to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        match out.get_mut(name.as_str()) {
            Some(Value::String(prev)) => {
                prev.push_str(", ");
                prev.push_str(&v);
            }
            _ => {
                out.insert(name.as_str().to_owned(), Value::String(v));
            }
        }
    }
    Value::Object(out)
}

/// The body as JSON with every `Logins` token value replaced; a body that is
/// not JSON is kept as a string.
pub fn redact_body(body: &[u8]) -> Value {
    if let Some(note) = too_big_to_log(body) {
        return note;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            if let Some(Value::Object(logins)) = v.get_mut("Logins") {
                for token in logins.values_mut() {
                    *token = Value::String(REDACTED.to_owned());
                }
            }
            v
        }
        Err(_) => Value::String(String::from_utf8_lossy(body).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let body = redact_body(br#"{"IdentityPoolId":"p","Logins":{"graph.facebook.com":"tok"}}"#);
        assert_eq!(body["Logins"]["graph.facebook.com"], REDACTED);
        assert_eq!(body["IdentityPoolId"], "p");
        let mut h = http::HeaderMap::new();
        h.insert("authorization", http::HeaderValue::from_static("AWS4 secret"));
        h.insert("x-amz-target", http::HeaderValue::from_static("AWSCognitoIdentityService.GetId"));
        let v = redact_headers(&h);
        assert_eq!(v["authorization"], REDACTED);
        assert_eq!(v["x-amz-target"], "AWSCognitoIdentityService.GetId");
    }

    #[test]
    fn large_bodies_are_not_kept() {
        let big = vec![b' '; MAX_LOGGED_BODY + 1];
        assert_eq!(redact_body(&big), Value::String(format!("<{} bytes, not logged>", big.len())));
    }

    #[test]
    fn keeps_the_last_hundred() {
        let log = RequestLog::default();
        for i in 0..150 {
            log.push(json!({"i": i}));
        }
        let all = log.all();
        assert_eq!(all.len(), CAPACITY);
        assert_eq!(all[0]["i"], 50);
    }
}
