//! Proxies, as botocore takes them: `proxies` by the scheme of the URL they
//! serve (`http`, `https`) replaces the environment's; with none configured,
//! `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (and their lower-case forms)
//! apply, which reqwest reads itself. As in botocore, `NO_PROXY` does not
//! apply to configured proxies, and a proxy URL without a scheme is
//! `http://`. An HTTP proxy gets absolute-form requests; an HTTPS URL goes
//! through a CONNECT tunnel. User and password in the proxy URL are sent as
//! `Proxy-Authorization: Basic`.

use super::config_error;
use crate::error::Error;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Hosts of the credential sources that are never proxied (the instance
/// metadata and container endpoints answer only on the local link).
const LOCAL_LINK: &str =
    "169.254.169.254,169.254.170.2,169.254.170.23,fd00:ec2::254,fd00:ec2::23,localhost,127.0.0.1,::1";

/// The proxies a client uses, checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Proxies {
    /// `http` and/or `https` -> proxy URL; empty: the environment decides.
    by_scheme: BTreeMap<String, String>,
    /// Extra roots for the TLS of an HTTPS proxy.
    pub ca_bundle: Option<PathBuf>,
}

/// botocore's `_fix_proxy_url`: `proxy:3128` means `http://proxy:3128`.
fn with_scheme(url: &str) -> String {
    if url.contains("://") { url.to_owned() } else { format!("http://{url}") }
}

pub(crate) fn resolve(
    configured: Option<&BTreeMap<String, String>>,
    ca_bundle: Option<&Path>,
) -> Result<Proxies, Error> {
    let mut by_scheme = BTreeMap::new();
    for (scheme, url) in configured.into_iter().flatten() {
        if !matches!(scheme.as_str(), "http" | "https") {
            return Err(config_error(&format!("proxies.{scheme}"), "the scheme must be http or https"));
        }
        let url = with_scheme(url);
        let parsed = reqwest::Url::parse(&url)
            .map_err(|e| config_error(&format!("proxies.{scheme}"), format!("is not a proxy URL ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
            return Err(config_error(&format!("proxies.{scheme}"), "must be an http:// or https:// URL with a host"));
        }
        by_scheme.insert(scheme.clone(), url);
    }
    Ok(Proxies { by_scheme, ca_bundle: ca_bundle.map(Path::to_path_buf) })
}

impl Proxies {
    /// Sets the configured proxies on a client builder (with none set,
    /// reqwest keeps reading the environment's). `local_link` exempts the
    /// metadata and container hosts (the credential sources' client).
    pub fn apply(&self, mut builder: reqwest::ClientBuilder, local_link: bool) -> reqwest::ClientBuilder {
        for (scheme, url) in &self.by_scheme {
            // Checked in `resolve`: a URL that parsed then parses now.
            let proxy = match scheme.as_str() {
                "http" => reqwest::Proxy::http(url.as_str()),
                _ => reqwest::Proxy::https(url.as_str()),
            };
            if let Ok(proxy) = proxy {
                let exempt = if local_link { reqwest::NoProxy::from_string(LOCAL_LINK) } else { None };
                builder = builder.proxy(proxy.no_proxy(exempt));
            }
        }
        builder
    }

    /// Whether a proxy is configured (then TLS roots are needed even for a
    /// plain-HTTP endpoint: the proxy may be HTTPS).
    pub fn configured(&self) -> bool {
        !self.by_scheme.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_urls_are_checked_naming_the_key() {
        let ok = BTreeMap::from([("https".to_owned(), "http://127.0.0.1:3128".to_owned())]);
        assert!(resolve(Some(&ok), None).unwrap().configured());
        let bad_scheme = BTreeMap::from([("ftp".to_owned(), "http://p:1".to_owned())]);
        assert!(resolve(Some(&bad_scheme), None).unwrap_err().message().contains("proxies.ftp"));
        let bad_url = BTreeMap::from([("http".to_owned(), "::not a url::".to_owned())]);
        assert!(resolve(Some(&bad_url), None).unwrap_err().message().contains("proxies.http"));
        assert!(!resolve(None, None).unwrap().configured());
        let bare = BTreeMap::from([("http".to_owned(), "proxy.internal:3128".to_owned())]);
        assert_eq!(resolve(Some(&bare), None).unwrap().by_scheme["http"], "http://proxy.internal:3128");
        let socks = BTreeMap::from([("https".to_owned(), "ftp://p:1".to_owned())]);
        assert!(resolve(Some(&socks), None).unwrap_err().message().contains("http:// or https://"));
    }
}
