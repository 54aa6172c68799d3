//! Who STS answers say a caller is: a session of an assumed role, or the
//! user that owns the emulator's configured keys.

use crate::arn;
use crate::ids;

/// The `Arn`, `UserId` and `Account` of a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub arn: String,
    pub user_id: String,
    pub account: String,
}

/// The session `session` of role `role_arn`:
/// `arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION`, user id
/// `AROA...:SESSION`. The role id is derived from the role ARN, so it is the
/// same in every answer. A role that is not a well-formed role ARN (a
/// `cognito:preferred_role` claim may hold anything) is named by its last
/// path segment, in `account`.
pub fn assumed_role(role_arn: &str, session: &str, account: &str) -> Principal {
    let (partition, account, name) = match arn::parse_role(role_arn) {
        Some(role) => (role.partition, role.account, role.name),
        None => ("aws", account, role_arn.rsplit('/').next().unwrap_or(role_arn)),
    };
    Principal {
        arn: format!("arn:{partition}:sts::{account}:assumed-role/{name}/{session}"),
        user_id: format!("{}:{session}", ids::stable_id("AROA", role_arn)),
        account: account.to_owned(),
    }
}

/// The IAM user the configured (long-term) keys belong to.
pub fn configured_user(access_key_id: &str, account: &str) -> Principal {
    Principal {
        arn: format!("arn:aws:iam::{account}:user/emulator"),
        user_id: ids::stable_id("AIDA", access_key_id),
        account: account.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assumed_roles_are_named_by_role_and_session() {
        let p = assumed_role("arn:aws:iam::111122223333:role/path/Auth", "app", "123456789012");
        assert_eq!(p.arn, "arn:aws:sts::111122223333:assumed-role/Auth/app");
        assert_eq!(p.account, "111122223333");
        assert!(p.user_id.starts_with("AROA") && p.user_id.ends_with(":app"), "{}", p.user_id);
        assert_eq!(p.user_id, assumed_role("arn:aws:iam::111122223333:role/path/Auth", "app", "x").user_id);
        let odd = assumed_role("not-an-arn", "s", "123456789012");
        assert_eq!(odd.arn, "arn:aws:sts::123456789012:assumed-role/not-an-arn/s");
        let user = configured_user("test", "123456789012");
        assert_eq!(user.arn, "arn:aws:iam::123456789012:user/emulator");
        assert!(user.user_id.starts_with("AIDA"));
    }
}
