//! Developer-authenticated identities: register and token, look up, merge, unlink.

use super::Ctx;
use super::credentials::open_id_token;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::logins::{self, Resolved};
use crate::pagination;
use crate::state::{Data, Login, Pool, identity_not_found};
use serde_json::{Map, Value, json};

/// GetOpenIdTokenForDeveloperIdentity's default token lifetime (15 minutes).
const DEFAULT_TOKEN_DURATION: i64 = 900;

fn already_registered() -> ApiError {
    ApiError::sender(
        "DeveloperUserAlreadyRegisteredException",
        "The provided developer user identifier is already registered with Cognito under a different identity ID.",
    )
}

/// The pool's developer provider name, which `given` must equal.
fn developer_provider<'p>(pool: &'p Pool, given: &str) -> ApiResult<&'p str> {
    match pool.developer_provider_name.as_deref() {
        Some(name) if name == given => Ok(name),
        _ => Err(ApiError::invalid_parameter(format!(
            "Developer provider name '{given}' is not the developer provider of identity pool '{}'.",
            pool.id
        ))),
    }
}

/// The identity of `pool` with this id, or ResourceNotFoundException.
fn identity_in_pool(data: &Data, pool: &Pool, id: &str) -> ApiResult<()> {
    match data.identities.get(id) {
        Some(i) if i.pool_id == pool.id => Ok(()),
        _ => Err(identity_not_found(id)),
    }
}

pub fn get_open_id_token_for_developer_identity(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let given_id = input.opt_str("IdentityId")?;
    let logins_in = input.map("Logins")?;
    let principal_tags = input.opt_map("PrincipalTags")?;
    let duration = input.opt_int("TokenDuration")?.unwrap_or(DEFAULT_TOKEN_DURATION);
    if !(1..=86_400).contains(&duration) {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{duration}' at 'tokenDuration' failed to satisfy constraint: Member must have value between 1 and 86400"
        )));
    }
    let pool = ctx.pool(data, pool_id)?.clone();
    let developer = pool.developer_provider_name.clone();

    // The developer login is ours to read; the others follow the login rule.
    let mut dev_login = None;
    let mut public = Map::new();
    for (provider, token) in logins_in {
        if Some(provider.as_str()) == developer.as_deref() {
            let user = token.as_str().filter(|u| !u.is_empty()).ok_or_else(|| {
                ApiError::invalid_parameter("The developer user identifier must be a non-empty string.")
            })?;
            dev_login = Some(Login { provider: provider.clone(), subject: user.to_owned() });
        } else {
            public.insert(provider.clone(), token.clone());
        }
    }
    let mut resolved = logins::resolve(ctx.shared, &pool, &public, ctx.now_secs())?;
    if let Some(l) = &dev_login {
        resolved.push(Resolved::Login(l.clone()));
    }
    if resolved.is_empty() {
        return Err(ApiError::invalid_parameter("Logins must name at least one provider."));
    }
    let (owners, fresh) = logins::owners(data, pool_id, &resolved)?;
    let dev_owner = dev_login.as_ref().and_then(|l| data.find_login(pool_id, l)).map(str::to_owned);

    let target = match given_id {
        Some(id) => {
            identity_in_pool(data, &pool, id)?;
            if dev_owner.as_deref().is_some_and(|o| o != id) {
                return Err(already_registered());
            }
            if owners.iter().any(|o| o != id) {
                return Err(ApiError::conflict("A login in Logins is already linked to another identity."));
            }
            id.to_owned()
        }
        None => match owners.as_slice() {
            [] => data.create_identity(pool_id, &pool.region, ctx.now, ctx.shared.config.max_identities)?,
            [only] => only.clone(),
            _ => {
                return Err(ApiError::conflict("The logins in Logins are linked to different identities."));
            }
        },
    };
    logins::check_one_user_per_provider(data, &target, &fresh, developer.as_deref())?;
    for login in fresh {
        data.link(&target, login, ctx.now);
    }
    let logins_now = data.identity(&target)?.logins.clone();
    let token = open_id_token(ctx, &target, pool_id, &logins_now, duration, principal_tags)?;
    Ok(json!({"IdentityId": target, "Token": token}))
}

