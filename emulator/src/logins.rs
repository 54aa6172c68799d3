//! The login rule: which providers a pool accepts, and who a token names.
//!
//! Tokens are opaque to the emulator. A token that looks like a JWT names the
//! user in its `sub` claim (unverified); any other non-empty token *is* the
//! user: the same provider and token value always map to the same identity.
//! Tokens for `cognito-identity.amazonaws.com` must be OpenID tokens this
//! emulator issued for the pool; they name the identity directly.

use crate::error::{ApiError, ApiResult};
use crate::jwt;
use crate::state::{Data, Login, Pool};
use serde_json::{Map, Value};

/// The login key for tokens issued by Cognito Identity itself.
pub const COGNITO_IDENTITY_PROVIDER: &str = "cognito-identity.amazonaws.com";

/// One entry of a request's `Logins` map, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A federated login: provider and user subject.
    Login(Login),
    /// An OpenID token of this emulator, naming an identity.
    Identity(String),
}

pub fn unsupported_provider() -> ApiError {
    ApiError::not_authorized("Token is not from a supported provider of this identity pool.")
}

/// Whether the pool is configured for this `Logins` key (the developer
/// provider is not: it is only usable through GetOpenIdTokenForDeveloperIdentity).
pub fn supports(pool: &Pool, provider: &str) -> bool {
    provider == COGNITO_IDENTITY_PROVIDER
        || pool.supported_login_providers.contains_key(provider)
        || pool.saml_provider_arns.iter().any(|a| a == provider)
        || pool.open_id_connect_provider_arns.iter().any(|a| oidc_provider_name(a) == Some(provider))
        || pool
            .cognito_identity_providers
            .iter()
            .any(|p| p.get("ProviderName").and_then(Value::as_str) == Some(provider))
}

/// `arn:aws:iam::123:oidc-provider/login.example.com` -> `login.example.com`.
pub fn oidc_provider_name(arn: &str) -> Option<&str> {
    arn.split_once(":oidc-provider/").map(|(_, name)| name)
}

/// The user a token names, per the rule in this module's documentation.
pub fn subject_of(token: &str) -> String {
    jwt::unverified_claims(token)
        .and_then(|c| c.get("sub").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| token.to_owned())
}

/// Resolves every entry of `Logins` against the pool.
pub fn resolve(
    shared: &crate::shared::Shared,
    pool: &Pool,
    logins: &Map<String, Value>,
    now_secs: i64,
) -> ApiResult<Vec<Resolved>> {
    let mut out = Vec::new();
    for (provider, token) in logins {
        let token =
            token.as_str().ok_or_else(|| ApiError::serialization(format!("Logins.{provider} must be a string")))?;
        if token.is_empty() {
            return Err(ApiError::not_authorized("Invalid login token. Token is empty."));
        }
        if !supports(pool, provider) {
            return Err(unsupported_provider());
        }
        if provider == COGNITO_IDENTITY_PROVIDER {
            out.push(Resolved::Identity(own_token_identity(shared, pool, token, now_secs)?));
        } else {
            out.push(Resolved::Login(Login { provider: provider.clone(), subject: subject_of(token) }));
        }
    }
    Ok(out)
}

fn own_token_identity(shared: &crate::shared::Shared, pool: &Pool, token: &str, now_secs: i64) -> ApiResult<String> {
    let invalid = || ApiError::not_authorized("Invalid login token. Not a valid OpenId Connect identity token.");
    let claims = shared.signer.verify(token).ok_or_else(invalid)?;
    if claims.get("aud").and_then(Value::as_str) != Some(pool.id.as_str()) {
        return Err(ApiError::not_authorized("Invalid login token. Incorrect audience."));
    }
    if claims.get("exp").and_then(Value::as_i64).is_none_or(|exp| exp < now_secs) {
        return Err(ApiError::not_authorized("Invalid login token. Token expired."));
    }
    claims.get("sub").and_then(Value::as_str).map(str::to_owned).ok_or_else(invalid)
}

/// The identities the resolved logins already point at (oldest first), and
/// the logins linked to nothing yet.
pub fn owners(data: &Data, pool_id: &str, resolved: &[Resolved]) -> ApiResult<(Vec<String>, Vec<Login>)> {
    let mut owners: Vec<String> = Vec::new();
    let mut fresh = Vec::new();
    for r in resolved {
        let owner = match r {
            Resolved::Identity(id) => {
                let identity = data.identity(id)?;
                if identity.pool_id != pool_id {
                    return Err(ApiError::not_authorized("Invalid login token. Incorrect audience."));
                }
                Some(id.clone())
            }
            Resolved::Login(login) => match data.find_login(pool_id, login) {
                Some(id) => Some(id.to_owned()),
                None => {
                    fresh.push(login.clone());
                    None
                }
            },
        };
        if let Some(id) = owner.filter(|id| !owners.contains(id)) {
            owners.push(id);
        }
    }
    owners.sort_by_key(|id| data.identities.get(id).map_or(u64::MAX, |i| i.seq));
    Ok((owners, fresh))
}

/// Refuses to give one identity two different users of the same public
/// provider (a developer provider may carry several user identifiers).
pub fn check_one_user_per_provider(
    data: &Data,
    target: &str,
    incoming: &[Login],
    developer_provider: Option<&str>,
) -> ApiResult<()> {
    let existing = data.identity(target)?.logins.clone();
    let mut all = existing;
    for login in incoming {
        if Some(login.provider.as_str()) != developer_provider
            && all.iter().any(|l| l.provider == login.provider && l.subject != login.subject)
        {
            return Err(ApiError::conflict(format!(
                "Logins of two different users of provider '{}' cannot be linked to one identity.",
                login.provider
            )));
        }
        all.push(login.clone());
    }
    Ok(())
}
