//! Identity pools: create, describe, update, delete, list.

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::pagination;
use crate::state::{Data, Pool};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The `IdentityPool` structure AWS returns.
pub fn pool_json(pool: &Pool) -> Value {
    let mut out = Map::new();
    out.insert("IdentityPoolId".into(), json!(pool.id));
    out.insert("IdentityPoolName".into(), json!(pool.name));
    out.insert("AllowUnauthenticatedIdentities".into(), json!(pool.allow_unauthenticated));
    out.insert("AllowClassicFlow".into(), json!(pool.allow_classic_flow));
    if !pool.supported_login_providers.is_empty() {
        out.insert("SupportedLoginProviders".into(), Value::Object(pool.supported_login_providers.clone()));
    }
    if let Some(name) = &pool.developer_provider_name {
        out.insert("DeveloperProviderName".into(), json!(name));
    }
    if !pool.open_id_connect_provider_arns.is_empty() {
        out.insert("OpenIdConnectProviderARNs".into(), json!(pool.open_id_connect_provider_arns));
    }
    if !pool.cognito_identity_providers.is_empty() {
        out.insert("CognitoIdentityProviders".into(), json!(pool.cognito_identity_providers));
    }
    if !pool.saml_provider_arns.is_empty() {
        out.insert("SamlProviderARNs".into(), json!(pool.saml_provider_arns));
    }
    out.insert("IdentityPoolTags".into(), json!(pool.tags));
    Value::Object(out)
}

/// Tags from an `IdentityPoolTags`/`Tags` map, checked as AWS checks them.
pub fn read_tags(pairs: &[(&str, &str)]) -> ApiResult<BTreeMap<String, String>> {
    let mut tags = BTreeMap::new();
    for (k, v) in pairs {
        if k.to_ascii_lowercase().starts_with("aws:") {
            return Err(ApiError::invalid_parameter("Tag keys starting with 'aws:' are reserved for AWS use."));
        }
        tags.insert((*k).to_owned(), (*v).to_owned());
    }
    if tags.len() > 50 {
        return Err(ApiError::invalid_parameter("A resource can have at most 50 tags."));
    }
    Ok(tags)
}

/// The configurable members shared by create and update; `existing` is the
/// pool before an update.
fn configure(pool: &mut Pool, input: Input<'_>, existing: Option<&Pool>) -> ApiResult<()> {
    pool.name = input.str("IdentityPoolName")?.to_owned();
    pool.allow_unauthenticated = input.bool("AllowUnauthenticatedIdentities")?;
    pool.allow_classic_flow = input.opt_bool("AllowClassicFlow")?.unwrap_or(false);
    pool.supported_login_providers = input
        .opt_string_map("SupportedLoginProviders")?
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    let developer = input.opt_str("DeveloperProviderName")?.map(str::to_owned);
    pool.developer_provider_name = match (existing.and_then(|p| p.developer_provider_name.clone()), developer) {
        (Some(old), Some(new)) if old != new => {
            return Err(ApiError::invalid_parameter(
                "The developer provider name of an identity pool cannot be changed once set.",
            ));
        }
        (old, new) => new.or(old),
    };
    if pool.developer_provider_name.as_deref() == Some(crate::logins::COGNITO_IDENTITY_PROVIDER) {
        return Err(ApiError::invalid_parameter("DeveloperProviderName cannot be cognito-identity.amazonaws.com."));
    }
    pool.open_id_connect_provider_arns = input
        .opt_string_list("OpenIdConnectProviderARNs")?
        .unwrap_or_default()
        .into_iter()
        .map(str::to_owned)
        .collect();
    for arn in &pool.open_id_connect_provider_arns {
        if crate::logins::oidc_provider_name(arn).is_none_or(str::is_empty) {
            return Err(ApiError::invalid_parameter(format!("Invalid OpenIdConnectProviderARN: {arn}")));
        }
    }
    pool.saml_provider_arns =
        input.opt_string_list("SamlProviderARNs")?.unwrap_or_default().into_iter().map(str::to_owned).collect();
    let mut providers = Vec::new();
    for p in input.opt_list("CognitoIdentityProviders")?.into_iter().flatten() {
        let Value::Object(p) = p else {
            return Err(ApiError::serialization("CognitoIdentityProviders entries must be objects"));
        };
        let mut p = p.clone();
        p.entry("ServerSideTokenCheck").or_insert(json!(false));
        providers.push(Value::Object(p));
    }
    pool.cognito_identity_providers = providers;
    if let Some(tags) = input.opt_string_map("IdentityPoolTags")? {
        pool.tags = read_tags(&tags)?;
    }
    Ok(())
}

pub fn create_identity_pool(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let in_region = data.pools.values().filter(|p| p.region == ctx.region).count();
    let mut pool = Pool {
        id: crate::ids::regional_id(&ctx.region),
        region: ctx.region.clone(),
        seq: 0,
        name: String::new(),
        allow_unauthenticated: false,
        allow_classic_flow: false,
        supported_login_providers: Map::new(),
        developer_provider_name: None,
        open_id_connect_provider_arns: Vec::new(),
        cognito_identity_providers: Vec::new(),
        saml_provider_arns: Vec::new(),
        tags: BTreeMap::new(),
        roles: Map::new(),
        role_mappings: Map::new(),
        principal_tags: BTreeMap::new(),
    };
    configure(&mut pool, input, None)?;
    if in_region >= ctx.shared.config.max_identity_pools {
        return Err(ApiError::sender(
            "LimitExceededException",
            format!(
                "You have reached the limit of {} identity pools in this account and region.",
                ctx.shared.config.max_identity_pools
            ),
        ));
    }
    pool.seq = data.next_seq();
    let out = pool_json(&pool);
    data.pools.insert(pool.id.clone(), pool);
    Ok(out)
}

pub fn describe_identity_pool(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    Ok(pool_json(ctx.pool(data, id)?))
}

pub fn update_identity_pool(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    let existing = ctx.pool(data, id)?.clone();
    let mut pool = existing.clone();
    configure(&mut pool, input, Some(&existing))?;
    let out = pool_json(&pool);
    *data.pool_mut(id)? = pool;
    Ok(out)
}

pub fn delete_identity_pool(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    ctx.pool(data, id)?;
    data.delete_pool(id);
    Ok(json!({}))
}

pub fn list_identity_pools(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let max = max_results(input, true)?.unwrap_or(60);
    let after = pagination::decode("pools", input.opt_str("NextToken")?)?;
    let mut pools: Vec<&Pool> = data.pools.values().filter(|p| p.region == ctx.region).collect();
    pools.sort_by_key(|p| p.seq);
    let items =
        pools.into_iter().map(|p| (p.seq, json!({"IdentityPoolId": p.id, "IdentityPoolName": p.name}))).collect();
    let (page, next) = pagination::page("pools", items, after, max);
    let mut out = json!({"IdentityPools": page});
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

/// `MaxResults`: 1 to 60 (the model's QueryLimit).
pub fn max_results(input: Input<'_>, required: bool) -> ApiResult<Option<usize>> {
    let value = if required { Some(input.int("MaxResults")?) } else { input.opt_int("MaxResults")? };
    match value {
        None => Ok(None),
        Some(n) if (1..=60).contains(&n) => Ok(usize::try_from(n).ok()),
        Some(n) => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value {}",
            if n < 1 { "greater than or equal to 1" } else { "less than or equal to 60" }
        ))),
    }
}
