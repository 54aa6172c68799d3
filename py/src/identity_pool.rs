//! `NativeIdentityPoolCredentials`: the core's identity-pool provider. The
//! package's `IdentityPoolCredentials` wraps it with boto3's names.
//!
//! Logins whose tokens change are a Python callable asked on every refresh.
//! The refresh runs on the thread that asked for credentials, with the GIL
//! released; the callable is called with the GIL taken back. When it raises,
//! the exception itself reaches the caller (it is kept per thread and
//! re-raised), not a translation of it.

use crate::{convert, convert_error, core_error};
use cognito_identity::Error;
use cognito_identity::error::ErrorKind;
use cognito_identity::identity_pool::{
    IdentityPoolConfig, IdentityPoolCredentialsProvider, LoginMap, Logins, LoginsSource,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::cell::RefCell;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

thread_local! {
    /// The exception a logins callable raised during this thread's refresh.
    static CALLBACK_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// A Python callable returning `{provider: token}`.
struct PyLogins(Py<PyAny>);

impl LoginsSource for PyLogins {
    fn logins(&self) -> Result<LoginMap, Error> {
        crate::interpreter::attach(|py| {
            let failed = |e: PyErr, what: &str| {
                let message = format!("the logins callable {what}: {}", e.value(py));
                CALLBACK_ERROR.with(|slot| *slot.borrow_mut() = Some(e));
                Error::new(ErrorKind::Credentials, "LoginsError", message)
            };
            let value = self.0.bind(py).call0().map_err(|e| failed(e, "raised"))?;
            let dict = value.cast::<PyDict>().map_err(|e| failed(PyErr::from(e), "must return a dict"))?;
            let mut out = LoginMap::new();
            for (k, v) in dict.iter() {
                let (Ok(k), Ok(v)) = (k.cast::<PyString>(), v.cast::<PyString>()) else {
                    let e = pyo3::exceptions::PyTypeError::new_err("logins: provider names and tokens must be str");
                    return Err(failed(e, "returned a non-str"));
                };
                out.insert(k.to_string(), v.to_string());
            }
            Ok(out)
        })
        .unwrap_or_else(|| {
            Err(Error::new(ErrorKind::Credentials, "LoginsError", "the logins callable: the interpreter is exiting"))
        })
    }
}

#[derive(Debug)]
#[pyclass(frozen, name = "NativeIdentityPoolCredentials", module = "cognito_identity._native")]
pub struct NativeIdentityPoolCredentials {
    inner: IdentityPoolCredentialsProvider,
}

impl NativeIdentityPoolCredentials {
    /// The core's error, or the exception the logins callable raised.
    fn raise(py: Python<'_>, e: &Error) -> PyErr {
        CALLBACK_ERROR.with(|slot| slot.borrow_mut().take()).unwrap_or_else(|| core_error(py, e))
    }
}

#[pymethods]
impl NativeIdentityPoolCredentials {
    /// `config` holds the core's JSON keys (`identity_pool_id`, `logins`,
    /// `flow`, ...); `logins_callable`, when given, is asked on every refresh.
    #[new]
    #[pyo3(signature = (config, logins_callable=None))]
    fn new(py: Python<'_>, config: &Bound<'_, PyDict>, logins_callable: Option<Py<PyAny>>) -> PyResult<Self> {
        let json = convert::to_json(config.as_any(), "config", 0).map_err(|e| convert_error(py, &e))?;
        crate::logging::reset_logging();
        let mut cfg = IdentityPoolConfig::from_json(&json).map_err(|e| core_error(py, &e))?;
        if let Some(callable) = logins_callable {
            cfg.logins = Logins::Dynamic(Arc::new(PyLogins(callable)));
        }
        let inner = py.detach(move || IdentityPoolCredentialsProvider::new(cfg)).map_err(|e| core_error(py, &e))?;
        Ok(NativeIdentityPoolCredentials { inner })
    }

    /// `(access_key, secret_key, token, expiration_epoch_seconds, identity_id)`.
    fn get(&self, py: Python<'_>) -> PyResult<(String, String, String, Option<f64>, String)> {
        CALLBACK_ERROR.with(|slot| slot.borrow_mut().take());
        let provider = self.inner.clone();
        let got = py.detach(move || provider.credentials());
        let c = got.map_err(|e| Self::raise(py, &e))?;
        let creds = c.credentials();
        let expiry = creds.expiry().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs_f64());
        Ok((
            creds.access_key_id().to_owned(),
            creds.secret_access_key().to_owned(),
            creds.session_token().unwrap_or_default().to_owned(),
            expiry,
            c.identity_id().to_owned(),
        ))
    }

    #[getter]
    fn identity_id(&self) -> Option<String> {
        self.inner.identity_id()
    }

    #[getter]
    fn identity_pool_id(&self) -> &str {
        self.inner.identity_pool_id()
    }

    #[getter]
    fn cache_dir(&self) -> Option<String> {
        self.inner.cache_dir().map(|d| d.display().to_string())
    }

    /// Replaces the logins: a dict of str, or a callable asked on every refresh.
    fn set_logins(&self, py: Python<'_>, logins: &Bound<'_, PyAny>) -> PyResult<()> {
        let new = if logins.is_callable() {
            Logins::Dynamic(Arc::new(PyLogins(logins.clone().unbind())))
        } else {
            let v = convert::to_json(logins, "logins", 0).map_err(|e| convert_error(py, &e))?;
            let map: LoginMap = serde_json::from_value(v)
                .map_err(|e| pyo3::exceptions::PyTypeError::new_err(format!("logins must map str to str: {e}")))?;
            if map.is_empty() { Logins::None } else { Logins::Static(map) }
        };
        self.inner.set_logins(new);
        Ok(())
    }

    /// Forgets the identity id (memory and disk) and the credentials.
    fn clear(&self, py: Python<'_>) {
        let provider = self.inner.clone();
        py.detach(move || provider.clear());
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeIdentityPoolCredentials(identity_pool_id={:?}, identity_id={:?})",
            self.inner.identity_pool_id(),
            self.inner.identity_id()
        )
    }
}
