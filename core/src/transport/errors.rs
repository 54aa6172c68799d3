//! Transport failures named as botocore names them, for both HTTP paths.

use crate::error::{Error, ErrorKind, codes};

/// Names a reqwest failure as botocore would; the failure is the error's source.
pub(crate) fn from_reqwest(e: reqwest::Error, url: &str) -> Error {
    if let Some(why) = crate::tls::failure_reason(&e) {
        return ssl(url, &why).with_source(e);
    }
    let detail = describe(&e);
    let named = if is_tls(&detail) {
        ssl(url, &detail)
    } else if e.is_timeout() {
        if e.is_connect() { connect_timeout(url) } else { read_timeout(url) }
    } else if e.is_connect() {
        connect_failed(url, &detail)
    } else {
        closed(url, &detail)
    };
    named.with_source(e)
}

/// Whether a failure's description says TLS (a certificate, the handshake).
pub(super) fn is_tls(detail: &str) -> bool {
    detail.contains("certificate") || detail.contains("tls") || detail.contains("TLS")
}

pub(super) fn ssl(url: &str, detail: &str) -> Error {
    Error::new(ErrorKind::Transport, codes::SSL, format!("SSL validation failed for {url}: {detail}"))
}

pub(super) fn connect_timeout(url: &str) -> Error {
    Error::new(ErrorKind::Timeout, codes::CONNECT_TIMEOUT, format!("Connect timeout on endpoint URL: \"{url}\""))
}

pub(super) fn read_timeout(url: &str) -> Error {
    Error::new(ErrorKind::Timeout, codes::READ_TIMEOUT, format!("Read timeout on endpoint URL: \"{url}\""))
}

pub(super) fn connect_failed(url: &str, detail: &str) -> Error {
    Error::new(
        ErrorKind::Transport,
        codes::ENDPOINT_CONNECTION,
        format!("Could not connect to the endpoint URL: \"{url}\" ({detail})"),
    )
}

pub(super) fn closed(url: &str, detail: &str) -> Error {
    Error::new(
        ErrorKind::Transport,
        codes::CONNECTION_CLOSED,
        format!("Connection was closed before we received a valid response from endpoint URL: \"{url}\" ({detail})"),
    )
}

/// An error and its sources, joined: reqwest's and hyper's own messages say little.
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
