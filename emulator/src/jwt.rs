//! OpenID tokens: RS512 JWTs like Cognito's, and the JWKS that verifies them.
//!
//! The signing key is a fixed 2048-bit RSA test key compiled into the emulator,
//! so tokens verify across restarts. It protects nothing: never trust it.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rsa::PublicKeyComponents;
use ring::signature::{self, KeyPair as _, RsaKeyPair};
use serde_json::{Value, json};

/// The PKCS#8 DER of the test key, base64-encoded.
const TEST_KEY_PKCS8: &str = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDVcZml1lqty1ABR0IQQjbgWKKMNOK0QbLZFeSQbDdw63DSeNs1XN9XkaV5xTj+Ik6vo1nzkHYvv2/rLJ+peutLylOOZD+7NO891JBYsY+c1CRlVABaHsyKKP7h/nNUHV7UAIHe1vd6hRc2MgU1SV172YyMOPhKrKuEqe+d+Zdt+UipkiYFRQgS7MC1q1l1R3sjmYjrsRYC3PeDcNhmR2VRx2s1yytvTj430Yk2EkgbPMGM2Z4AREoO6u6QNFVS07+rXe5lW1PY4KuL0ESVk/knXheSyr964aVGF5Zy2pfedl4FI0K6293qxCTSoeT3RXTFixXXnXhwvSjB1hfHcA2/AgMBAAECggEAVl1vBFFlw6jeqIXCz31bYw+6Re0oRjPHQFvBbka7cC90KVXJrR/1JyPBxzHsS7hqCluYjBtKFyvpB0m5GQSprLMjeBxMRV236FbYSWsfZx/X0kBZHB4WOVk5OQyScdiohDPoWNi2rpanu8Alp1gWQYTXf+2VWfHgPP/d+xgBE/fqmuzb4LehWu7mQfT7HJWAj2E8fH/gpa5t63vL1hA/7Ho37cCEueUnLGCTEc+OR9R6ciPwfBKV363HBrxMFUMYLa8JIVBdendciWorbpfrP23L/NW09lU8YLJLI3VX8PimLi0j+Vp1KLT/3YJlRBngtI3mOW/hkYXwiQgtA78qoQKBgQD8YfccJDBpT/Cvx0+524UcCrEEunwBZPoLkWw1AALeSeKWKnaA5G6gopY5hyXXw5m1n9/eoV+52LUMvfIli498hlhIeXDdzG1NARPIWNE5P/gUnUrHOiVAcC/1T9TJcK6lz0ZNtJrSRYsqt4a26s5A5dk6HpS4bXdw37GOU7t+KQKBgQDYgMLroNRYJe8Pg2uUnmgPAC1ZcplLoONUupG+vY6Ds/Fg1PTCsT0riYif2Es4Gug0MgkIfRRjjPaL1uYesgRSHq1sdWkSrvlpnfW5anfbWKqUIIUvTG824lApn/ohi5DuxA0W8XShbD6DQy+ySCxR36tr3FjKMZOppO4+TrDZpwKBgQC9bjJxluAXS38WEH1QvOmt4IB5UhddXJMpN5+GMFn2ynId0AVePRajzyT+TOgkiJXIcxUvHuSgs31A8RjdAWFTT+rXiv8iGxw23gYhLDjtxYvIvT6xRn1LXmlAsQi/oaoUnfzguhwykywfhdzBUoA4ycxACVALFW6+88drUoG58QKBgFNgqzCBXKWh3kIUM58lrh9wywYymxTEHihoPW6+o57W8rN+78/23/7fVY1xh+5QdnJ7fn0VZn+8LsrF9ROHLSDPDazCPrfiSM1C9vn0JbqEmBS5vXDst7vkRkjxgivfCu7Y882NKYRtIln8yuaW4vKY9/RvBIbBtwNTMCkwtuzrAoGBAOBjfddUAgdQaPGL2uWq1XyBPfq5oa1BIbX88PXWQPvqnVq6jrZ2DLIEUFuv8o7tCpXqM1p+wbCL7OGaSsOvGTvL9nY3uPXzcaEOXmCAP/3zgoYHk9vD/X4uQFP3PjSiUdhWEn+333sfe2cW4eow3xW2MBOgv1b5ZkHy8dm2y0ia";

/// The key id in every token header and in the JWKS.
pub const KEY_ID: &str = "emulator-1";
pub const ISSUER: &str = "https://cognito-identity.amazonaws.com";

/// Signs and verifies the emulator's tokens.
#[derive(Debug)]
pub struct TokenSigner {
    key: RsaKeyPair,
    jwks: Value,
}

