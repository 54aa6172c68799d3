//! Endpoint resolution driven by the service's published endpoint rule set.
//!
//! `rule_set.json` (the service's `endpoint-rule-set-1.json`) and `partitions.json`
//! are copied from botocore by `tools/gen_endpoint_data.py`; each records the botocore
//! version it came from in its `"_source"` key. [`resolve`] validates the caller's
//! region and endpoint override, then runs the rule set with the rules interpreter in
//! `rules` and the partition matcher in `partition`. Both documents are parsed
//! once per process.

mod partition;
mod rules;
#[cfg(test)]
mod tests;

use crate::error::codes;
use crate::{Error, ErrorKind};
use partition::{PartitionTable, Partitions};
use rules::{Failure, RuleSet};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

const RULE_SET_JSON: &str = include_str!("rule_set.json");
const PARTITIONS_JSON: &str = include_str!("partitions.json");

/// What the endpoint rules are evaluated with; the SDK built-ins `AWS::Region`,
/// `AWS::UseFIPS`, `AWS::UseDualStack` and `SDK::Endpoint`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndpointParams<'a> {
    pub region: Option<&'a str>,
    pub use_fips: bool,
    pub use_dual_stack: bool,
    /// The `endpoint_url` override, used as given once validated.
    pub endpoint: Option<&'a str>,
}

/// The URL requests go to, e.g. `https://cognito-identity.us-east-1.amazonaws.com`.
///
/// Errors (all [`ErrorKind::Configuration`]): `InvalidRegionError` for a region that
/// is not a valid host label, `InvalidEndpointConfigurationError` for an
/// `endpoint_url` that is not an absolute http(s) URL with a host, and
/// `EndpointResolutionError` with the rule set's own message otherwise (no region,
/// FIPS or dual-stack combined with a custom endpoint, ...).
pub fn resolve(params: &EndpointParams<'_>) -> Result<String, Error> {
    if let Some(region) = params.region {
        validate_region(region)?;
    }
    if let Some(url) = params.endpoint {
        validate_endpoint_url(url)?;
    }
    let data = data()?;
    let mut values = HashMap::new();
    let mut bind = |builtin: &str, value: Value| {
        if let Some(name) = data.rule_set.parameter_for_builtin(builtin) {
            values.insert(name.to_owned(), value);
        }
    };
    bind("AWS::Region", params.region.map_or(Value::Null, Value::from));
    bind("AWS::UseFIPS", Value::Bool(params.use_fips));
    bind("AWS::UseDualStack", Value::Bool(params.use_dual_stack));
    bind("SDK::Endpoint", params.endpoint.map_or(Value::Null, Value::from));
    data.rule_set.evaluate(values, &data.partitions).map_err(|failure| match failure {
        Failure::Rule(message) => resolution_error(message),
        Failure::Invalid(detail) => resolution_error(format!("endpoint rule set could not be evaluated: {detail}")),
        Failure::Data(detail) => resolution_error(detail),
    })
}

struct EndpointData {
    rule_set: RuleSet,
    partitions: EmbeddedPartitions,
}

/// The embedded rule set, parsed on first use. A parse failure (a bad regeneration)
/// is reported as an error on every call rather than a panic.
fn data() -> Result<&'static EndpointData, Error> {
    static DATA: OnceLock<Result<EndpointData, String>> = OnceLock::new();
    DATA.get_or_init(|| {
        Ok(EndpointData { rule_set: RuleSet::from_json(RULE_SET_JSON)?, partitions: EmbeddedPartitions })
    })
    .as_ref()
    .map_err(|e| resolution_error(format!("embedded endpoint data is invalid: {e}")))
}

/// The embedded partitions table, parsed the first time the rules ask for a
/// partition. Why: a client whose `endpoint_url` overrides the rules (an
/// emulator, a proxy, a test) never asks, and parsing the table was about
/// 40 % of a first client's endpoint resolution (callgrind, 170 k
/// instructions). A parse failure is reported by every resolution that asks.
struct EmbeddedPartitions;

impl PartitionTable for EmbeddedPartitions {
    fn table(&self) -> Result<&Partitions, String> {
        static TABLE: OnceLock<Result<Partitions, String>> = OnceLock::new();
        TABLE
            .get_or_init(|| Partitions::from_json(PARTITIONS_JSON))
            .as_ref()
            .map_err(|e| format!("embedded endpoint data is invalid: {e}"))
    }
}

fn resolution_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Configuration, codes::ENDPOINT_RESOLUTION, message)
}

/// A region becomes a DNS label in the endpoint, so it must be one (botocore's rule,
/// which also rejects all-digit names); this also keeps `/`, spaces and the like
/// out of the URL.
fn validate_region(region: &str) -> Result<(), Error> {
    if rules::is_valid_host_label(region, false) && !region.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Configuration,
        codes::INVALID_REGION,
        format!(
            "Invalid region '{}': region must be a valid host label \
             (1 to 63 letters, digits and '-', not starting or ending with '-')",
            region.escape_debug()
        ),
    ))
}

/// An `endpoint_url` override must be an absolute `http://` or `https://` URL whose
/// host is a DNS name, an IPv4 address or a bracketed IPv6 address, with an optional
/// numeric port and path.
fn validate_endpoint_url(url: &str) -> Result<(), Error> {
    let fail = |why: &str, shown: &str| {
        Err(Error::new(
            ErrorKind::Configuration,
            codes::INVALID_ENDPOINT,
            format!("Invalid endpoint_url '{}': {why}", shown.escape_debug()),
        ))
    };
    const SHAPE: &str = "must be an absolute http:// or https:// URL with a host";
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("it contains whitespace or control characters", url);
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return fail(SHAPE, url);
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return fail(SHAPE, url);
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if let Some((_, host_port)) = authority.rsplit_once('@') {
        // Never echo credentials embedded in the URL.
        let shown = format!("{scheme}://<redacted>@{host_port}{}", &rest[authority_end..]);
        return fail("user information in the URL is not supported", &shown);
    }
    let Some(host) = rules::split_host_port(authority) else {
        return fail(SHAPE, url);
    };
    let valid_host = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        v6.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        let name = host.strip_suffix('.').unwrap_or(host);
        name.len() <= 253 && rules::is_valid_host_label(name, true)
    };
    if !valid_host {
        return fail("its host is not a valid DNS name or IP address", url);
    }
    Ok(())
}
