//! Roles, role mappings and principal tag attribute maps of a pool.

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::logins;
use crate::state::{Data, Pool};
use serde_json::{Map, Value, json};

/// `arn:aws:iam::123456789012:role/Name` (any partition, any path).
fn is_role_arn(arn: &str) -> bool {
    crate::arn::parse_role(arn).is_some()
}

fn check_role_arn(arn: &str, member: &str) -> ApiResult<()> {
    if is_role_arn(arn) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!("{member} '{arn}' is not a valid IAM role ARN.")))
    }
}

/// A role-mapping key names a provider the pool has: the provider itself, or
/// for Cognito user pools `provider:clientId`.
fn mapping_key_supported(pool: &Pool, key: &str) -> bool {
    logins::supports(pool, key) || key.rsplit_once(':').is_some_and(|(provider, _)| logins::supports(pool, provider))
}

fn check_role_mapping(pool: &Pool, key: &str, mapping: &Value) -> ApiResult<()> {
    if key == logins::COGNITO_IDENTITY_PROVIDER || !mapping_key_supported(pool, key) {
        return Err(ApiError::invalid_parameter(format!(
            "Role mapping key '{key}' is not an identity provider of this identity pool."
        )));
    }
    let kind = mapping.get("Type").and_then(Value::as_str).unwrap_or_default();
    if mapping.get("AmbiguousRoleResolution").is_none_or(Value::is_null) {
        return Err(ApiError::invalid_parameter(format!(
            "AmbiguousRoleResolution is required for role mapping '{key}' of Type {kind}."
        )));
    }
    match kind {
        "Rules" => {
            let rules = mapping
                .pointer("/RulesConfiguration/Rules")
                .and_then(Value::as_array)
                .filter(|r| !r.is_empty())
                .ok_or_else(|| {
                    ApiError::invalid_parameter(format!(
                        "RulesConfiguration is required for role mapping '{key}' of Type Rules."
                    ))
                })?;
            for rule in rules {
                let arn = rule.get("RoleARN").and_then(Value::as_str).unwrap_or_default();
                check_role_arn(arn, "RoleARN")?;
            }
            Ok(())
        }
        "Token" => Ok(()),
        other => Err(ApiError::invalid_parameter(format!("Role mapping Type '{other}' must be Token or Rules."))),
    }
}

pub fn set_identity_pool_roles(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let roles = input.map("Roles")?;
    let mappings = input.opt_map("RoleMappings")?.cloned().unwrap_or_default();
    let pool = ctx.pool(data, pool_id)?;
    for (kind, arn) in roles {
        if kind != "authenticated" && kind != "unauthenticated" {
            return Err(ApiError::invalid_parameter(format!(
                "Role type '{kind}' must be authenticated or unauthenticated."
            )));
        }
        check_role_arn(arn.as_str().unwrap_or_default(), "Role")?;
    }
    for (key, mapping) in &mappings {
        check_role_mapping(pool, key, mapping)?;
    }
    let pool = data.pool_mut(pool_id)?;
    pool.roles = roles.clone();
    pool.role_mappings = mappings;
    Ok(json!({}))
}

pub fn get_identity_pool_roles(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let pool = ctx.pool(data, pool_id)?;
    let mut out = json!({"IdentityPoolId": pool_id, "Roles": pool.roles});
    if !pool.role_mappings.is_empty() {
        out["RoleMappings"] = Value::Object(pool.role_mappings.clone());
    }
    Ok(out)
}

/// The mapping `UseDefaults` stands for: the user's `sub` and the app's `aud`.
fn default_principal_tags() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("username".into(), json!("sub"));
    m.insert("client".into(), json!("aud"));
    m
}

fn principal_tag_json(pool_id: &str, provider: &str, use_defaults: bool, tags: &Map<String, Value>) -> Value {
    json!({
        "IdentityPoolId": pool_id,
        "IdentityProviderName": provider,
        "UseDefaults": use_defaults,
        "PrincipalTags": tags,
    })
}

pub fn set_principal_tag_attribute_map(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let provider = input.str("IdentityProviderName")?;
    let use_defaults = input.opt_bool("UseDefaults")?.unwrap_or(false);
    let given = input.opt_string_map("PrincipalTags")?;
    let tags: Map<String, Value> = match given {
        Some(pairs) if !pairs.is_empty() => pairs.into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect(),
        _ if use_defaults => default_principal_tags(),
        _ => Map::new(),
    };
    let pool = ctx.pool_mut(data, pool_id)?;
    pool.principal_tags.insert(provider.to_owned(), (use_defaults, tags.clone()));
    Ok(principal_tag_json(pool_id, provider, use_defaults, &tags))
}

pub fn get_principal_tag_attribute_map(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    let provider = input.str("IdentityProviderName")?;
    let pool = ctx.pool(data, pool_id)?;
    let (use_defaults, tags) = pool.principal_tags.get(provider).cloned().unwrap_or((false, Map::new()));
    Ok(principal_tag_json(pool_id, provider, use_defaults, &tags))
}

#[cfg(test)]
mod tests {
    #[test]
    fn role_arns() {
        assert!(super::is_role_arn("arn:aws:iam::123456789012:role/Cognito_Auth"));
        assert!(super::is_role_arn("arn:aws-cn:iam::123456789012:role/path/R"));
        assert!(!super::is_role_arn("arn:aws:iam::123456789012:user/bob"));
        assert!(!super::is_role_arn("arn:aws:s3:::bucket"));
        assert!(!super::is_role_arn("not an arn"));
    }
}
