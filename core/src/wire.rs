//! The awsJson1_1 wire format: reading answers and error documents.

use crate::error::{Error, ErrorKind, codes};
use crate::model::{Kind, ShapeId};
use serde_json::{Map, Value};

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Parses a 2xx body: a JSON object, or nothing (operations without output).
pub fn parse_output(body: &[u8]) -> Result<Map<String, Value>, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(invalid_body(format!("expected a JSON object, got {}", kind_of(&other)))),
        Err(e) => Err(invalid_body(format!("the body is not valid JSON ({e})")).with_source(e)),
    }
}

/// Removes structure members sent as `null` (some servers, moto among them,
/// send absent members so), as botocore's parser does: every front door then
/// sees an absent member the same way.
pub fn drop_null_members(shape: ShapeId, output: &mut Map<String, Value>) {
    if let Kind::Structure { members } = &shape.shape().kind {
        output.retain(|_, v| !v.is_null());
        for (k, v) in output.iter_mut() {
            if let Some(m) = members.iter().find(|m| m.name == k) {
                drop_nulls_in(m.shape, v);
            }
        }
    }
}

fn drop_nulls_in(shape: ShapeId, value: &mut Value) {
    match (&shape.shape().kind, value) {
        (Kind::Structure { .. }, Value::Object(map)) => drop_null_members(shape, map),
        (Kind::List { member, .. }, Value::Array(items)) => items.iter_mut().for_each(|v| drop_nulls_in(*member, v)),
        (Kind::Map { value: vid, .. }, Value::Object(map)) => map.values_mut().for_each(|v| drop_nulls_in(*vid, v)),
        _ => {}
    }
}

fn invalid_body(what: String) -> Error {
    Error::new(ErrorKind::InvalidResponse, codes::RESPONSE_PARSER, format!("Unable to parse the response: {what}"))
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Builds the error for a non-2xx answer. The code comes from the
/// `X-Amzn-Errortype` header, else the body's top-level `code`, else its
/// top-level `__type`; the message from `message`, `Message` or `errorMessage`.
/// A body that is not JSON still gives an error (named after the status).
pub fn parse_error(status: u16, error_type_header: Option<&str>, request_id: Option<String>, body: &[u8]) -> Error {
    let doc = serde_json::from_slice::<Value>(body).ok();
    let field = |name: &str| doc.as_ref().and_then(|d| d.get(name)).and_then(Value::as_str);
    let raw_code = error_type_header.filter(|h| !h.is_empty()).or_else(|| field("code")).or_else(|| field("__type"));
    let code = match raw_code.map(sanitize_code).filter(|c| !c.is_empty()) {
        Some(c) => c.to_owned(),
        None => status.to_string(),
    };
    let message = field("message")
        .or_else(|| field("Message"))
        .or_else(|| field("errorMessage"))
        .map(str::to_owned)
        .unwrap_or_else(|| reason(status).to_owned());
    Error::service(code, message, status, request_id)
}

/// `FooError`, `FooError:http://...`, `ns#FooError` and `ns#FooError:http://...` all mean `FooError`.
pub fn sanitize_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    before_colon.rsplit('#').next().unwrap_or(before_colon).trim()
}

fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_code_forms_mean_the_same_code() {
        for raw in [
            "FooError",
            "FooError:http://internal.amazon.com/",
            "aws.protocoltests#FooError",
            "aws.protocoltests#FooError:http://x/y",
        ] {
            assert_eq!(sanitize_code(raw), "FooError", "{raw}");
        }
    }

    #[test]
    fn header_beats_code_beats_type() {
        let body = br#"{"code": "FromCode", "__type": "ns#FromType", "message": "m"}"#;
        assert_eq!(parse_error(400, Some("ns#FromHeader:http://x"), None, body).code(), "FromHeader");
        assert_eq!(parse_error(400, None, None, body).code(), "FromCode");
        let body = br#"{"__type": "ns#FromType", "Message": "M"}"#;
        let e = parse_error(400, None, Some("rid".into()), body);
        assert_eq!((e.code(), e.message(), e.request_id(), e.http_status()), ("FromType", "M", Some("rid"), Some(400)));
    }

    #[test]
    fn a_nested_type_is_ignored() {
        let body = br#"{"Error": {"__type": "Nested"}, "errorMessage": "em"}"#;
        let e = parse_error(400, None, None, body);
        assert_eq!((e.code(), e.message()), ("400", "em"));
    }

    #[test]
    fn a_non_json_error_body_is_named_after_the_status() {
        let e = parse_error(503, None, None, b"<html>Service Unavailable</html>");
        assert_eq!((e.code(), e.message(), e.fault_type()), ("503", "Service Unavailable", "Receiver"));
        let e = parse_error(502, None, None, b"");
        assert_eq!(e.code(), "502");
    }

    #[test]
    fn null_structure_members_are_dropped_at_every_depth() {
        let op = crate::model::operation("ListIdentities").unwrap();
        let v = serde_json::json!({"NextToken": null, "Identities": [{"IdentityId": "x", "Logins": null}]});
        let Value::Object(mut map) = v else { panic!() };
        drop_null_members(op.output.unwrap(), &mut map);
        assert_eq!(Value::Object(map), serde_json::json!({"Identities": [{"IdentityId": "x"}]}));
    }

    /// Regression for a fuzz finding (fuzz/corpus/validate_serialize/regress-01-*):
    /// serde_json's default float parser may be off by one unit in the last
    /// place, so a number a caller or the service wrote came out different.
    #[test]
    fn numbers_are_read_exactly() {
        let out =
            parse_output(br#"{"Expiration": 3.534478035454595e-81, "CreationDate": 1.7000000001234567e9}"#).unwrap();
        assert_eq!(out["Expiration"].as_f64(), Some(3.534478035454595e-81));
        assert_eq!(out["CreationDate"].as_f64(), Some(1.7000000001234567e9));
        let text = serde_json::to_string(&Value::Object(out)).unwrap();
        assert_eq!(text, r#"{"Expiration":3.534478035454595e-81,"CreationDate":1700000000.1234567}"#);
    }

    #[test]
    fn outputs_must_be_objects() {
        assert!(parse_output(b"").unwrap().is_empty());
        assert!(parse_output(b" \n").unwrap().is_empty());
        assert_eq!(parse_output(br#"{"IdentityId":"x"}"#).unwrap()["IdentityId"], "x");
        for bad in [&b"[1]"[..], b"null", b"{\"IdentityId\":", b"<html>", b"\xff\xfe"] {
            let e = parse_output(bad).unwrap_err();
            assert_eq!((e.kind(), e.code()), (ErrorKind::InvalidResponse, "ResponseParserError"));
        }
    }
}
