//! The pyo3 module `cognito_identity._native`: a thin layer over the Rust
//! core. The Python package (`py/python/cognito_identity`) adds the boto3
//! surface: one method per operation, exception classes, paginators.
//!
//! Every call releases the GIL while the core sends the request and waits for
//! the answer, so Python threads sharing one client run calls in parallel.

mod aio;
mod convert;
mod identity_pool;
mod interpreter;
mod logging;
mod service_model;

use cognito_identity::{Client, Config, Error, ErrorKind, model};
use convert::ConvertError;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Value, json};
use std::sync::RwLock;

create_exception!(
    _native,
    NativeError,
    PyException,
    "A failed call: args are (kind, error document). The package turns it into its exception classes."
);

/// The kind's name, as `KIND_CLASSES` of the package's `_front_doors.py` spells it (the variant's name).
pub(crate) fn kind_name(kind: ErrorKind) -> String {
    format!("{kind:?}")
}

fn native_error(py: Python<'_>, kind: &str, document: &Value) -> PyErr {
    match convert::to_py(py, document, None) {
        Ok(doc) => NativeError::new_err((kind.to_owned(), doc.unbind())),
        Err(e) => e,
    }
}

pub(crate) fn core_error(py: Python<'_>, e: &Error) -> PyErr {
    native_error(py, &kind_name(e.kind()), &e.to_document())
}

/// A wrong Python type: reported like the core's validation errors, with the
/// kind "Type" so the package raises a class that is also a `TypeError`.
pub(crate) fn convert_error(py: Python<'_>, e: &ConvertError) -> PyErr {
    native_error(py, "Type", &convert_document(e))
}

fn convert_document(e: &ConvertError) -> Value {
    json!({
        "Error": {"Code": "ParamValidationError", "Message": e.describe(), "Type": "Client"},
        "ResponseMetadata": {"RetryAttempts": 0},
    })
}

/// The package's `exceptions.from_document(kind, document, operation)`,
/// registered when the package is imported. With it `NativeClient.call`
/// raises the package's own exception classes, so that a client's method
/// can be this native method itself: a Python frame around each call that
/// only translated `NativeError` cost about a twentieth of a call's
/// instructions. Read only when a call fails.
static ERROR_FACTORY: RwLock<Option<Py<PyAny>>> = RwLock::new(None);

/// Registers the error factory (again after a reload of the package: the latest wins).
#[pyfunction]
fn set_error_factory(factory: Bound<'_, PyAny>) -> PyResult<()> {
    if !factory.is_callable() {
        return Err(pyo3::exceptions::PyTypeError::new_err("the error factory must be callable"));
    }
    *ERROR_FACTORY.write().unwrap_or_else(|p| p.into_inner()) = Some(factory.unbind());
    Ok(())
}

/// The error of a failed `call`: the package's exception made by the
/// registered factory, or `NativeError` when none is registered.
fn call_error(py: Python<'_>, operation: &str, kind: &str, document: &Value) -> PyErr {
    let factory = ERROR_FACTORY.read().unwrap_or_else(|p| p.into_inner()).as_ref().map(|f| f.clone_ref(py));
    let Some(factory) = factory else {
        return native_error(py, kind, document);
    };
    let made = convert::to_py(py, document, None).and_then(|doc| factory.bind(py).call1((kind, doc, operation)));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        // The call's own error, with what went wrong in making the package's.
        Err(failed) => {
            let err = native_error(py, kind, document);
            err.set_cause(py, Some(failed));
            err
        }
    }
}

/// The core client. Immutable and shared: `frozen` lets threads use it
/// without borrow checks, and the core client is `Send + Sync`.
#[pyclass(frozen, name = "NativeClient", module = "cognito_identity._native")]
struct NativeClient {
    inner: Client,
}

