//! The `Logins` map sent with each refresh, where its tokens come from, and
//! the key that names "this user" in the identity-id cache.

use crate::error::{Error, ErrorKind};
use crate::signing::hex;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Provider name -> login token, as the API's `Logins` member.
pub type LoginMap = BTreeMap<String, String>;

/// Where login tokens come from: called on every refresh, so that a token
/// the application refreshed is the one sent. Implementations must be cheap
/// and thread-safe; an error fails the refresh.
pub trait LoginsSource: Send + Sync {
    /// The logins to send now.
    fn logins(&self) -> Result<LoginMap, Error>;
}

/// The provider's logins: fixed tokens, or a source asked on every refresh.
#[derive(Clone, Default)]
pub enum Logins {
    /// No logins: a guest (unauthenticated) identity.
    #[default]
    None,
    /// Fixed tokens.
    Static(LoginMap),
    /// Tokens asked for on every refresh.
    Dynamic(Arc<dyn LoginsSource>),
}

impl fmt::Debug for Logins {
    // Tokens are secrets: only the provider names show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Logins::None => f.write_str("Logins::None"),
            Logins::Static(m) => f.debug_tuple("Logins::Static").field(&m.keys().collect::<Vec<_>>()).finish(),
            Logins::Dynamic(_) => f.write_str("Logins::Dynamic(..)"),
        }
    }
}

impl Logins {
    /// The map to send now.
    pub fn resolve(&self) -> Result<LoginMap, Error> {
        let map = match self {
            Logins::None => LoginMap::new(),
            Logins::Static(m) => m.clone(),
            Logins::Dynamic(source) => source.logins()?,
        };
        for (provider, token) in &map {
            if provider.is_empty() || token.is_empty() {
                return Err(Error::new(
                    ErrorKind::Validation,
                    crate::error::codes::PARAM_VALIDATION,
                    format!("Logins: the provider name and its token must not be empty (provider {provider:?})"),
                ));
            }
        }
        Ok(map)
    }
}

/// The cache key of the user these logins sign in: for each login, the
/// token's `iss` and `sub` when it is a JWT (so a refreshed token of the same
/// user keeps the same identity), else a hash of the provider and token; and
/// `guest` with no logins. Never the token itself.
pub fn user_key(logins: &LoginMap) -> String {
    if logins.is_empty() {
        return GUEST.to_owned();
    }
    let parts: Vec<String> = logins
        .iter()
        .map(|(provider, token)| match jwt_subject(token) {
            Some((iss, sub)) => format!("jwt:{provider}:{iss}:{sub}"),
            None => {
                let digest = Sha256::digest(format!("{provider}\0{token}").as_bytes());
                format!("hash:{}", hex(&digest))
            }
        })
        .collect();
    parts.join("|")
}

/// The key of a guest identity.
pub const GUEST: &str = "guest";

/// `iss` and `sub` of a JWT's payload (the signature is not checked: this
/// only names the user for a local cache; Cognito checks the token).
fn jwt_subject(token: &str) -> Option<(String, String)> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let iss = claims.get("iss")?.as_str()?.to_owned();
    let sub = claims.get("sub")?.as_str()?.to_owned();
    Some((iss, sub))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(r#"{"alg":"RS256"}"#), b64(claims))
    }

    #[test]
    fn a_jwt_user_keeps_its_key_across_tokens() {
        let a = LoginMap::from([("accounts.google.com".into(), jwt(r#"{"iss":"https://g","sub":"u1","exp":1}"#))]);
        let b = LoginMap::from([("accounts.google.com".into(), jwt(r#"{"iss":"https://g","sub":"u1","exp":2}"#))]);
        let other = LoginMap::from([("accounts.google.com".into(), jwt(r#"{"iss":"https://g","sub":"u2"}"#))]);
        assert_eq!(user_key(&a), user_key(&b));
        assert_ne!(user_key(&a), user_key(&other));
        assert_eq!(user_key(&a), "jwt:accounts.google.com:https://g:u1");
    }

    #[test]
    fn opaque_tokens_are_hashed_and_no_logins_is_a_guest() {
        let fb = LoginMap::from([("graph.facebook.com".into(), "SECRET-TOKEN".into())]);
        let key = user_key(&fb);
        assert!(key.starts_with("hash:") && !key.contains("SECRET"), "{key}");
        assert_eq!(user_key(&LoginMap::new()), GUEST);
        assert!(jwt_subject("a.b").is_none() && jwt_subject("a.!!!.c").is_none());
    }

    #[test]
    fn empty_tokens_are_refused_and_debug_hides_tokens() {
        let bad = Logins::Static(LoginMap::from([("p".into(), String::new())]));
        assert_eq!(bad.resolve().unwrap_err().code(), "ParamValidationError");
        let shown = format!("{:?}", Logins::Static(LoginMap::from([("p".into(), "CANARY".into())])));
        assert!(!shown.contains("CANARY") && shown.contains('p'), "{shown}");
    }
}