pub fn lookup_developer_identity(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let given_id = input.opt_str("IdentityId")?;
    let user = input.opt_str("DeveloperUserIdentifier")?;
    let max = super::pools::max_results(input, false)?.unwrap_or(60);
    let after = pagination::decode("developer-users", input.opt_str("NextToken")?)?;
    let pool = ctx.pool(data, pool_id)?.clone();
    let developer = pool.developer_provider_name.clone().unwrap_or_default();

    let by_user = match user {
        Some(u) => {
            let login = Login { provider: developer.clone(), subject: u.to_owned() };
            let found = (!developer.is_empty()).then(|| data.find_login(pool_id, &login)).flatten().map(str::to_owned);
            Some(found.ok_or_else(|| {
                ApiError::not_found(format!("Developer user identifier '{u}' not found in identity pool."))
            })?)
        }
        None => None,
    };
    let id = match (given_id, by_user) {
        (Some(id), Some(found)) if id != found => {
            return Err(ApiError::conflict("The IdentityId and DeveloperUserIdentifier name different identities."));
        }
        (_, Some(found)) => found,
        (Some(id), None) => {
            identity_in_pool(data, &pool, id)?;
            id.to_owned()
        }
        (None, None) => {
            return Err(ApiError::invalid_parameter("Either IdentityId or DeveloperUserIdentifier must be given."));
        }
    };
    let users: Vec<(u64, String)> = data
        .identity(&id)?
        .logins
        .iter()
        .filter(|l| l.provider == developer)
        .zip(1u64..)
        .map(|(l, pos)| (pos, l.subject.clone()))
        .collect();
    let (page, next) = pagination::page("developer-users", users, after, max);
    let mut out = json!({"IdentityId": id, "DeveloperUserIdentifierList": page});
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

pub fn merge_developer_identities(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let source = input.str("SourceUserIdentifier")?;
    let destination = input.str("DestinationUserIdentifier")?;
    let given_provider = input.str("DeveloperProviderName")?;
    let pool_id = input.str("IdentityPoolId")?;
    let pool = ctx.pool(data, pool_id)?.clone();
    let developer = developer_provider(&pool, given_provider)?.to_owned();
    let owner = |user: &str| {
        let login = Login { provider: developer.clone(), subject: user.to_owned() };
        data.find_login(pool_id, &login).map(str::to_owned).ok_or_else(|| {
            ApiError::not_found(format!("Developer user identifier '{user}' not found in identity pool."))
        })
    };
    let from = owner(source)?;
    let to = owner(destination)?;
    if from != to {
        let incoming = data.identity(&from)?.logins.clone();
        logins::check_one_user_per_provider(data, &to, &incoming, Some(&developer))?;
        data.merge_into(&from, &to, ctx.now);
    }
    Ok(json!({"IdentityId": to}))
}

pub fn unlink_developer_identity(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    let pool_id = input.str("IdentityPoolId")?;
    let given_provider = input.str("DeveloperProviderName")?;
    let user = input.str("DeveloperUserIdentifier")?;
    let pool = ctx.pool(data, pool_id)?.clone();
    let developer = developer_provider(&pool, given_provider)?.to_owned();
    identity_in_pool(data, &pool, id)?;
    let login = Login { provider: developer, subject: user.to_owned() };
    match data.find_login(pool_id, &login) {
        None => Err(ApiError::not_found(format!("Developer user identifier '{user}' not found in identity pool."))),
        Some(owner) if owner != id => {
            Err(ApiError::conflict(format!("Developer user identifier '{user}' is linked to another identity.")))
        }
        Some(_) => {
            data.unlink(id, &login, ctx.now);
            Ok(json!({}))
        }
    }
}
