//! GetCredentialsForIdentity and GetOpenIdToken, and the tokens both kinds of
//! OpenID call return.

use super::Ctx;
use super::identities::authorize;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::jwt;
use crate::state::{Data, Login, Pool};
use serde_json::{Map, Value, json};

/// The session name of GetCredentialsForIdentity's keys, as Cognito names
/// the role sessions it opens (GetCallerIdentity shows it).
const SESSION_NAME: &str = "CognitoIdentityCredentials";
/// Lifetime of GetOpenIdToken's tokens (ten minutes, per the API reference).
const OPEN_ID_TOKEN_TTL_SECS: i64 = 600;

fn invalid_configuration() -> ApiError {
    ApiError::sender(
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
}

/// `amr` of Cognito's tokens: the authentication kind, then each provider.
pub fn amr(logins: &[Login]) -> Value {
    if logins.is_empty() {
        return json!(["unauthenticated"]);
    }
    let mut out = vec!["authenticated".to_owned()];
    for l in logins {
        if !out.contains(&l.provider) {
            out.push(l.provider.clone());
        }
    }
    json!(out)
}

/// A signed OpenID token for an identity.
pub fn open_id_token(
    ctx: &Ctx<'_>,
    identity_id: &str,
    pool_id: &str,
    logins: &[Login],
    ttl_secs: i64,
    principal_tags: Option<&Map<String, Value>>,
) -> ApiResult<String> {
    let iat = ctx.now_secs();
    let mut claims = json!({
        "sub": identity_id,
        "aud": pool_id,
        "amr": amr(logins),
        "iss": jwt::ISSUER,
        "exp": iat + ttl_secs,
        "iat": iat,
    });
    if let Some(tags) = principal_tags.filter(|t| !t.is_empty()) {
        let tags: Map<String, Value> = tags.iter().map(|(k, v)| (k.clone(), json!([v]))).collect();
        claims["https://aws.amazon.com/tags"] = json!({"principal_tags": tags});
    }
    ctx.shared.signer.sign(&claims).map_err(ApiError::internal)
}

/// Evaluates a `Rules` role mapping against a token's claims.
fn rule_role(mapping: &Value, claims: &Value) -> Option<String> {
    let rules = mapping.pointer("/RulesConfiguration/Rules")?.as_array()?;
    rules.iter().find_map(|rule| {
        let claim = claims.get(rule.get("Claim")?.as_str()?)?;
        let claim = match claim {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let value = rule.get("Value")?.as_str()?;
        let hit = match rule.get("MatchType")?.as_str()? {
            "Equals" => claim == value,
            "Contains" => claim.contains(value),
            "StartsWith" => claim.starts_with(value),
            "NotEqual" => claim != value,
            _ => false,
        };
        hit.then(|| rule.get("RoleARN")?.as_str().map(str::to_owned))?
    })
}

/// The role an authenticated request would assume, per the pool's role
/// mappings for the providers in `Logins`, or the pool's default roles.
fn choose_role(pool: &Pool, logins_in: Option<&Map<String, Value>>, authenticated: bool) -> ApiResult<String> {
    if authenticated {
        for (provider, token) in logins_in.into_iter().flatten() {
            let mapping = pool
                .role_mappings
                .iter()
                .find(|(key, _)| *key == provider || key.split_once(':').is_some_and(|(p, _)| p == provider));
            let Some((_, mapping)) = mapping else {
                continue;
            };
            let claims = token.as_str().and_then(jwt::unverified_claims).unwrap_or_else(|| json!({}));
            let chosen = match mapping.get("Type").and_then(Value::as_str) {
                Some("Rules") => rule_role(mapping, &claims),
                _ => claims.get("cognito:preferred_role").and_then(Value::as_str).map(str::to_owned),
            };
            if let Some(role) = chosen {
                return Ok(role);
            }
            if mapping.get("AmbiguousRoleResolution").and_then(Value::as_str) == Some("Deny") {
                return Err(ApiError::not_authorized(
                    "The role mapping of this identity pool denied access (AmbiguousRoleResolution is Deny).",
                ));
            }
        }
    }
    let key = if authenticated { "authenticated" } else { "unauthenticated" };
    pool.roles.get(key).and_then(Value::as_str).map(str::to_owned).ok_or_else(invalid_configuration)
}

pub fn get_credentials_for_identity(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    let logins_in = input.opt_map("Logins")?;
    input.opt_str("CustomRoleArn")?;
    let logins = authorize(ctx, data, id, logins_in)?;
    let pool = data.pool(&data.identity(id)?.pool_id)?.clone();
    let role = choose_role(&pool, logins_in, !logins.is_empty())?;

    let now = ctx.shared.clock.now();
    // One hour unless the emulator was configured otherwise (`credentials_ttl`).
    let ttl = ctx.shared.config.credentials_ttl;
    let (key_id, issued) = data.issue_key(now, ttl, &role, SESSION_NAME);
    Ok(json!({
        "IdentityId": id,
        "Credentials": {
            "AccessKeyId": key_id,
            "SecretKey": issued.secret,
            "SessionToken": issued.session_token,
            "Expiration": crate::clock::epoch_seconds(issued.expires).floor(),
        }
    }))
}

pub fn get_open_id_token(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    let logins = authorize(ctx, data, id, input.opt_map("Logins")?)?;
    let pool_id = data.identity(id)?.pool_id.clone();
    let token = open_id_token(ctx, id, &pool_id, &logins, OPEN_ID_TOKEN_TTL_SECS, None)?;
    Ok(json!({"IdentityId": id, "Token": token}))
}