impl TokenSigner {
    pub fn new() -> Result<Self, String> {
        let der = STANDARD.decode(TEST_KEY_PKCS8).map_err(|e| format!("test key: {e}"))?;
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|e| format!("test key: {e}"))?;
        let public: PublicKeyComponents<Vec<u8>> = key.public().into();
        let jwks = json!({"keys": [{
            "kty": "RSA",
            "alg": "RS512",
            "use": "sig",
            "kid": KEY_ID,
            "n": URL_SAFE_NO_PAD.encode(&public.n),
            "e": URL_SAFE_NO_PAD.encode(&public.e),
        }]});
        Ok(TokenSigner { key, jwks })
    }

    /// The JSON Web Key Set to publish.
    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// A signed compact JWT with these claims.
    pub fn sign(&self, claims: &Value) -> Result<String, String> {
        let header = json!({"kid": KEY_ID, "typ": "JWS", "alg": "RS512"});
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut sig = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&signature::RSA_PKCS1_SHA512, &ring::rand::SystemRandom::new(), signing_input.as_bytes(), &mut sig)
            .map_err(|e| format!("signing: {e}"))?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }

    /// The claims of a token this emulator signed, if the signature holds
    /// (expiry is the caller's business).
    pub fn verify(&self, token: &str) -> Option<Value> {
        let (signing_input, sig) = token.rsplit_once('.')?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        let public =
            signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA512, self.key.public_key().as_ref());
        public.verify(signing_input.as_bytes(), &sig).ok()?;
        unverified_claims(token)
    }
}

/// Why an OpenID token presented back to the emulator is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Not a compact JWT whose claims are a JSON object with an integer `exp`.
    Malformed,
    /// Issued by someone else: the `iss` claim (empty when absent).
    UnknownIssuer(String),
    /// Names this emulator as issuer, but the signature does not verify.
    BadSignature,
    /// `exp` is not after `now` (both epoch seconds).
    Expired { exp: i64, now: i64 },
}

impl TokenSigner {
    /// The claims of one of this emulator's OpenID tokens that is still valid
    /// at `now_secs`. Form, issuer, signature and expiry are checked in that
    /// order, so each refusal names the first thing wrong; the audience is the
    /// caller's business.
    pub fn check_open_id_token(&self, token: &str, now_secs: i64) -> Result<Value, TokenError> {
        let claims = unverified_claims(token).ok_or(TokenError::Malformed)?;
        let issuer = claims.get("iss").and_then(Value::as_str).unwrap_or_default();
        if issuer != ISSUER {
            return Err(TokenError::UnknownIssuer(issuer.to_owned()));
        }
        let claims = self.verify(token).ok_or(TokenError::BadSignature)?;
        let exp = claims.get("exp").and_then(Value::as_i64).ok_or(TokenError::Malformed)?;
        // A JWT is valid only strictly before its `exp` (RFC 7519, 4.1.4).
        if now_secs >= exp {
            return Err(TokenError::Expired { exp, now: now_secs });
        }
        Ok(claims)
    }
}

/// The claims of any compact JWT, without checking its signature.
pub fn unverified_claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.is_object().then_some(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_the_published_key() {
        let signer = TokenSigner::new().expect("key loads");
        let token = signer.sign(&json!({"sub": "us-east-1:abc"})).expect("signs");
        assert_eq!(signer.verify(&token).expect("verifies")["sub"], "us-east-1:abc");
        let mut forged = token.clone();
        forged.replace_range(forged.len() - 4.., "AAAA");
        assert!(signer.verify(&forged).is_none());
        let jwk = &signer.jwks()["keys"][0];
        assert_eq!(jwk["kid"], KEY_ID);
        assert_eq!(jwk["e"], "AQAB");
        // Verify with the components published in the JWKS, as a client would.
        let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().expect("n")).expect("b64");
        let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().expect("e")).expect("b64");
        let (input, sig) = token.rsplit_once('.').expect("dot");
        let sig = URL_SAFE_NO_PAD.decode(sig).expect("b64");
        PublicKeyComponents { n, e }
            .verify(&signature::RSA_PKCS1_2048_8192_SHA512, input.as_bytes(), &sig)
            .expect("verifies with JWKS components");
    }

    #[test]
    fn open_id_tokens_are_checked_in_order() {
        let signer = TokenSigner::new().expect("key loads");
        let token = signer.sign(&json!({"sub": "s", "iss": ISSUER, "exp": 1000})).expect("signs");
        assert_eq!(signer.check_open_id_token(&token, 999).expect("valid")["sub"], "s");
        assert_eq!(signer.check_open_id_token(&token, 1000), Err(TokenError::Expired { exp: 1000, now: 1000 }));
        assert_eq!(signer.check_open_id_token("not.a-jwt", 0), Err(TokenError::Malformed));
        let foreign = signer.sign(&json!({"iss": "https://other.example", "exp": 1000})).expect("signs");
        assert_eq!(
            signer.check_open_id_token(&foreign, 0),
            Err(TokenError::UnknownIssuer("https://other.example".into()))
        );
        // Same claims, a signature of other claims: refused whatever the expiry.
        let other = signer.sign(&json!({"sub": "t", "iss": ISSUER, "exp": 1000})).expect("signs");
        let (input, _) = token.rsplit_once('.').expect("dot");
        let (_, sig) = other.rsplit_once('.').expect("dot");
        assert_eq!(signer.check_open_id_token(&format!("{input}.{sig}"), 0), Err(TokenError::BadSignature));
        let no_exp = signer.sign(&json!({"iss": ISSUER})).expect("signs");
        assert_eq!(signer.check_open_id_token(&no_exp, 0), Err(TokenError::Malformed));
    }
}
