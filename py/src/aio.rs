//! The async path of the Python package (`cognito_identity.AsyncClient`).
//!
//! A call runs as a task on one small multi-thread tokio runtime of this
//! process, on the core's async path: the asyncio event loop only converts
//! the arguments and starts the task, and no thread is started per call.
//!
//! Finished calls are not handed to the loop one by one. Each loop has a
//! [`LoopQueue`]: a task pushes its result (still JSON) there, and only the
//! push that finds the queue empty wakes the loop (`call_soon_threadsafe`).
//! The loop then converts and settles every finished call in one go. So a
//! runtime thread takes the GIL once per batch rather than once per call,
//! and never to build Python objects, which would stall the loop thread
//! behind the GIL's switch interval under load.
//!
//! Cancelling the awaiting task aborts the request (the task is aborted, its
//! connection dropped). The runtime is made per process id, as the blocking
//! runtimes are: a forked child builds its own. This is pyo3-async-runtimes'
//! design, written here because its runtime is a process-wide static that a
//! forked child would inherit dead, and because it settles each future alone.

use crate::{convert, convert_error, kind_name};
use cognito_identity::{Client, Error, model};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::runtime::{Builder, Handle, Runtime};

/// The runtime of this process (see the module documentation).
fn runtime() -> PyResult<Handle> {
    static RUNTIME: Mutex<Option<(u32, Runtime)>> = Mutex::new(None);
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if let Some((owner, rt)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(rt.handle().clone());
    }
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("cognito-identity-async")
        // reqwest's sockets write without MSG_NOSIGNAL: a host that restored
        // SIGPIPE's default action would die of a reset connection.
        .on_thread_start(cognito_identity::block_sigpipe_in_this_thread)
        .enable_all()
        .build()
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("could not start the async runtime: {e}")))?;
    let handle = rt.handle().clone();
    if let Some((_, inherited)) = slot.replace((pid, rt)) {
        // A parent's runtime, inherited through fork: its threads are gone here.
        std::mem::forget(inherited);
    }
    Ok(handle)
}

/// A finished call waiting for its loop.
#[derive(Debug)]
struct Done {
    future: Py<PyAny>,
    shape: Option<model::ShapeId>,
    result: Result<Value, Error>,
}

/// What a loop's queue and the tasks feeding it share.
#[derive(Debug)]
struct Shared {
    /// A weak reference to the event loop: the package keeps one queue per
    /// loop in a `WeakKeyDictionary`, which a strong one would keep alive.
    event_loop: Py<PyAny>,
    done: Mutex<Vec<Done>>,
}

impl Shared {
    fn done(&self) -> MutexGuard<'_, Vec<Done>> {
        self.done.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues a finished call; wakes the loop when the queue was empty.
    fn push(self: &Arc<Self>, done: Done) {
        let wake = {
            let mut queue = self.done();
            queue.push(done);
            queue.len() == 1
        };
        if wake && crate::interpreter::attach(|py| self.wake(py)).is_none() {
            // The interpreter is exiting: nobody will drain.
            self.done().clear();
        }
    }

    fn wake(self: &Arc<Self>, py: Python<'_>) {
        let event_loop = match self.event_loop.call0(py) {
            Ok(l) if !l.is_none(py) => l,
            // The loop is gone, so is everyone who awaited on it.
            _ => return self.done().clear(),
        };
        let sent = Py::new(py, Drain(Arc::clone(self)))
            .and_then(|drain| event_loop.call_method1(py, "call_soon_threadsafe", (drain,)));
        if let Err(e) = sent {
            let closed = event_loop.call_method0(py, "is_closed").and_then(|c| c.is_truthy(py)).unwrap_or(false);
            if !closed {
                e.write_unraisable(py, None);
            }
            // Nobody will drain: the program is ending, or the loop is closed.
            self.done().clear();
        }
    }
}

/// The queue of finished calls of one event loop (see the module documentation).
#[pyclass(frozen, name = "LoopQueue", module = "cognito_identity._native")]
#[derive(Debug)]
pub struct LoopQueue(Arc<Shared>);

#[pymethods]
impl LoopQueue {
    /// `loop_ref` is a `weakref.ref` to the event loop.
    #[new]
    fn new(loop_ref: Py<PyAny>) -> Self {
        Self(Arc::new(Shared { event_loop: loop_ref, done: Mutex::new(Vec::new()) }))
    }

    /// How many finished calls wait for the loop (for tests).
    fn __len__(&self) -> usize {
        self.0.done().len()
    }
}

/// Run by the loop: settles every queued call's future with `(True, result)`
/// or `(False, (kind, error document))`.
#[pyclass(frozen)]
#[derive(Debug)]
struct Drain(Arc<Shared>);

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        let batch = std::mem::take(&mut *self.0.done());
        for done in batch {
            if let Err(e) = settle(py, done) {
                e.write_unraisable(py, None);
            }
        }
    }
}

fn settle(py: Python<'_>, done: Done) -> PyResult<()> {
    let future = done.future.bind(py);
    if future.call_method0("done")?.is_truthy()? {
        return Ok(()); // cancelled while its result was on the way
    }
    match outcome(py, done.result, done.shape) {
        Ok(settled) => future.call_method1("set_result", (settled,))?,
        // A result that cannot become Python objects (a timestamp out of
        // datetime's range, say) fails the awaiting task, as the blocking
        // call raises: the task must not be left waiting forever.
        Err(e) => future.call_method1("set_exception", (e.into_value(py),))?,
    };
    Ok(())
}

/// `(True, result)` or `(False, (kind, error document))`.
fn outcome<'py>(
    py: Python<'py>,
    result: Result<Value, Error>,
    shape: Option<model::ShapeId>,
) -> PyResult<(bool, Bound<'py, PyAny>)> {
    Ok(match result {
        Ok(out) => (true, convert::to_py(py, &out, shape)?),
        Err(e) => {
            let doc = convert::to_py(py, &e.to_document(), None)?;
            let args = PyTuple::new(py, [kind_name(e.kind()).into_pyobject(py)?.into_any(), doc])?;
            (false, args.into_any())
        }
    })
}

/// A call in flight; `cancel()` aborts it.
#[pyclass(frozen, name = "PendingCall", module = "cognito_identity._native")]
#[derive(Debug)]
pub struct PendingCall {
    abort: tokio::task::AbortHandle,
}

#[pymethods]
impl PendingCall {
    /// Aborts the request (nothing is delivered to the future afterwards).
    fn cancel(&self) {
        self.abort.abort();
    }
}

/// Starts `operation` on the async runtime; its result reaches `future`
/// through `queue` (see [`Drain`]).
pub fn start(
    py: Python<'_>,
    client: &Client,
    operation: &str,
    params: Option<&Bound<'_, PyDict>>,
    queue: &LoopQueue,
    future: Bound<'_, PyAny>,
) -> PyResult<PendingCall> {
    let input = match params {
        Some(d) => convert::to_json(d.as_any(), "", 0).map_err(|e| convert_error(py, &e))?,
        None => json!({}),
    };
    let shape = model::operation(operation).and_then(|op| op.output);
    let (client, name, shared, future) = (client.clone(), operation.to_owned(), Arc::clone(&queue.0), future.unbind());
    let task = runtime()?.spawn(async move {
        let result = client.call_json_async(&name, &input).await;
        shared.push(Done { future, shape, result });
    });
    Ok(PendingCall { abort: task.abort_handle() })
}
