//! Resource tags on a pool's ARN.

use super::Ctx;
use super::pools::read_tags;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::state::{Data, Pool, pool_not_found};
use serde_json::{Value, json};

/// `arn:aws:cognito-identity:REGION:ACCOUNT:identitypool/POOLID`.
pub fn pool_arn(region: &str, account: &str, pool_id: &str) -> String {
    format!("arn:aws:cognito-identity:{region}:{account}:identitypool/{pool_id}")
}

/// The pool an ARN names, if it is one of this account's pools.
fn pool_of_arn<'d>(ctx: &Ctx<'_>, data: &'d mut Data, arn: &str) -> ApiResult<&'d mut Pool> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", partition, "cognito-identity", region, account, resource] = parts[..] else {
        return Err(ApiError::invalid_parameter(format!("Invalid ARN: {arn}")));
    };
    let Some(pool_id) = resource.strip_prefix("identitypool/") else {
        return Err(ApiError::invalid_parameter(format!("Invalid ARN: {arn}")));
    };
    if !partition.starts_with("aws") || account != ctx.shared.config.account_id || region != ctx.region {
        return Err(ApiError::not_found(format!("Resource '{arn}' not found.")));
    }
    ctx.pool_mut(data, pool_id).map_err(|_| pool_not_found(pool_id))
}

pub fn tag_resource(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let arn = input.str("ResourceArn")?;
    input.map("Tags")?;
    let tags = read_tags(&input.opt_string_map("Tags")?.unwrap_or_default())?;
    let pool = pool_of_arn(ctx, data, arn)?;
    let mut merged = pool.tags.clone();
    merged.extend(tags);
    if merged.len() > 50 {
        return Err(ApiError::invalid_parameter("A resource can have at most 50 tags."));
    }
    pool.tags = merged;
    Ok(json!({}))
}

pub fn untag_resource(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let arn = input.str("ResourceArn")?;
    let keys = input.string_list("TagKeys")?;
    let pool = pool_of_arn(ctx, data, arn)?;
    for k in keys {
        pool.tags.remove(k);
    }
    Ok(json!({}))
}

pub fn list_tags_for_resource(ctx: &Ctx<'_>, data: &mut Data, input: Input<'_>) -> ApiResult<Value> {
    let arn = input.str("ResourceArn")?;
    let pool = pool_of_arn(ctx, data, arn)?;
    Ok(json!({"Tags": pool.tags}))
}
