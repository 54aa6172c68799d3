//! AssumeRoleWithWebIdentity: the second half of Cognito's basic (classic)
//! flow. The caller trades an OpenID token from GetOpenIdToken for keys of
//! any role; STS accepts the token only if the pool allows the classic flow.

use super::form::Form;
use super::principal;
use super::xml::{element, parent};
use crate::arn;
use crate::error::{ApiError, ApiResult};
use crate::faults::lock;
use crate::input::camel;
use crate::jwt::{self, TokenError};
use crate::shared::Shared;
use serde_json::Value;
use std::time::Duration;

/// `DurationSeconds` bounds: 15 minutes to 12 hours, as STS allows.
const DURATION_RANGE: std::ops::RangeInclusive<u64> = 900..=43_200;

pub fn validation_error(message: impl Into<String>) -> ApiError {
    ApiError::sender("ValidationError", message)
}

fn invalid_token(message: impl Into<String>) -> ApiError {
    ApiError::sender("InvalidIdentityToken", message)
}

/// STS's model constraints on the parameters, every broken one reported in
/// one `ValidationError`, as STS does.
#[derive(Debug, Default)]
struct Checks {
    broken: Vec<String>,
}

impl Checks {
    /// A required string of `min..=max` characters. `secret` values (the
    /// token) are never repeated in messages.
    fn string<'f>(&mut self, form: &'f Form, name: &str, (min, max): (usize, usize), secret: bool) -> Option<&'f str> {
        let member = camel(name);
        let Some(value) = form.get(name) else {
            self.broken.push(format!("Value null at '{member}' failed to satisfy constraint: Member must not be null"));
            return None;
        };
        let shown = if secret { String::new() } else { format!(" '{value}'") };
        let len = value.chars().count();
        if len < min {
            self.broken.push(format!(
                "Value{shown} at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}"
            ));
        } else if len > max {
            self.broken.push(format!(
                "Value{shown} at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}"
            ));
        }
        Some(value)
    }

    /// `RoleSessionName`'s pattern, `[\w+=,.@-]*`.
    fn session_name(&mut self, value: &str) {
        if !value.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)) {
            self.broken.push(format!(
                "Value '{value}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
            ));
        }
    }

    /// The optional `DurationSeconds`.
    fn duration(&mut self, form: &Form) -> Option<Duration> {
        let value = form.get("DurationSeconds")?;
        let constraint = match value.parse::<u64>() {
            Ok(secs) if DURATION_RANGE.contains(&secs) => return Some(Duration::from_secs(secs)),
            Ok(secs) if secs < *DURATION_RANGE.start() => {
                format!("Member must have value greater than or equal to {}", DURATION_RANGE.start())
            }
            Ok(_) => format!("Member must have value less than or equal to {}", DURATION_RANGE.end()),
            Err(_) => "Member must be an integer".to_owned(),
        };
        self.broken.push(format!("Value '{value}' at 'durationSeconds' failed to satisfy constraint: {constraint}"));
        None
    }

    fn finish(self) -> ApiResult<()> {
        match self.broken.len() {
            0 => Ok(()),
            1 => Err(validation_error(format!("1 validation error detected: {}", self.broken.concat()))),
            n => Err(validation_error(format!("{n} validation errors detected: {}", self.broken.join("; ")))),
        }
    }
}

/// STS's refusals of a token, by what is wrong with it.
fn refusal(err: TokenError) -> ApiError {
    match err {
        TokenError::Malformed => invalid_token("The web identity token is not a valid JWT."),
        TokenError::UnknownIssuer(iss) => {
            invalid_token(format!("No OpenIDConnect provider found in your account for {iss}"))
        }
        TokenError::BadSignature => invalid_token(format!(
            "The signature of the web identity token does not verify with the keys of {}",
            jwt::ISSUER
        )),
        TokenError::Expired { exp, now } => ApiError::sender(
            "ExpiredTokenException",
            format!("Token expired: current date/time {now} must be before the expiration date/time {exp}"),
        ),
    }
}

