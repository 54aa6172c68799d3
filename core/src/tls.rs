//! What TLS needs beyond rustls's defaults: the `verify=False` verifier, and
//! the reason a handshake failed, in words, for `SSLError`'s message.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::error::Error as StdError;

/// botocore's `verify=False`: any certificate chain is accepted. The
/// handshake's signatures are still checked against the presented key, so
/// the connection is encrypted to whoever holds it; who that is, nobody knows.
#[derive(Debug)]
pub(crate) struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl AcceptAnyCertificate {
    pub fn new(provider: &CryptoProvider) -> Self {
        Self { algorithms: provider.signature_verification_algorithms }
    }
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Why a TLS handshake failed, when `err` (or an error it wraps) is one of
/// rustls's: the cause a user can act on, then rustls's own words.
pub(crate) fn failure_reason(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(format!("{} ({tls})", reason(tls)));
        }
        // An io::Error's source() skips the error it wraps (tokio-rustls
        // wraps rustls's that way): look inside it.
        cur = match e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    None
}

fn reason(e: &rustls::Error) -> &'static str {
    use rustls::AlertDescription as Alert;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                "the server's certificate is signed by an unknown certificate authority (not in the CA bundle)"
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "the server's certificate is not valid for the host name"
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the server's certificate has expired"
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet"
            }
            CertificateError::Revoked => "the server's certificate is revoked",
            CertificateError::BadSignature => "the server's certificate has a bad signature",
            _ => "the server's certificate was refused",
        },
        rustls::Error::PeerIncompatible(_)
        | rustls::Error::AlertReceived(
            Alert::ProtocolVersion | Alert::InsufficientSecurity | Alert::HandshakeFailure,
        ) => "the server does not speak TLS 1.2 or 1.3 with a secure cipher suite",
        rustls::Error::AlertReceived(_) => "the server ended the TLS handshake",
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateHandshakeMessage { .. } => {
            "the server's TLS handshake is malformed or of an unsupported TLS version"
        }
        _ => "the TLS handshake failed",
    }
}
