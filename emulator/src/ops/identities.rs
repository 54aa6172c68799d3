//! Identities: GetId, DescribeIdentity, ListIdentities, DeleteIdentities, UnlinkIdentity.

use super::Ctx;
use super::pools::max_results;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::logins::{self, Resolved};
use crate::pagination;
use crate::state::{Data, Identity, Login, identity_not_found};
use serde_json::{Map, Value, json};

pub fn unauthenticated_refused() -> ApiError {
    ApiError::not_authorized("Unauthenticated access is not supported for this identity pool.")
}

fn logins_dont_match() -> ApiError {
    ApiError::not_authorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    )
}

/// `IdentityDescription`.
pub fn describe(identity: &Identity) -> Value {
    let mut providers: Vec<&str> = Vec::new();
    for l in &identity.logins {
        if !providers.contains(&l.provider.as_str()) {
            providers.push(&l.provider);
        }
    }
    let mut out = json!({
        "IdentityId": identity.id,
        "CreationDate": identity.created,
        "LastModifiedDate": identity.modified,
    });
    if !providers.is_empty() {
        out["Logins"] = json!(providers);
    }
    out
}

pub fn get_id(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    input.opt_str("AccountId")?;
    let pool = data.pool(pool_id)?.clone();
    let empty = Map::new();
    let logins_in = input.opt_map("Logins")?.unwrap_or(&empty);
    if logins_in.is_empty() {
        if !pool.allow_unauthenticated {
            return Err(unauthenticated_refused());
        }
        // Each unauthenticated GetId makes a new identity, as on AWS.
        let region = pool.region.clone();
        let id = data.create_identity(pool_id, &region, ctx.now, ctx.shared.config.max_identities)?;
        return Ok(json!({"IdentityId": id}));
    }
    let resolved = logins::resolve(ctx.shared, &pool, logins_in, ctx.now_secs())?;
    let (owners, fresh) = logins::owners(data, pool_id, &resolved)?;
    let developer = pool.developer_provider_name.as_deref();
    let target = match owners.first() {
        Some(first) => {
            // Logins of several identities merge them into the oldest.
            for other in &owners[1..] {
                let theirs = data.identity(other)?.logins.clone();
                logins::check_one_user_per_provider(data, first, &theirs, developer)?;
            }
            logins::check_one_user_per_provider(data, first, &fresh, developer)?;
            for other in &owners[1..] {
                data.merge_into(other, first, ctx.now);
            }
            first.clone()
        }
        None => data.create_identity(pool_id, &pool.region, ctx.now, ctx.shared.config.max_identities)?,
    };
    for login in fresh {
        data.link(&target, login, ctx.now);
    }
    Ok(json!({"IdentityId": target}))
}

/// Checks that `Logins` may act for this existing identity, and links the
/// logins it did not have yet. Used by the unsigned calls that take an
/// IdentityId. Returns the identity's logins afterwards.
pub fn authorize(
    ctx: &Ctx<'_>,
    data: &mut Data,
    identity_id: &str,
    logins_in: Option<&Map<String, Value>>,
) -> ApiResult<Vec<Login>> {
    let identity = data.identity(identity_id)?.clone();
    let pool = data.pool(&identity.pool_id)?.clone();
    let logins_in = logins_in.filter(|m| !m.is_empty());
    let Some(logins_in) = logins_in else {
        if identity.authenticated() || identity.disabled {
            return Err(ApiError::not_authorized(format!("Access to Identity '{identity_id}' is forbidden.")));
        }
        if !pool.allow_unauthenticated {
            return Err(unauthenticated_refused());
        }
        return Ok(Vec::new());
    };
    let resolved = logins::resolve(ctx.shared, &pool, logins_in, ctx.now_secs())?;
    let mut matched = false;
    let mut fresh = Vec::new();
    for r in &resolved {
        match r {
            Resolved::Identity(id) if id == identity_id => matched = true,
            Resolved::Identity(_) => return Err(logins_dont_match()),
            Resolved::Login(login) => match data.find_login(&identity.pool_id, login) {
                Some(owner) if owner == identity_id => matched = true,
                Some(_) => {
                    return Err(ApiError::conflict(format!(
                        "Login for provider '{}' is already linked to another identity.",
                        login.provider
                    )));
                }
                None => fresh.push(login.clone()),
            },
        }
    }
    if (identity.authenticated() || identity.disabled) && !matched {
        return Err(logins_dont_match());
    }
    logins::check_one_user_per_provider(data, identity_id, &fresh, pool.developer_provider_name.as_deref())?;
    for login in fresh {
        data.link(identity_id, login, ctx.now);
    }
    Ok(data.identity(identity_id)?.logins.clone())
}

pub fn describe_identity(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    let identity = data.identity(id)?;
    ctx.pool(data, &identity.pool_id).map_err(|_| identity_not_found(id))?;
    Ok(describe(identity))
}

pub fn list_identities(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let max = max_results(input, true)?.unwrap_or(60);
    let hide_disabled = input.opt_bool("HideDisabled")?.unwrap_or(false);
    let after = pagination::decode("identities", input.opt_str("NextToken")?)?;
    ctx.pool(data, pool_id)?;
    let items = data
        .identities_of_pool(pool_id)
        .into_iter()
        .filter(|i| !(hide_disabled && i.disabled))
        .map(|i| (i.seq, describe(i)))
        .collect();
    let (page, next) = pagination::page("identities", items, after, max);
    let mut out = json!({"IdentityPoolId": pool_id, "Identities": page});
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

pub fn delete_identities(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let ids = input.string_list("IdentityIdsToDelete")?;
    if ids.is_empty() || ids.len() > 60 {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{:?}' at 'identityIdsToDelete' failed to satisfy constraint: Member must have length between 1 and 60",
            ids
        )));
    }
    let mut unprocessed = Vec::new();
    for id in ids {
        // Only identities of this account and region can be deleted; others
        // come back as AccessDenied, as AWS reports ids it cannot act on.
        let deletable =
            data.identities.get(id).and_then(|i| data.pools.get(&i.pool_id)).is_some_and(|p| p.region == ctx.region);
        if !deletable || !data.delete_identity(id) {
            unprocessed.push(json!({"IdentityId": id, "ErrorCode": "AccessDenied"}));
        }
    }
    Ok(json!({"UnprocessedIdentityIds": unprocessed}))
}

pub fn unlink_identity(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    let logins_in = input.map("Logins")?;
    let to_remove = input.string_list("LoginsToRemove")?;
    if logins_in.is_empty() {
        return Err(logins_dont_match());
    }
    let current = authorize(ctx, data, id, Some(logins_in))?;
    let pool_id = data.identity(id)?.pool_id.clone();
    let developer = data.pool(&pool_id)?.developer_provider_name.clone();
    for provider in to_remove {
        if Some(provider) == developer.as_deref() {
            return Err(ApiError::invalid_parameter("Developer logins are removed with UnlinkDeveloperIdentity."));
        }
        for login in current.iter().filter(|l| l.provider == provider) {
            data.unlink(id, login, ctx.now);
        }
    }
    Ok(json!({}))
}
