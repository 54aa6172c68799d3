use super::*;
use crate::ErrorCode;
use serde_json::json;

#[test]
fn builders_check_the_model_with_the_json_paths_messages() {
    let e = GetIdInput::builder().build().unwrap_err();
    assert_eq!((e.kind(), e.error_code()), (ErrorKind::Validation, Some(ErrorCode::ParamValidationError)));
    assert!(e.message().contains("IdentityPoolId"), "{e}");
    let e = GetIdInput::builder().identity_pool_id("nocolon").build().unwrap_err();
    let json_path = crate::validate::validate_input(
        model::operation("GetId").expect("GetId"),
        &json!({"IdentityPoolId": "nocolon"}),
    )
    .unwrap_err();
    assert_eq!(e.message(), json_path.message());
    let ok = GetIdInput::builder()
        .identity_pool_id("us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
        .logins(HashMap::from([("graph.facebook.com".to_owned(), "TOKEN-CANARY".to_owned())]))
        .build()
        .expect("valid");
    assert_eq!(ok.identity_pool_id(), "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    assert_eq!(
        ok.to_json(),
        json!({"IdentityPoolId": "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "Logins": {"graph.facebook.com": "TOKEN-CANARY"}})
    );
    assert!(!format!("{ok:?}").contains("CANARY"), "{ok:?}");
}

#[test]
fn outputs_read_members_lists_timestamps_enums_and_metadata() {
    let answer = json!({
        "IdentityPools": [{"IdentityPoolId": "us-east-1:a", "IdentityPoolName": "one"}],
        "NextToken": "t",
        "ResponseMetadata": {"RequestId": "r-1", "HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 2}
    });
    let out = ListIdentityPoolsOutput::from_response(&answer).expect("parses");
    assert_eq!(out.identity_pools().len(), 1);
    assert_eq!(out.identity_pools()[0].identity_pool_name(), Some("one"));
    assert_eq!(out.next_token(), Some("t"));
    let meta = out.response_metadata().expect("metadata");
    assert_eq!((meta.request_id(), meta.http_status(), meta.retry_attempts()), (Some("r-1"), 200, 2));
    let empty = ListIdentitiesOutput::from_response(&json!({})).expect("empty");
    assert!(empty.identities().is_empty() && empty.response_metadata().is_none());

    let creds = GetCredentialsForIdentityOutput::from_response(&json!({
        "IdentityId": "us-east-1:x",
        "Credentials": {"AccessKeyId": "ASIA", "SecretKey": "SECRET-CANARY", "SessionToken": "TOKEN-CANARY", "Expiration": 1.7e9}
    }))
    .expect("parses");
    let c = creds.credentials().expect("credentials");
    assert_eq!(c.expiration(), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    assert!(!format!("{creds:?}").contains("CANARY"), "{creds:?}");

    let roles = GetIdentityPoolRolesOutput::from_response(&json!({
        "RoleMappings": {"p": {"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "c", "MatchType": "Equals", "Value": "v", "RoleARN": "arn:aws:iam::1:role/r"}]}}}
    }))
    .expect("parses");
    let mapping = &roles.role_mappings().expect("mappings")["p"];
    assert_eq!(mapping.r#type(), Some(&RoleMappingType::Rules));
    assert_eq!(mapping.ambiguous_role_resolution(), Some(&AmbiguousRoleResolutionType::Deny));
    assert_eq!(
        mapping.rules_configuration().expect("rules").rules()[0].match_type(),
        Some(&MappingRuleMatchType::Equals)
    );
    assert_eq!(RoleMappingType::from("Future"), RoleMappingType::Unknown("Future".into()));
}

#[test]
fn wrong_types_in_an_answer_name_the_member() {
    let e = ListIdentityPoolsOutput::from_response(&json!({"IdentityPools": [{"IdentityPoolId": 5}]})).unwrap_err();
    assert_eq!(e.error_code(), Some(ErrorCode::ResponseParserError));
    assert!(e.message().contains("ListIdentityPoolsOutput.IdentityPools[0].IdentityPoolId"), "{e}");
}
