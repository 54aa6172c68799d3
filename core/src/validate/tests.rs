use super::*;
use crate::model::{OPERATIONS, operation};
use serde_json::json;

fn check_op(name: &str, input: Value) -> Result<(), String> {
    let op = operation(name).expect("operation");
    validate_input(op, &input).map_err(|e| {
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.code(), "ParamValidationError");
        e.message().to_owned()
    })
}

const POOL: &str = "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

#[test]
fn every_model_pattern_compiles() {
    for (i, shape) in SHAPES.iter().enumerate() {
        if let Kind::String { pattern: Some(p), .. } = shape.kind {
            let id = ShapeId(u16::try_from(i).unwrap());
            let _ = pattern_for(id, p).is_match("x");
        }
    }
}

#[test]
fn accepts_a_valid_input_of_every_shape_kind() {
    check_op(
        "GetId",
        json!({"IdentityPoolId": POOL, "Logins": {"graph.facebook.com": "tok"}, "AccountId": "123456789012"}),
    )
    .unwrap();
    check_op(
        "SetIdentityPoolRoles",
        json!({
            "IdentityPoolId": POOL,
            "Roles": {"authenticated": "arn:aws:iam::123456789012:role/auth"},
            "RoleMappings": {"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client": {
                "Type": "Rules", "AmbiguousRoleResolution": "Deny",
                "RulesConfiguration": {"Rules": [{"Claim": "isAdmin", "MatchType": "Equals", "Value": "yes", "RoleARN": "arn:aws:iam::123456789012:role/admin"}]}
            }}
        }),
    )
    .unwrap();
    check_op("ListIdentities", json!({"IdentityPoolId": POOL, "MaxResults": 60, "HideDisabled": true})).unwrap();
}

#[test]
fn missing_required_and_unknown_members_are_all_reported() {
    let msg = check_op("ListIdentities", json!({"Bogus": 1})).unwrap_err();
    assert!(msg.starts_with("Parameter validation failed for ListIdentities:"), "{msg}");
    assert!(msg.contains("Missing required parameter: IdentityPoolId"), "{msg}");
    assert!(msg.contains("Missing required parameter: MaxResults"), "{msg}");
    assert!(
        msg.contains("Unknown parameter: Bogus, must be one of: IdentityPoolId, MaxResults, NextToken, HideDisabled"),
        "{msg}"
    );
}

#[test]
fn input_must_be_an_object() {
    let msg = check_op("GetId", json!([1])).unwrap_err();
    assert!(msg.contains("must be a JSON object, not list"), "{msg}");
}

#[test]
fn wrong_json_types_name_the_member() {
    let msg = check_op("ListIdentityPools", json!({"MaxResults": "10"})).unwrap_err();
    assert!(msg.contains("Invalid type for parameter MaxResults, type: string, valid types: integer"), "{msg}");
    let msg = check_op("ListIdentityPools", json!({"MaxResults": 1.5})).unwrap_err();
    assert!(msg.contains("MaxResults"), "{msg}");
    let msg = check_op("CreateIdentityPool", json!({"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": null}))
        .unwrap_err();
    assert!(msg.contains("AllowUnauthenticatedIdentities, type: null, valid types: boolean"), "{msg}");
}

#[test]
fn integer_ranges_are_checked_at_both_boundaries() {
    for ok in [1, 60] {
        check_op("ListIdentityPools", json!({"MaxResults": ok})).unwrap();
    }
    for bad in [0, 61, -1] {
        let msg = check_op("ListIdentityPools", json!({"MaxResults": bad})).unwrap_err();
        assert!(msg.contains(&format!("value: {bad}, valid range: 1 to 60")), "{msg}");
    }
    let base = json!({"IdentityPoolId": POOL, "Logins": {"login.dev": "u"}});
    for (d, ok) in [(1, true), (86400, true), (0, false), (86401, false)] {
        let mut input = base.clone();
        input["TokenDuration"] = json!(d);
        assert_eq!(check_op("GetOpenIdTokenForDeveloperIdentity", input).is_ok(), ok, "{d}");
    }
}

#[test]
fn string_lengths_count_characters() {
    let name = |n: usize| json!({"IdentityPoolName": "é".repeat(n), "AllowUnauthenticatedIdentities": false});
    // 'é' is not in \w (ASCII), so use a pattern-free shape for the length check.
    let tag = |n: usize| json!({"ResourceArn": "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/x", "Tags": {"k": "é".repeat(n)}});
    check_op("TagResource", tag(256)).unwrap();
    check_op("TagResource", tag(0)).unwrap();
    let msg = check_op("TagResource", tag(257)).unwrap_err();
    assert!(msg.contains("Invalid length for parameter Tags[\"k\"]"), "{msg}");
    assert!(msg.contains("length: 257, valid range: 0 to 256"), "{msg}");
    assert!(check_op("CreateIdentityPool", name(1)).unwrap_err().contains("must match pattern"));
}

