//! The awsQuery request body: `application/x-www-form-urlencoded` pairs.

use serde_json::{Map, Value};

/// Parameters whose values are credentials: the request log shows only that
/// they were there.
const SECRET_PARAMS: &[&str] = &["WebIdentityToken", "SAMLAssertion", "TokenCode"];
const REDACTED: &str = "<redacted>";

/// The decoded pairs of a form body, in order.
#[derive(Clone, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl std::fmt::Debug for Form {
    // Token values never appear in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form").field("params", &self.redacted()).finish()
    }
}

/// `+` is a space in forms (and only there); then percent escapes. Decoding
/// is lenient, as a server's should be: bad escapes stay as they are, bytes
/// that are not UTF-8 become U+FFFD.
fn decode(s: &str) -> String {
    crate::auth::percent_decode(&s.replace('+', " "))
}

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        let text = String::from_utf8_lossy(body);
        let pairs = text
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        Form { pairs }
    }

    /// The first value of `name`, if the body has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The parameters as a JSON object for the request log, secrets replaced.
    pub fn redacted(&self) -> Value {
        let mut out = Map::new();
        for (k, v) in &self.pairs {
            let v = if SECRET_PARAMS.contains(&k.as_str()) { REDACTED } else { v.as_str() };
            out.entry(k.clone()).or_insert_with(|| Value::String(v.to_owned()));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded_and_secrets_redacted() {
        let form = Form::parse(
            b"Action=AssumeRoleWithWebIdentity&RoleSessionName=a+b%2Bc&WebIdentityToken=eyJ.x.y&Empty=&Bare&Bad=%zz",
        );
        assert_eq!(form.get("Action"), Some("AssumeRoleWithWebIdentity"));
        assert_eq!(form.get("RoleSessionName"), Some("a b+c"));
        assert_eq!(form.get("WebIdentityToken"), Some("eyJ.x.y"));
        assert_eq!((form.get("Empty"), form.get("Bare"), form.get("Bad")), (Some(""), Some(""), Some("%zz")));
        assert_eq!(form.get("Missing"), None);
        let logged = form.redacted();
        assert_eq!(logged["WebIdentityToken"], REDACTED);
        assert_eq!(logged["RoleSessionName"], "a b+c");
        assert!(!format!("{form:?}").contains("eyJ"));
    }
}
