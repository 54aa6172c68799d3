use super::*;

const ALL: [&str; 23] = [
    "CreateIdentityPool",
    "DeleteIdentities",
    "DeleteIdentityPool",
    "DescribeIdentity",
    "DescribeIdentityPool",
    "GetCredentialsForIdentity",
    "GetId",
    "GetIdentityPoolRoles",
    "GetOpenIdToken",
    "GetOpenIdTokenForDeveloperIdentity",
    "GetPrincipalTagAttributeMap",
    "ListIdentities",
    "ListIdentityPools",
    "ListTagsForResource",
    "LookupDeveloperIdentity",
    "MergeDeveloperIdentities",
    "SetIdentityPoolRoles",
    "SetPrincipalTagAttributeMap",
    "TagResource",
    "UnlinkDeveloperIdentity",
    "UnlinkIdentity",
    "UntagResource",
    "UpdateIdentityPool",
];

#[test]
fn all_23_operations_are_present_with_their_targets() {
    assert_eq!(OPERATIONS.len(), 23);
    for name in ALL {
        let op = operation(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(op.target, format!("AWSCognitoIdentityService.{name}"));
        assert_eq!(operation_by_snake_name(op.snake_name).map(|o| o.name), Some(name));
    }
    assert!(operation("getid").is_none());
}

#[test]
fn exactly_the_four_noauth_operations_are_unsigned() {
    let mut unsigned: Vec<_> = OPERATIONS.iter().filter(|o| !o.signed).map(|o| o.name).collect();
    unsigned.sort_unstable();
    assert_eq!(unsigned, ["GetCredentialsForIdentity", "GetId", "GetOpenIdToken", "UnlinkIdentity"]);
}

#[test]
fn the_three_paginated_operations_have_paginators() {
    let mut paged: Vec<_> = OPERATIONS.iter().filter(|o| o.paginator.is_some()).map(|o| o.name).collect();
    paged.sort_unstable();
    assert_eq!(paged, ["ListIdentities", "ListIdentityPools", "LookupDeveloperIdentity"]);
}

#[test]
fn secrets_are_marked_sensitive() {
    for name in ["IdentityProviderToken", "OIDCToken", "SecretKeyString", "SessionTokenString"] {
        assert!(shape_named(name).is_some_and(|s| s.sensitive), "{name}");
    }
    assert!(!shape_named("AccessKeyString").is_some_and(|s| s.sensitive));
}

#[test]
fn error_codes_carry_their_fault_type() {
    let codes: Vec<_> = error_codes().collect();
    assert!(codes.contains(&("InternalErrorException", "Receiver")));
    assert!(codes.contains(&("NotAuthorizedException", "Sender")));
    assert_eq!(codes.len(), 11);
}
