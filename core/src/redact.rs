//! Copies of inputs and outputs with every secret replaced, for display.
//!
//! Sensitive shapes of the model (login tokens, OpenID tokens, secret keys,
//! session tokens) are replaced wherever they occur; everything else is kept,
//! so a redacted value still shows what a call was about.

use crate::model::{Kind, ShapeId};
use serde_json::{Map, Value};

pub const REDACTED: &str = "*** redacted ***";

/// `value` as it may be shown: sensitive members replaced by [`REDACTED`].
/// Members the model does not know are kept (they cannot be secrets of ours),
/// except `ResponseMetadata`, which is kept too.
pub fn redact(shape: ShapeId, value: &Value) -> Value {
    let s = shape.shape();
    if s.sensitive {
        return Value::String(REDACTED.into());
    }
    match (&s.kind, value) {
        (Kind::Structure { members }, Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match members.iter().find(|m| m.name == k) {
                        Some(m) => redact(m.shape, v),
                        None => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        (Kind::List { member, .. }, Value::Array(items)) => {
            Value::Array(items.iter().map(|v| redact(*member, v)).collect())
        }
        (Kind::Map { value: vid, .. }, Value::Object(map)) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), redact(*vid, v))).collect::<Map<_, _>>())
        }
        _ => value.clone(),
    }
}

/// Whether a shape holds a secret anywhere inside it.
pub fn holds_secret(shape: ShapeId) -> bool {
    fn walk(id: ShapeId, depth: usize) -> bool {
        let s = id.shape();
        if s.sensitive {
            return true;
        }
        if depth > 8 {
            return false;
        }
        match &s.kind {
            Kind::Structure { members } => members.iter().any(|m| walk(m.shape, depth + 1)),
            Kind::List { member, .. } => walk(*member, depth + 1),
            Kind::Map { value, .. } => walk(*value, depth + 1),
            _ => false,
        }
    }
    walk(shape, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::operation;
    use serde_json::json;

    #[test]
    fn credentials_and_tokens_are_replaced_and_the_rest_kept() {
        let op = operation("GetCredentialsForIdentity").unwrap();
        let out = json!({
            "IdentityId": "us-east-1:abc",
            "Credentials": {"AccessKeyId": "ASIAX", "SecretKey": "CANARY-SECRET", "SessionToken": "CANARY-TOKEN", "Expiration": 1.7e9},
            "ResponseMetadata": {"RequestId": "r"}
        });
        let shown = redact(op.output.unwrap(), &out);
        let text = shown.to_string();
        assert!(!text.contains("CANARY"), "{text}");
        assert_eq!(shown["Credentials"]["AccessKeyId"], "ASIAX");
        assert_eq!(shown["Credentials"]["SecretKey"], REDACTED);
        assert_eq!(shown["ResponseMetadata"]["RequestId"], "r");
    }

    #[test]
    fn login_token_values_are_replaced_and_provider_names_kept() {
        let op = operation("GetId").unwrap();
        let shown = redact(op.input, &json!({"IdentityPoolId": "p", "Logins": {"graph.facebook.com": "CANARY"}}));
        assert_eq!(shown["Logins"]["graph.facebook.com"], REDACTED);
        assert!(holds_secret(op.input));
        assert!(!holds_secret(operation("ListIdentityPools").unwrap().input));
        assert!(holds_secret(operation("GetOpenIdToken").unwrap().output.unwrap()));
    }
}
