//! Endpoint resolution checked against botocore (1.43.11), an implementation that
//! is not ours.
//!
//! `BOTOCORE` rows are the URLs botocore actually sent requests to: a client made with
//! `create_client('cognito-identity', region_name=R, config=Config(use_fips_endpoint=F,
//! use_dualstack_endpoint=D))` and a `before-send` hook capturing `request.url` (the
//! per-request rule-set resolution). `meta.endpoint_url` was not used: botocore fills
//! it from its legacy endpoints.json resolver, which disagrees with the rule set for
//! dual-stack (e.g. it says `ap-southeast-7.api.aws` where requests go to
//! `ap-southeast-7.amazonaws.com`). Rows marked (*) are where botocore's client refuses
//! at creation (legacy `EndpointVariantError` for dual-stack in aws-iso-e/aws-iso-f);
//! their URLs come from `botocore.endpoint_provider.EndpointProvider` on the same rule set.

use super::partition::Partitions;
use super::rules::{self, Failure, RuleSet};
use super::{EndpointParams, resolve};
use crate::ErrorKind;
use crate::error::codes;
use serde_json::{Value, json};
use std::collections::HashMap;

#[rustfmt::skip]
const BOTOCORE: &[(&str, bool, bool, &str)] = &[
    // (region, use_fips, use_dual_stack, url)
    ("us-east-1", false, false, "https://cognito-identity.us-east-1.amazonaws.com"),
    ("us-east-1", false, true, "https://cognito-identity.us-east-1.amazonaws.com"),
    ("us-east-1", true, false, "https://cognito-identity-fips.us-east-1.amazonaws.com"),
    ("us-east-1", true, true, "https://cognito-identity-fips.us-east-1.amazonaws.com"),
    ("us-east-2", false, false, "https://cognito-identity.us-east-2.amazonaws.com"),
    ("us-east-2", false, true, "https://cognito-identity.us-east-2.amazonaws.com"),
    ("us-east-2", true, false, "https://cognito-identity-fips.us-east-2.amazonaws.com"),
    ("us-east-2", true, true, "https://cognito-identity-fips.us-east-2.amazonaws.com"),
    ("us-west-1", false, false, "https://cognito-identity.us-west-1.amazonaws.com"),
    ("us-west-1", false, true, "https://cognito-identity.us-west-1.amazonaws.com"),
    ("us-west-1", true, false, "https://cognito-identity-fips.us-west-1.amazonaws.com"),
    ("us-west-1", true, true, "https://cognito-identity-fips.us-west-1.amazonaws.com"),
    ("us-west-2", false, false, "https://cognito-identity.us-west-2.amazonaws.com"),
    ("us-west-2", false, true, "https://cognito-identity.us-west-2.amazonaws.com"),
    ("us-west-2", true, false, "https://cognito-identity-fips.us-west-2.amazonaws.com"),
    ("us-west-2", true, true, "https://cognito-identity-fips.us-west-2.amazonaws.com"),
    ("eu-west-1", false, false, "https://cognito-identity.eu-west-1.amazonaws.com"),
    ("eu-west-1", false, true, "https://cognito-identity.eu-west-1.amazonaws.com"),
    ("eu-west-1", true, false, "https://cognito-identity-fips.eu-west-1.amazonaws.com"),
    ("eu-west-1", true, true, "https://cognito-identity-fips.eu-west-1.api.aws"),
    ("ap-southeast-7", false, false, "https://cognito-identity.ap-southeast-7.amazonaws.com"),
    ("ap-southeast-7", false, true, "https://cognito-identity.ap-southeast-7.amazonaws.com"),
    ("ap-southeast-7", true, false, "https://cognito-identity-fips.ap-southeast-7.amazonaws.com"),
    ("ap-southeast-7", true, true, "https://cognito-identity-fips.ap-southeast-7.api.aws"),
    ("mx-central-1", false, false, "https://cognito-identity.mx-central-1.amazonaws.com"),
    ("mx-central-1", false, true, "https://cognito-identity.mx-central-1.amazonaws.com"),
    ("mx-central-1", true, false, "https://cognito-identity-fips.mx-central-1.amazonaws.com"),
    ("mx-central-1", true, true, "https://cognito-identity-fips.mx-central-1.api.aws"),
    ("us-gov-west-1", false, false, "https://cognito-identity.us-gov-west-1.amazonaws.com"),
    ("us-gov-west-1", false, true, "https://cognito-identity.us-gov-west-1.api.aws"),
    ("us-gov-west-1", true, false, "https://cognito-identity-fips.us-gov-west-1.amazonaws.com"),
    ("us-gov-west-1", true, true, "https://cognito-identity-fips.us-gov-west-1.api.aws"),
    ("us-gov-east-1", false, false, "https://cognito-identity.us-gov-east-1.amazonaws.com"),
    ("us-gov-east-1", false, true, "https://cognito-identity.us-gov-east-1.api.aws"),
    ("us-gov-east-1", true, false, "https://cognito-identity-fips.us-gov-east-1.amazonaws.com"),
    ("us-gov-east-1", true, true, "https://cognito-identity-fips.us-gov-east-1.api.aws"),
    ("cn-north-1", false, false, "https://cognito-identity.cn-north-1.amazonaws.com.cn"),
    ("cn-north-1", false, true, "https://cognito-identity.cn-north-1.api.amazonwebservices.com.cn"),
    ("cn-north-1", true, false, "https://cognito-identity-fips.cn-north-1.amazonaws.com.cn"),
    ("cn-north-1", true, true, "https://cognito-identity-fips.cn-north-1.api.amazonwebservices.com.cn"),
    ("cn-northwest-1", false, false, "https://cognito-identity.cn-northwest-1.amazonaws.com.cn"),
    ("cn-northwest-1", false, true, "https://cognito-identity.cn-northwest-1.api.amazonwebservices.com.cn"),
    ("cn-northwest-1", true, false, "https://cognito-identity-fips.cn-northwest-1.amazonaws.com.cn"),
    ("cn-northwest-1", true, true, "https://cognito-identity-fips.cn-northwest-1.api.amazonwebservices.com.cn"),
    ("us-iso-east-1", false, false, "https://cognito-identity.us-iso-east-1.c2s.ic.gov"),
    ("us-iso-east-1", false, true, "https://cognito-identity.us-iso-east-1.api.aws.ic.gov"),
    ("us-iso-east-1", true, false, "https://cognito-identity-fips.us-iso-east-1.c2s.ic.gov"),
    ("us-iso-east-1", true, true, "https://cognito-identity-fips.us-iso-east-1.api.aws.ic.gov"),
    ("us-iso-west-1", false, false, "https://cognito-identity.us-iso-west-1.c2s.ic.gov"),
    ("us-iso-west-1", false, true, "https://cognito-identity.us-iso-west-1.api.aws.ic.gov"),
    ("us-iso-west-1", true, false, "https://cognito-identity-fips.us-iso-west-1.c2s.ic.gov"),
    ("us-iso-west-1", true, true, "https://cognito-identity-fips.us-iso-west-1.api.aws.ic.gov"),
    ("us-isob-east-1", false, false, "https://cognito-identity.us-isob-east-1.sc2s.sgov.gov"),
    ("us-isob-east-1", false, true, "https://cognito-identity.us-isob-east-1.api.aws.scloud"),
    ("us-isob-east-1", true, false, "https://cognito-identity-fips.us-isob-east-1.sc2s.sgov.gov"),
    ("us-isob-east-1", true, true, "https://cognito-identity-fips.us-isob-east-1.api.aws.scloud"),
    ("eu-isoe-west-1", false, false, "https://cognito-identity.eu-isoe-west-1.cloud.adc-e.uk"),
    ("eu-isoe-west-1", false, true, "https://cognito-identity.eu-isoe-west-1.api.cloud-aws.adc-e.uk"), // (*)
    ("eu-isoe-west-1", true, false, "https://cognito-identity-fips.eu-isoe-west-1.cloud.adc-e.uk"),
    ("eu-isoe-west-1", true, true, "https://cognito-identity-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk"), // (*)
    ("us-isof-south-1", false, false, "https://cognito-identity.us-isof-south-1.csp.hci.ic.gov"),
    ("us-isof-south-1", false, true, "https://cognito-identity.us-isof-south-1.api.aws.hci.ic.gov"), // (*)
    ("us-isof-south-1", true, false, "https://cognito-identity-fips.us-isof-south-1.csp.hci.ic.gov"),
    ("us-isof-south-1", true, true, "https://cognito-identity-fips.us-isof-south-1.api.aws.hci.ic.gov"), // (*)
    ("us-isof-east-1", false, false, "https://cognito-identity.us-isof-east-1.csp.hci.ic.gov"),
    ("us-isof-east-1", false, true, "https://cognito-identity.us-isof-east-1.api.aws.hci.ic.gov"), // (*)
    ("us-isof-east-1", true, false, "https://cognito-identity-fips.us-isof-east-1.csp.hci.ic.gov"),
    ("us-isof-east-1", true, true, "https://cognito-identity-fips.us-isof-east-1.api.aws.hci.ic.gov"), // (*)
    ("eusc-de-east-1", false, false, "https://cognito-identity.eusc-de-east-1.amazonaws.eu"),
    ("eusc-de-east-1", false, true, "https://cognito-identity.eusc-de-east-1.api.amazonwebservices.eu"),
    ("eusc-de-east-1", true, false, "https://cognito-identity-fips.eusc-de-east-1.amazonaws.eu"),
    ("eusc-de-east-1", true, true, "https://cognito-identity-fips.eusc-de-east-1.api.amazonwebservices.eu"),
    ("xx-future-1", false, false, "https://cognito-identity.xx-future-1.amazonaws.com"),
    ("xx-future-1", false, true, "https://cognito-identity.xx-future-1.amazonaws.com"),
    ("xx-future-1", true, false, "https://cognito-identity-fips.xx-future-1.amazonaws.com"),
    ("xx-future-1", true, true, "https://cognito-identity-fips.xx-future-1.api.aws"),
    ("us-gov-north-9", false, false, "https://cognito-identity.us-gov-north-9.amazonaws.com"),
    ("us-gov-north-9", false, true, "https://cognito-identity.us-gov-north-9.api.aws"),
    ("us-gov-north-9", true, false, "https://cognito-identity-fips.us-gov-north-9.amazonaws.com"),
    ("us-gov-north-9", true, true, "https://cognito-identity-fips.us-gov-north-9.api.aws"),
    ("cn-south-7", false, false, "https://cognito-identity.cn-south-7.amazonaws.com.cn"),
    ("cn-south-7", false, true, "https://cognito-identity.cn-south-7.api.amazonwebservices.com.cn"),
    ("cn-south-7", true, false, "https://cognito-identity-fips.cn-south-7.amazonaws.com.cn"),
    ("cn-south-7", true, true, "https://cognito-identity-fips.cn-south-7.api.amazonwebservices.com.cn"),
    ("us-iso-north-3", false, false, "https://cognito-identity.us-iso-north-3.c2s.ic.gov"),
    ("us-iso-north-3", false, true, "https://cognito-identity.us-iso-north-3.api.aws.ic.gov"),
    ("us-iso-north-3", true, false, "https://cognito-identity-fips.us-iso-north-3.c2s.ic.gov"),
    ("us-iso-north-3", true, true, "https://cognito-identity-fips.us-iso-north-3.api.aws.ic.gov"),
    ("aws-global", false, false, "https://cognito-identity.aws-global.amazonaws.com"),
    ("aws-global", false, true, "https://cognito-identity.aws-global.amazonaws.com"),
    ("aws-global", true, false, "https://cognito-identity-fips.aws-global.amazonaws.com"),
    ("aws-global", true, true, "https://cognito-identity-fips.aws-global.api.aws"),
    ("mars-east-1", false, false, "https://cognito-identity.mars-east-1.amazonaws.com"),
    ("mars-east-1", false, true, "https://cognito-identity.mars-east-1.amazonaws.com"),
    ("mars-east-1", true, false, "https://cognito-identity-fips.mars-east-1.amazonaws.com"),
    ("mars-east-1", true, true, "https://cognito-identity-fips.mars-east-1.api.aws"),
    ("eu-central-9", false, false, "https://cognito-identity.eu-central-9.amazonaws.com"),
    ("eu-central-9", false, true, "https://cognito-identity.eu-central-9.amazonaws.com"),
    ("eu-central-9", true, false, "https://cognito-identity-fips.eu-central-9.amazonaws.com"),
    ("eu-central-9", true, true, "https://cognito-identity-fips.eu-central-9.api.aws"),
];