#[test]
fn patterns_match_the_whole_value_with_ascii_classes() {
    check_op("DescribeIdentityPool", json!({"IdentityPoolId": "us-east-1:abc-123"})).unwrap();
    for bad in ["us-east-1", "us-east-1:ABC", "x us-east-1:abc", "us-east-1:abc ", "ü:abc"] {
        let msg = check_op("DescribeIdentityPool", json!({"IdentityPoolId": bad})).unwrap_err();
        assert!(msg.contains("must match pattern: [\\w-]+:[0-9a-f-]+"), "{bad}: {msg}");
    }
    let msg = check_op("ListIdentityPools", json!({"MaxResults": 1, "NextToken": "a b"})).unwrap_err();
    assert!(msg.contains("NextToken"), "{msg}");
}

#[test]
fn enums_list_the_valid_values() {
    let input = json!({"IdentityPoolId": POOL, "Roles": {}, "RoleMappings": {"p": {"Type": "Magic"}}});
    let msg = check_op("SetIdentityPoolRoles", input).unwrap_err();
    assert!(msg.contains("RoleMappings[\"p\"].Type, value: \"Magic\", valid values: Token, Rules"), "{msg}");
}

#[test]
fn list_and_map_sizes_are_checked_at_both_boundaries() {
    let ids = |n: usize| json!({"IdentityIdsToDelete": vec![POOL; n]});
    check_op("DeleteIdentities", ids(1)).unwrap();
    check_op("DeleteIdentities", ids(60)).unwrap();
    assert!(check_op("DeleteIdentities", ids(0)).unwrap_err().contains("length: 0, valid range: 1 to 60"));
    assert!(check_op("DeleteIdentities", ids(61)).unwrap_err().contains("length: 61, valid range: 1 to 60"));

    let logins = |n: usize| {
        let m: serde_json::Map<String, Value> = (0..n).map(|i| (format!("p{i}"), json!("t"))).collect();
        json!({"IdentityPoolId": POOL, "Logins": m})
    };
    check_op("GetId", logins(10)).unwrap();
    let msg = check_op("GetId", logins(11)).unwrap_err();
    assert!(msg.contains("Invalid length for parameter Logins, entries: 11, valid range: at most 10"), "{msg}");
}

#[test]
fn map_keys_are_checked_against_their_shape() {
    let msg = check_op(
        "SetIdentityPoolRoles",
        json!({"IdentityPoolId": POOL, "Roles": {"admin": "arn:aws:iam::123456789012:role/x"}}),
    )
    .unwrap_err();
    assert!(msg.contains("Roles[\"admin\"] (key)"), "{msg}");
    assert!(msg.contains("must match pattern: (un)?authenticated"), "{msg}");
}

#[test]
fn sensitive_values_are_never_quoted() {
    let canary = "CANARY-SECRET-TOKEN";
    let long = canary.repeat(3000); // over the 50000-character limit of a login token
    let msg = check_op("GetId", json!({"IdentityPoolId": POOL, "Logins": {"p": long, "q": ""}})).unwrap_err();
    assert!(msg.contains("Logins[\"p\"], value: (sensitive)"), "{msg}");
    assert!(msg.contains("Logins[\"q\"], value: (sensitive)"), "{msg}");
    assert!(!msg.contains("CANARY"), "{msg}");
}

#[test]
fn long_values_are_cut_when_quoted() {
    let msg = check_op("DescribeIdentityPool", json!({"IdentityPoolId": "Z".repeat(500)})).unwrap_err();
    assert!(msg.contains(&format!("\"{}\"...", "Z".repeat(64))), "{msg}");
    assert!(!msg.contains(&"Z".repeat(65)));
}

#[test]
fn deep_nesting_is_refused_without_recursion_blowup() {
    let mut v = json!("x");
    for _ in 0..100 {
        v = json!({"Rules": v});
    }
    // A wrong type stops descent at once, so depth costs nothing here.
    assert!(check_op("GetId", json!({"IdentityPoolId": POOL, "Logins": v})).is_err());
}

#[test]
fn every_operation_rejects_an_empty_input_if_it_has_required_members() {
    for op in OPERATIONS.iter() {
        let Kind::Structure { members } = &op.input.shape().kind else { panic!() };
        let required = members.iter().any(|m| m.required);
        assert_eq!(validate_input(op, &json!({})).is_err(), required, "{}", op.name);
    }
}

#[test]
fn java_classes_translate_inside_and_outside_brackets() {
    assert_eq!(java_to_rust(r"[\w-]+:\d"), "[[:word:]-]+:[[:digit:]]");
    assert_eq!(java_to_rust(r"[\S]+"), "[[:^space:]]+");
    assert_eq!(java_to_rust(r"[\p{L}]+\."), r"[\p{L}]+\.");
}