#[pymethods]
impl NativeClient {
    /// `config` takes the core's configuration keys (`region`, `endpoint_url`,
    /// `aws_access_key_id`, ..., timeouts in seconds); None means "unset".
    #[new]
    #[pyo3(signature = (config=None))]
    fn new(py: Python<'_>, config: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let value = match config {
            Some(d) => convert::to_json(d.as_any(), "config", 0).map_err(|e| convert_error(py, &e))?,
            None => Value::Null,
        };
        let cfg = Config::from_json(&value).map_err(|e| core_error(py, &e))?;
        // Logging is usually configured before clients are made: look again.
        logging::reset_logging();
        // Reading profiles may touch the disk: done without the GIL as well.
        let inner = py.detach(move || Client::new(cfg)).map_err(|e| core_error(py, &e))?;
        Ok(NativeClient { inner })
    }

    /// Calls an operation by its PascalCase name with the input members.
    /// A failure raises the package's exception (see [`set_error_factory`]).
    #[pyo3(signature = (operation, params=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let input = match params {
            // Any mapping: the keyword arguments' dict, or another the caller made.
            Some(p) => {
                let dict = match p.cast::<PyDict>() {
                    Ok(d) => d.clone(),
                    Err(_) => {
                        let d = PyDict::new(py);
                        d.update(p.cast::<pyo3::types::PyMapping>()?)?;
                        d
                    }
                };
                convert::to_json(dict.as_any(), "", 0)
                    .map_err(|e| call_error(py, operation, "Type", &convert_document(&e)))?
            }
            None => json!({}),
        };
        let client = self.inner.clone();
        let name = operation.to_owned();
        // As text: the result's objects are built from it directly (convert::text_to_py).
        let result = py.detach(move || client.call_json_text(&name, &input, None));
        match result {
            Ok(text) => {
                let shape = model::operation(operation).and_then(|op| op.output);
                convert::text_to_py(py, &text, shape)
            }
            Err(e) => Err(call_error(py, operation, &kind_name(e.kind()), &e.to_document())),
        }
    }

    /// Starts a call on the async runtime (see `aio.rs`): the package's
    /// `AsyncClient` awaits `future`, which the loop's `queue` settles.
    #[pyo3(signature = (operation, params, queue, future))]
    fn call_async(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyDict>>,
        queue: PyRef<'_, aio::LoopQueue>,
        future: Bound<'_, PyAny>,
    ) -> PyResult<aio::PendingCall> {
        aio::start(py, &self.inner, operation, params, &queue, future)
    }

    #[getter]
    fn region(&self) -> &str {
        self.inner.region()
    }

    /// The URL requests are sent to.
    #[getter]
    fn endpoint_url(&self) -> &str {
        self.inner.endpoint_url()
    }

    /// Where the credentials came from ("explicit", "env", ...), or None.
    #[getter]
    fn credential_source(&self) -> Option<String> {
        self.inner.credential_source().map(|s| s.to_string())
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(region={:?}, endpoint_url={:?}, credentials={})",
            self.inner.region(),
            self.inner.endpoint_url(),
            self.inner.credential_source().map_or_else(|| "none".to_owned(), |s| s.to_string())
        )
    }
}

/// `value` with the model's sensitive members replaced, for display.
/// `shape` is a shape name of the model (`GetIdInput`); unknown names are an error.
#[pyfunction]
fn redact<'py>(py: Python<'py>, shape: &str, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let id = model::SHAPES
        .iter()
        .position(|s| s.name == shape)
        .and_then(|i| u16::try_from(i).ok())
        .map(model::ShapeId)
        .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(shape.to_owned()))?;
    let v = convert::to_json(value, "", 0).map_err(|e| convert_error(py, &e))?;
    convert::to_py(py, &cognito_identity::redact::redact(id, &v), None)
}

#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{NativeClient, NativeError, redact};

    #[pymodule_export]
    use super::identity_pool::NativeIdentityPoolCredentials;

    #[pymodule_export]
    use super::logging::reset_logging;

    #[pymodule_export]
    use super::set_error_factory;

    #[pymodule_export]
    use super::aio::{LoopQueue, PendingCall};

    #[pymodule_export]
    use super::service_model::{operation_model, operation_names};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("REDACTED", cognito_identity::redact::REDACTED)?;
        super::logging::install();
        super::interpreter::register(m)
    }

    use pyo3::prelude::*;
}
