//! Target 4: endpoint resolution (`cognito_identity::endpoint::resolve`)
//! from arbitrary region strings, FIPS and dual-stack flags and endpoint
//! overrides. Regions and URLs are drawn from real ones with mutations as
//! often as from raw strings. Checks: a resolved URL parses as an absolute
//! http(s) URL; without an override it is HTTPS on a host naming the region;
//! an accepted override comes back unchanged; resolution is deterministic;
//! a failure is a configuration error.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use cognito_identity::endpoint::{EndpointParams, resolve};
use cognito_identity::{Client, Config, ErrorKind};
use libfuzzer_sys::fuzz_target;

const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-3",
    "ap-southeast-5",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "eusc-de-east-1",
    "aws-global",
    "aws-cn-global",
    "il-central-1",
    "mx-central-1",
    "local",
];

const ENDPOINTS: &[&str] = &[
    "http://127.0.0.1:4566",
    "https://cognito-identity.us-east-1.amazonaws.com",
    "http://[::1]:8080/path",
    "https://example.com.",
    "http://localhost",
    "https://a.b-c.d:443/x?y#z",
];

#[derive(Debug, Arbitrary)]
enum Text {
    Known(u8),
    /// A known value with a character inserted, replaced or removed.
    Mutated {
        index: u8,
        at: u8,
        with: char,
        how: u8,
    },
    Raw(String),
}

impl Text {
    fn render(&self, known: &[&str]) -> String {
        match self {
            Text::Known(i) => known[usize::from(*i) % known.len()].to_owned(),
            Text::Mutated { index, at, with, how } => {
                let mut chars: Vec<char> = known[usize::from(*index) % known.len()].chars().collect();
                let at = usize::from(*at) % (chars.len() + 1);
                match how % 3 {
                    0 => chars.insert(at, *with),
                    1 if at < chars.len() => chars[at] = *with,
                    _ if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => {}
                }
                chars.into_iter().collect()
            }
            Text::Raw(s) => s.clone(),
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Input {
    region: Option<Text>,
    endpoint: Option<Text>,
    use_fips: bool,
    use_dual_stack: bool,
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else { return };
    let region = input.region.as_ref().map(|t| t.render(REGIONS));
    let endpoint = input.endpoint.as_ref().map(|t| t.render(ENDPOINTS));
    let params = EndpointParams {
        region: region.as_deref(),
        use_fips: input.use_fips,
        use_dual_stack: input.use_dual_stack,
        endpoint: endpoint.as_deref(),
    };
    let first = resolve(&params);
    assert_eq!(first, resolve(&params), "resolution is deterministic");
    match first {
        Ok(resolved) => {
            let Ok(url) = url::Url::parse(&resolved) else {
                // Host names that WHATWG URLs read as IPv4 ("1270.0.1") pass
                // the resolver's check; the client must then refuse them, as
                // a configuration error, when it parses the URL.
                unusable_endpoint_is_refused(&resolved);
                return;
            };
            assert!(matches!(url.scheme(), "http" | "https"), "{resolved}");
            assert!(url.host().is_some(), "{resolved}");
            match &endpoint {
                Some(e) => assert_eq!(&resolved, e, "an override is used as given"),
                None => {
                    assert_eq!(url.scheme(), "https", "{resolved}");
                    let host = url.host_str().unwrap_or_default();
                    let region = region.as_deref().unwrap_or_default().to_ascii_lowercase();
                    assert!(host.contains(&region), "{resolved} does not name region {region:?}");
                }
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Configuration, "{e:?}");
            assert!(!e.code().is_empty() && !e.message().is_empty());
        }
    }
});

/// A client built with this endpoint fails with a configuration error.
fn unusable_endpoint_is_refused(endpoint: &str) {
    let config =
        Config::builder().region("us-east-1").endpoint_url(endpoint.to_owned()).unsigned(true).build().expect("config");
    match Client::with_env(config, &|_| None) {
        Ok(c) => panic!("{endpoint:?} does not parse as a URL, yet a client uses {:?}", c.endpoint_url()),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Configuration, "{endpoint:?}: {e:?}"),
    }
}
