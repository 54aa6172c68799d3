//! The 23 operations, each a function from JSON input to JSON output.

mod credentials;
mod developer;
mod identities;
mod pools;
mod roles;
mod tags;

pub use tags::pool_arn;

use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::shared::Shared;
use crate::state::{Data, Pool, pool_not_found};
use serde_json::Value;

/// What an operation knows about its request.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub shared: &'a Shared,
    /// The region of the signature's credential scope (signed operations) or
    /// of the endpoint (unsigned ones).
    pub region: String,
    /// Whether the request carried a verified signature.
    pub signed: bool,
    /// Server time, epoch seconds.
    pub now: f64,
}

impl Ctx<'_> {
    /// The pool, as seen from this request's region: a signed request for a
    /// pool of another region does not find it, as on AWS.
    pub fn pool<'d>(&self, data: &'d Data, id: &str) -> ApiResult<&'d Pool> {
        let pool = data.pool(id)?;
        if self.signed && pool.region != self.region {
            return Err(pool_not_found(id));
        }
        Ok(pool)
    }

    pub fn pool_mut<'d>(&self, data: &'d mut Data, id: &str) -> ApiResult<&'d mut Pool> {
        self.pool(data, id)?;
        data.pool_mut(id)
    }

    pub fn now_secs(&self) -> i64 {
        self.now as i64
    }
}

type Handler = fn(&Ctx<'_>, &mut Data, Input<'_>) -> ApiResult<Value>;

/// The handler of an operation, by its wire name.
fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "CreateIdentityPool" => pools::create_identity_pool,
        "DeleteIdentityPool" => pools::delete_identity_pool,
        "DescribeIdentityPool" => pools::describe_identity_pool,
        "ListIdentityPools" => pools::list_identity_pools,
        "UpdateIdentityPool" => pools::update_identity_pool,
        "GetId" => identities::get_id,
        "DescribeIdentity" => identities::describe_identity,
        "ListIdentities" => identities::list_identities,
        "DeleteIdentities" => identities::delete_identities,
        "UnlinkIdentity" => identities::unlink_identity,
        "GetCredentialsForIdentity" => credentials::get_credentials_for_identity,
        "GetOpenIdToken" => credentials::get_open_id_token,
        "GetOpenIdTokenForDeveloperIdentity" => developer::get_open_id_token_for_developer_identity,
        "LookupDeveloperIdentity" => developer::lookup_developer_identity,
        "MergeDeveloperIdentities" => developer::merge_developer_identities,
        "UnlinkDeveloperIdentity" => developer::unlink_developer_identity,
        "GetIdentityPoolRoles" => roles::get_identity_pool_roles,
        "SetIdentityPoolRoles" => roles::set_identity_pool_roles,
        "GetPrincipalTagAttributeMap" => roles::get_principal_tag_attribute_map,
        "SetPrincipalTagAttributeMap" => roles::set_principal_tag_attribute_map,
        "TagResource" => tags::tag_resource,
        "UntagResource" => tags::untag_resource,
        "ListTagsForResource" => tags::list_tags_for_resource,
        _ => return None,
    })
}

/// Runs one operation against the shared state.
pub fn call(ctx: &Ctx<'_>, operation: &str, input: &Value) -> ApiResult<Value> {
    let handler =
        handler(operation).ok_or_else(|| ApiError::internal(format!("operation {operation} has no handler")))?;
    let Value::Object(members) = input else {
        return Err(ApiError::serialization("The request body must be a JSON object"));
    };
    let mut data = crate::faults::lock(&ctx.shared.data);
    handler(ctx, &mut data, Input(members))
}

/// Every operation of the model has a handler.
#[cfg(test)]
mod tests {
    #[test]
    fn all_23_operations_are_handled() {
        for op in cognito_identity::model::OPERATIONS.iter() {
            assert!(super::handler(op.name).is_some(), "{} has no handler", op.name);
        }
        assert_eq!(cognito_identity::model::OPERATIONS.len(), 23);
    }
}