fn region(region: &str, use_fips: bool, use_dual_stack: bool) -> EndpointParams<'_> {
    EndpointParams { region: Some(region), use_fips, use_dual_stack, endpoint: None }
}

fn custom(endpoint: &str, use_fips: bool, use_dual_stack: bool) -> EndpointParams<'_> {
    EndpointParams { region: Some("us-east-1"), use_fips, use_dual_stack, endpoint: Some(endpoint) }
}

/// The error's code and message, or a panic naming the URL that resolved instead.
fn err(params: EndpointParams<'_>) -> (String, String) {
    match resolve(&params) {
        Ok(url) => panic!("{params:?} resolved to {url}, expected an error"),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Configuration, "{e:?}");
            (e.code().to_owned(), e.message().to_owned())
        }
    }
}

#[test]
fn matches_botocore_for_every_partition_and_variant() {
    let mut failures = Vec::new();
    for &(r, fips, ds, want) in BOTOCORE {
        match resolve(&region(r, fips, ds)) {
            Ok(got) if got == want => {}
            other => failures.push(format!("{r} fips={fips} ds={ds}: want {want}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_partition_and_variant() {
    let expected_suffixes = [
        ("us-east-1", "amazonaws.com"),        // aws
        ("cn-north-1", "amazonaws.com.cn"),    // aws-cn
        ("us-gov-west-1", "amazonaws.com"),    // aws-us-gov
        ("us-iso-east-1", "c2s.ic.gov"),       // aws-iso
        ("us-isob-east-1", "sc2s.sgov.gov"),   // aws-iso-b
        ("eu-isoe-west-1", "cloud.adc-e.uk"),  // aws-iso-e
        ("us-isof-south-1", "csp.hci.ic.gov"), // aws-iso-f
    ];
    for (r, suffix) in expected_suffixes {
        for fips in [false, true] {
            for ds in [false, true] {
                assert!(
                    BOTOCORE.iter().any(|c| (c.0, c.1, c.2) == (r, fips, ds)),
                    "no row for {r} fips={fips} ds={ds}"
                );
            }
        }
        let want = format!("https://cognito-identity.{r}.{suffix}");
        assert_eq!(resolve(&region(r, false, false)).ok(), Some(want));
    }
}

#[test]
fn explicit_fips_dual_stack_special_cases() {
    // The rule set lists us-east-1..us-west-2 FIPS+dual-stack as amazonaws.com,
    // unlike every other aws region (api.aws).
    for r in ["us-east-1", "us-east-2", "us-west-1", "us-west-2"] {
        let want = format!("https://cognito-identity-fips.{r}.amazonaws.com");
        assert_eq!(resolve(&region(r, true, true)).ok(), Some(want));
    }
    assert_eq!(
        resolve(&region("ca-central-1", true, true)).ok().as_deref(),
        Some("https://cognito-identity-fips.ca-central-1.api.aws")
    );
}

#[test]
fn unknown_regions_fall_back_by_pattern_then_to_aws() {
    let cases = [
        ("xx-future-1", "https://cognito-identity.xx-future-1.amazonaws.com"),
        ("mars-east-1", "https://cognito-identity.mars-east-1.amazonaws.com"),
        ("cn-south-7", "https://cognito-identity.cn-south-7.amazonaws.com.cn"),
        ("us-iso-north-3", "https://cognito-identity.us-iso-north-3.c2s.ic.gov"),
        ("local", "https://cognito-identity.local.amazonaws.com"),
    ];
    for (r, want) in cases {
        assert_eq!(resolve(&region(r, false, false)).ok().as_deref(), Some(want), "{r}");
    }
}

#[test]
fn custom_endpoint_is_used_as_given() {
    // botocore: EndpointProvider gives these URLs unchanged.
    for url in [
        "http://localhost:4000",
        "https://example.com/base",
        "https://[::1]:8443",
        "http://127.0.0.1:4000/x",
        "HTTPS://Cognito.Example.COM.",
    ] {
        assert_eq!(resolve(&custom(url, false, false)).ok().as_deref(), Some(url));
    }
    // No region is needed with an override.
    let no_region = EndpointParams { endpoint: Some("http://localhost:4000"), ..EndpointParams::default() };
    assert_eq!(resolve(&no_region).ok().as_deref(), Some("http://localhost:4000"));
}

#[test]
fn custom_endpoint_with_fips_or_dual_stack_is_the_rule_sets_error() {
    // Messages from botocore's EndpointProvider. (botocore's client instead drops the
    // flags silently when endpoint_url is given; we report the rule set's error.)
    let (code, message) = err(custom("http://localhost:4000", true, false));
    assert_eq!(code, codes::ENDPOINT_RESOLUTION);
    assert_eq!(message, "Invalid Configuration: FIPS and custom endpoint are not supported");
    let (code, message) = err(custom("http://localhost:4000", false, true));
    assert_eq!(code, codes::ENDPOINT_RESOLUTION);
    assert_eq!(message, "Invalid Configuration: Dualstack and custom endpoint are not supported");
}

#[test]
fn missing_region_is_the_rule_sets_error() {
    let (code, message) = err(EndpointParams::default());
    assert_eq!(code, codes::ENDPOINT_RESOLUTION);
    assert_eq!(message, "Invalid Configuration: Missing Region");
}

#[test]
fn bad_regions_are_rejected_naming_the_setting() {
    // botocore raises InvalidRegionError for the first five; it lets "" and
    // "us-east-1\n" through and then fails building the URL.
    for bad in ["us east 1", "us/east", "-bad", "bad-", "123", "", "us-east-1\n", "a.b", "é"] {
        let (code, message) = err(region(bad, false, false));
        assert_eq!(code, codes::INVALID_REGION, "{bad:?}");
        assert!(message.contains("region"), "{message}");
    }
    let long = "a".repeat(64);
    assert_eq!(err(region(&long, false, false)).0, codes::INVALID_REGION);
}

#[test]
fn bad_endpoint_urls_are_rejected_naming_the_setting_and_value() {
    for bad in [
        "not a url",
        "localhost:4000",
        "ftp://example.com",
        "http://",
        "http:///path",
        "http://bad_host:1",
        "http://host:port",
        "http://host:65536",
        "http://[::zz]:1",
        "http://-host-",
        "https://exa mple.com",
        "",
    ] {
        let (code, message) = err(custom(bad, false, false));
        assert_eq!(code, codes::INVALID_ENDPOINT, "{bad:?}");
        assert!(message.contains("endpoint_url"), "{message}");
        assert!(message.contains(&bad.escape_debug().to_string()), "{message}");
    }
}

#[test]
fn endpoint_url_credentials_are_never_echoed() {
    let (code, message) = err(custom("https://user:s3cret@example.com/p", false, false));
    assert_eq!(code, codes::INVALID_ENDPOINT);
    assert!(!message.contains("s3cret") && !message.contains("user:"), "{message}");
    assert!(message.contains("example.com/p"), "{message}");
}

#[test]
fn embedded_data_records_its_source() {
    for text in [include_str!("rule_set.json"), include_str!("partitions.json")] {
        let doc: Value = serde_json::from_str(text).unwrap_or_default();
        let source = doc.get("_source").and_then(Value::as_str).unwrap_or_default();
        assert!(source.starts_with("botocore "), "{source:?}");
    }
}

// ---- the interpreter and the partition matcher on their own ----

fn scope(pairs: &[(&str, Value)]) -> HashMap<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

#[test]
fn templates_expand_refs_attr_paths_and_escapes() {
    let s = scope(&[
        ("Region", json!("eu-west-1")),
        ("P", json!({"dnsSuffix": "amazonaws.com", "list": [{"x": "first"}]})),
    ]);
    let t = |text: &str| rules::template(text, &s);
    assert_eq!(t("https://svc.{Region}.{P#dnsSuffix}").ok().as_deref(), Some("https://svc.eu-west-1.amazonaws.com"));
    assert_eq!(t("{P#list[0].x}").ok().as_deref(), Some("first"));
    assert_eq!(t("{{literal}} {Region}").ok().as_deref(), Some("{literal} eu-west-1"));
    assert_eq!(t("no braces").ok().as_deref(), Some("no braces"));
    assert!(t("{Missing}").is_err());
    assert!(t("{Region").is_err());
}

#[test]
fn get_attr_paths() {
    let v = json!({"a": {"b": ["x", "y"]}, "c": "d"});
    assert_eq!(rules::get_attr(&v, "c").ok(), Some(json!("d")));
    assert_eq!(rules::get_attr(&v, "a.b[1]").ok(), Some(json!("y")));
    assert_eq!(rules::get_attr(&v, "a.b[2]").ok(), Some(Value::Null));
    assert_eq!(rules::get_attr(&v, "nope.deeper").ok(), Some(Value::Null));
    assert!(rules::get_attr(&v, "a.b[x]").is_err());
}

#[test]
fn parse_url_and_host_labels() {
    let parsed = rules::parse_url("https://127.0.0.1:8443/a/b").unwrap_or_default();
    assert_eq!(
        parsed,
        json!({"scheme": "https", "authority": "127.0.0.1:8443", "path": "/a/b",
               "normalizedPath": "/a/b/", "isIp": true})
    );
    let parsed = rules::parse_url("http://example.com").unwrap_or_default();
    assert_eq!(parsed["normalizedPath"], json!("/"));
    assert_eq!(parsed["isIp"], json!(false));
    assert_eq!(rules::parse_url("https://[::1]/").and_then(|p| p["isIp"].as_bool()), Some(true));
    assert_eq!(rules::parse_url("https://example.com/?q=1"), None);
    assert_eq!(rules::parse_url("ftp://example.com"), None);
    assert_eq!(rules::parse_url("https://example.com:99999"), None);

    assert!(rules::is_valid_host_label("us-east-1", false));
    assert!(!rules::is_valid_host_label("a.b", false));
    assert!(rules::is_valid_host_label("a.b", true));
    assert!(!rules::is_valid_host_label("a..b", true));
    assert!(!rules::is_valid_host_label(&"a".repeat(64), false));
    assert!(!rules::is_valid_host_label("-a", false));
}

#[test]
fn partition_matching_prefers_explicit_regions_then_regex_then_aws() {
    let table = json!({"partitions": [
        {"id": "aws", "outputs": {"dnsSuffix": "a"}, "regionRegex": "^(us|xx)-\\w+-\\d+$",
         "regions": {"us-east-1": {}}},
        {"id": "other", "outputs": {"dnsSuffix": "o", "supportsFIPS": true},
         "regionRegex": "^o-\\w+-\\d+$",
         // Listed here explicitly although the aws regex also matches it.
         "regions": {"xx-special-1": {}, "o-nofips-1": {"supportsFIPS": false}}},
    ]});
    let partitions = Partitions::from_json(&table.to_string());
    let Ok(partitions) = partitions else {
        panic!("{partitions:?}");
    };
    let name = |r: &str| partitions.resolve(r).unwrap_or_default()["name"].as_str().map(str::to_owned);
    assert_eq!(name("us-east-1").as_deref(), Some("aws"));
    assert_eq!(name("xx-special-1").as_deref(), Some("other"));
    assert_eq!(name("xx-other-1").as_deref(), Some("aws"));
    assert_eq!(name("o-west-9").as_deref(), Some("other"));
    assert_eq!(name("zz-none-1").as_deref(), Some("aws"));
    assert_eq!(partitions.resolve("o-nofips-1").unwrap_or_default()["supportsFIPS"], json!(false));
    assert_eq!(partitions.resolve("o-west-9").unwrap_or_default()["supportsFIPS"], json!(true));
}

#[test]
fn every_embedded_region_regex_compiles() {
    // The regexes compile lazily, so a bad regeneration would otherwise show only
    // for a region that needs the broken one.
    let partitions = Partitions::from_json(include_str!("partitions.json"));
    let Ok(partitions) = partitions else {
        panic!("{partitions:?}");
    };
    assert_eq!(partitions.compile_all(), Ok(()));
}

#[test]
fn a_region_regex_that_does_not_compile_fails_only_where_it_is_needed() {
    let table = json!({"partitions": [
        {"id": "aws", "outputs": {}, "regionRegex": "^(us-\\w+-\\d+$", "regions": {"us-east-1": {}}},
    ]});
    let partitions = Partitions::from_json(&table.to_string());
    let Ok(partitions) = partitions else {
        panic!("{partitions:?}");
    };
    assert_eq!(partitions.resolve("us-east-1").unwrap_or_default()["name"], json!("aws"));
    let err = partitions.resolve("us-west-9").err().unwrap_or_default();
    assert!(err.starts_with("partitions: aws regionRegex: "), "{err}");
    assert!(partitions.compile_all().is_err());
}

#[test]
fn interpreter_functions_assign_and_scoping() {
    let rule_set = json!({
        "version": "1.0",
        "parameters": {"Url": {"type": "string", "required": false},
                       "Flag": {"type": "boolean", "required": true, "default": false}},
        "rules": [
            // `assign` in a rule that does not apply must not leak into the next rule.
            {"conditions": [{"fn": "parseURL", "argv": [{"ref": "Url"}], "assign": "U"},
                            {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
             "type": "error", "error": "flag with {U#authority}"},
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "U"}]}],
             "type": "error", "error": "leaked"},
            {"conditions": [{"fn": "parseURL", "argv": [{"ref": "Url"}], "assign": "U"},
                            {"fn": "not", "argv": [{"fn": "getAttr", "argv": [{"ref": "U"}, "isIp"]}]},
                            {"fn": "isValidHostLabel", "argv": [
                                {"fn": "substring", "argv": ["{U#authority}", 0, 3, false]}, false]},
                            {"fn": "stringEquals", "argv": [{"fn": "uriEncode", "argv": ["a b"]}, "a%20b"]}],
             "type": "endpoint",
             "endpoint": {"url": "{U#scheme}://x.{U#authority}{U#normalizedPath}"}},
            {"conditions": [], "type": "error", "error": "no url"}
        ]
    });
    let parsed = RuleSet::from_json(&rule_set.to_string());
    let Ok(rule_set) = parsed else {
        panic!("{parsed:?}");
    };
    let partitions = Partitions::from_json(include_str!("partitions.json"));
    let Ok(partitions) = partitions else {
        panic!("{partitions:?}");
    };
    let run = |url: Option<&str>, flag: bool| {
        let mut params = HashMap::new();
        params.insert("Url".to_owned(), url.map_or(Value::Null, Value::from));
        params.insert("Flag".to_owned(), Value::Bool(flag));
        rule_set.evaluate(params, &partitions)
    };
    assert_eq!(run(Some("https://host.example/p"), false), Ok("https://x.host.example/p/".into()));
    assert_eq!(run(Some("https://h.example"), true), Err(Failure::Rule("flag with h.example".into())));
    assert_eq!(run(Some("https://10.0.0.1"), false), Err(Failure::Rule("no url".into())));
    assert_eq!(run(None, false), Err(Failure::Rule("no url".into())));
}

#[test]
fn unsupported_functions_are_errors_not_panics() {
    let rule_set = json!({"parameters": {}, "rules": [
        {"conditions": [{"fn": "aws.parseArn", "argv": ["arn:aws:s3:::b"]}],
         "type": "endpoint", "endpoint": {"url": "https://x"}}]});
    let (Ok(rule_set), Ok(partitions)) =
        (RuleSet::from_json(&rule_set.to_string()), Partitions::from_json(include_str!("partitions.json")))
    else {
        panic!("test data did not parse");
    };
    assert!(matches!(
        rule_set.evaluate(HashMap::new(), &partitions),
        Err(Failure::Invalid(m)) if m.contains("aws.parseArn")
    ));
}

/// A partitions table that cannot be loaded is reported as such, and only by
/// an evaluation that asks for a partition: the endpoint override never does.
#[test]
fn the_partitions_table_is_read_only_when_the_rules_ask_for_it() {
    use super::partition::PartitionTable;
    use std::cell::Cell;

    struct Broken(Cell<u32>);
    impl PartitionTable for Broken {
        fn table(&self) -> Result<&Partitions, String> {
            self.0.set(self.0.get() + 1);
            Err("partitions: broken".into())
        }
    }
    let parsed = RuleSet::from_json(include_str!("rule_set.json"));
    let Ok(rule_set) = parsed else {
        panic!("{parsed:?}");
    };
    let with = |region: Option<&str>, endpoint: Option<&str>| {
        let mut params = HashMap::new();
        for (builtin, value) in [("AWS::Region", region), ("SDK::Endpoint", endpoint)] {
            if let Some(name) = rule_set.parameter_for_builtin(builtin) {
                params.insert(name.to_owned(), value.map_or(Value::Null, Value::from));
            }
        }
        params
    };
    let table = Broken(Cell::new(0));
    assert_eq!(
        rule_set.evaluate(with(Some("us-east-1"), Some("http://127.0.0.1:1")), &table),
        Ok("http://127.0.0.1:1".into())
    );
    assert_eq!(table.0.get(), 0, "the override asked for the table");
    assert_eq!(
        rule_set.evaluate(with(Some("us-east-1"), None), &table),
        Err(Failure::Data("partitions: broken".into()))
    );
    assert_eq!(table.0.get(), 1);
}