/// Serves AssumeRoleWithWebIdentity; answers the children of its `Result` element.
pub fn assume_role_with_web_identity(shared: &Shared, form: &Form) -> ApiResult<Vec<String>> {
    let mut checks = Checks::default();
    let role_arn = checks.string(form, "RoleArn", (20, 2048), false);
    let session = checks.string(form, "RoleSessionName", (2, 64), false);
    if let Some(session) = session {
        checks.session_name(session);
    }
    let token = checks.string(form, "WebIdentityToken", (4, 20_000), true);
    let duration = checks.duration(form);
    checks.finish()?;
    let (Some(role_arn), Some(session), Some(token)) = (role_arn, session, token) else {
        return Err(ApiError::internal("validated parameters went missing"));
    };
    if arn::parse_role(role_arn).is_none() {
        return Err(validation_error("Request ARN is invalid"));
    }

    let claims = shared.signer.check_open_id_token(token, shared.clock.now_secs()).map_err(refusal)?;
    let pool_id = claims.get("aud").and_then(Value::as_str).ok_or_else(|| invalid_token("Incorrect token audience"))?;
    let subject = claims.get("sub").and_then(Value::as_str).ok_or_else(|| invalid_token("The token has no subject"))?;
    let mut data = lock(&shared.data);
    let pool = data.pools.get(pool_id).ok_or_else(|| invalid_token("Incorrect token audience"))?;
    if !pool.allow_classic_flow {
        return Err(ApiError::new(
            "AccessDenied",
            403,
            format!(
                "Basic (classic) flow is not enabled for identity pool {pool_id}: set AllowClassicFlow on the pool, or use the enhanced flow (GetCredentialsForIdentity)."
            ),
        ));
    }
    let ttl = duration.unwrap_or(shared.config.credentials_ttl);
    let (key_id, issued) = data.issue_key(shared.clock.now(), ttl, role_arn, session);
    drop(data);

    let caller = principal::assumed_role(role_arn, session, &shared.config.account_id);
    Ok(vec![
        parent(
            "Credentials",
            &[
                element("AccessKeyId", &key_id),
                element("SecretAccessKey", &issued.secret),
                element("SessionToken", &issued.session_token),
                element("Expiration", &cognito_identity::amz_date::format_iso8601(issued.expires)),
            ],
        ),
        element("SubjectFromWebIdentityToken", subject),
        parent("AssumedRoleUser", &[element("AssumedRoleId", &caller.user_id), element("Arn", &caller.arn)]),
        element("Provider", jwt::ISSUER),
        element("Audience", pool_id),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: &str) -> String {
        let shared = Shared::new(crate::EmulatorConfig::default()).expect("shared");
        let err = assume_role_with_web_identity(&shared, &Form::parse(body.as_bytes())).expect_err("refused");
        assert_eq!(err.code, "ValidationError", "{err}");
        err.message
    }

    #[test]
    fn parameters_are_validated_together() {
        let message = refused("RoleSessionName=a");
        assert!(message.starts_with("3 validation errors detected: Value null at 'roleArn'"), "{message}");
        assert!(message.contains("Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"), "{message}");
        assert!(
            message.contains("'webIdentityToken' failed to satisfy constraint: Member must not be null"),
            "{message}"
        );

        let arn = "RoleArn=arn:aws:iam::123456789012:role/R";
        let message = refused(&format!("{arn}&RoleSessionName=a%20b&WebIdentityToken=secret-token&DurationSeconds=60"));
        assert!(message.starts_with("2 validation errors detected:"), "{message}");
        assert!(message.contains("regular expression pattern"), "{message}");
        assert!(message.contains("greater than or equal to 900"), "{message}");
        let message = refused(&format!("{arn}&RoleSessionName=ok&WebIdentityToken=abc"));
        assert!(message.contains("Value at 'webIdentityToken'"), "the token is not repeated: {message}");
        let message = refused(&format!("{arn}&RoleSessionName=ok&WebIdentityToken=abcd&DurationSeconds=soon"));
        assert!(message.ends_with("Member must be an integer"), "{message}");
        let message = refused("RoleArn=arn:aws:iam::123456789012:user/bob&RoleSessionName=ok&WebIdentityToken=abcd");
        assert_eq!(message, "Request ARN is invalid");
    }
}
