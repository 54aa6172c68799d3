//! Python values to serde_json values, and results to Python values.
//!
//! Inputs: dicts, lists, tuples, str, int, float, bool, None and datetime are
//! accepted; anything else is rejected with the path of the member, so a
//! caller sees `Logins.graph.facebook.com` rather than "bad value".
//! Outputs: the operation's output shape is walked so timestamps become
//! timezone-aware UTC datetimes and secrets become `SecretStr` (a str whose
//! repr is redacted). A call's result is built straight from the core's JSON
//! text ([`text_to_py`]); documents the core holds as values (errors, the
//! async path) go through [`to_py`].

use cognito_identity::model::{Kind, SHAPES, ShapeId};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// Far deeper than any shape of the model (which nests 5 levels); stops a
/// self-referencing or absurdly deep value before it can exhaust the stack.
pub const MAX_DEPTH: usize = 32;

/// Why a Python value cannot be sent, and where it sits.
#[derive(Debug)]
pub struct ConvertError {
    pub path: String,
    pub message: String,
}

impl ConvertError {
    fn new(path: &str, message: impl Into<String>) -> Self {
        ConvertError { path: if path.is_empty() { "(input)".into() } else { path.to_owned() }, message: message.into() }
    }
    pub fn describe(&self) -> String {
        format!("Invalid type for parameter {}: {}", self.path, self.message)
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// Converts a Python value (usually the keyword arguments dict) to JSON.
pub fn to_json(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, ConvertError> {
    if depth > MAX_DEPTH {
        return Err(ConvertError::new(path, format!("nested more than {MAX_DEPTH} levels deep")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: Python's bool is a subclass of int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(ConvertError::new(path, "integer out of the 64-bit range"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| ConvertError::new(path, format!("{v} is not a finite number")));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| ConvertError::new(path, "string is not valid UTF-8 (lone surrogate)"));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => s.to_cow().map_err(|_| ConvertError::new(path, "key is not valid UTF-8"))?.into_owned(),
                Err(_) => {
                    return Err(ConvertError::new(path, format!("dict keys must be str, not {}", type_name(&k))));
                }
            };
            let value = to_json(&v, &child(path, &key), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return seq(l.iter(), path, depth);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return seq(t.iter(), path, depth);
    }
    if is_datetime(obj) {
        return datetime_to_epoch(obj).map_err(|e| ConvertError::new(path, format!("bad datetime: {e}")));
    }
    Err(ConvertError::new(
        path,
        format!("unsupported type {}; use dict, list, tuple, str, int, float, bool, None or datetime", type_name(obj)),
    ))
}

fn seq<'py>(items: impl Iterator<Item = Bound<'py, PyAny>>, path: &str, depth: usize) -> Result<Value, ConvertError> {
    items
        .enumerate()
        .map(|(i, v)| to_json(&v, &format!("{path}[{i}]"), depth + 1))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

struct Helpers {
    datetime: Py<PyAny>,
    utc: Py<PyAny>,
    secret: Py<PyAny>,
}

static HELPERS: PyOnceLock<Helpers> = PyOnceLock::new();

fn helpers(py: Python<'_>) -> PyResult<&Helpers> {
    HELPERS.get_or_try_init(py, || {
        let dt = py.import("datetime")?;
        // Imported lazily: the package imports this module first.
        let secret = py.import("cognito_identity._secret")?.getattr("SecretStr")?;
        Ok(Helpers {
            datetime: dt.getattr("datetime")?.unbind(),
            utc: dt.getattr("timezone")?.getattr("utc")?.unbind(),
            secret: secret.unbind(),
        })
    })
}

fn is_datetime(obj: &Bound<'_, PyAny>) -> bool {
    helpers(obj.py()).and_then(|h| obj.is_instance(h.datetime.bind(obj.py()))).unwrap_or(false)
}

/// Epoch seconds; a naive datetime is taken to be UTC, as botocore takes it.
fn datetime_to_epoch(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    let h = helpers(py)?;
    let aware = if obj.getattr("tzinfo")?.is_none() {
        let kw = PyDict::new(py);
        kw.set_item("tzinfo", h.utc.bind(py))?;
        obj.call_method("replace", (), Some(&kw))?
    } else {
        obj.clone()
    };
    let secs: f64 = aware.call_method0("timestamp")?.extract()?;
    Ok(Number::from_f64(secs).map_or(Value::Null, Value::Number))
}

/// Converts a JSON value to Python, guided by `shape` where it is known.
pub fn to_py<'py>(py: Python<'py>, v: &Value, shape: Option<ShapeId>) -> PyResult<Bound<'py, PyAny>> {
    let s = shape.map(ShapeId::shape);
    if let Some(s) = s {
        match (&s.kind, v) {
            (Kind::Timestamp, Value::Number(n)) => {
                let h = helpers(py)?;
                let secs = n.as_f64().unwrap_or_default();
                return h.datetime.bind(py).call_method1("fromtimestamp", (secs, h.utc.bind(py)));
            }
            (Kind::String { .. }, Value::String(text)) if s.sensitive => {
                return helpers(py)?.secret.bind(py).call1((text.as_str(),));
            }
            _ => {}
        }
    }
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(text) => PyString::new(py, text).into_any(),
        Value::Array(items) => {
            let member = s.and_then(|s| match &s.kind {
                Kind::List { member, .. } => Some(*member),
                _ => None,
            });
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item, member)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            // Members sent as null were dropped by the core, as botocore drops them.
            for (k, item) in map {
                let (key, sub) = key_and_shape(py, shape, k);
                dict.set_item(key, to_py(py, item, sub)?)?;
            }
            dict.into_any()
        }
    })
}

/// A call's result from the core's JSON text (`Client::call_json_text`):
/// the same objects as [`to_py`] of the same document, without the
/// `serde_json::Value` in between. Why: building that value and walking it
/// was a seventh of a Python call's instructions; here each JSON token
/// becomes its Python object as it is read. The text has had its null
/// members dropped by the core already, as `to_py`'s values have.
pub fn text_to_py<'py>(py: Python<'py>, text: &str, shape: Option<ShapeId>) -> PyResult<Bound<'py, PyAny>> {
    let failed = Cell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let built = Seed { py, shape, failed: &failed }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match built {
        Ok(v) => Ok(v),
        // A Python error (a timestamp out of datetime's range, say). The
        // visitor converts every copy of a repeated key where the value path
        // converts only the one kept: the value path decides, so that both
        // raise or succeed alike.
        Err(_) if failed.take().is_some() => match serde_json::from_str::<Value>(text) {
            Ok(value) => to_py(py, &value, shape),
            Err(e) => Err(invalid_text(&e)),
        },
        // The text was not JSON, which the core never gives.
        Err(e) => Err(invalid_text(&e)),
    }
}

fn invalid_text(e: &serde_json::Error) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(format!("the result is not valid JSON: {e}"))
}

/// One value of the result, with its shape when the model knows it.
struct Seed<'a, 'py> {
    py: Python<'py>,
    shape: Option<ShapeId>,
    /// The Python error that stopped the build, handed back past serde.
    failed: &'a Cell<Option<PyErr>>,
}

impl<'py> Seed<'_, 'py> {
    fn with_shape(&self, shape: Option<ShapeId>) -> Self {
        Seed { py: self.py, shape, failed: self.failed }
    }

    fn kind(&self) -> Option<&'static Kind> {
        self.shape.map(|s| &s.shape().kind)
    }

    /// A Python result, its error kept for [`text_to_py`].
    fn py_ok<T, E: de::Error>(&self, r: PyResult<T>) -> Result<T, E> {
        r.map_err(|e| {
            self.failed.set(Some(e));
            E::custom("a Python error")
        })
    }

    fn number<E: de::Error>(&self, n: impl IntoPyObject<'py>, secs: f64) -> Result<Bound<'py, PyAny>, E> {
        let py = self.py;
        if matches!(self.kind(), Some(Kind::Timestamp)) {
            return self.py_ok(
                helpers(py).and_then(|h| h.datetime.bind(py).call_method1("fromtimestamp", (secs, h.utc.bind(py)))),
            );
        }
        self.py_ok(n.into_bound_py_any(py))
    }
}

impl<'de, 'py> DeserializeSeed<'de> for Seed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for Seed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, b).to_owned().into_any())
    }

    #[allow(clippy::cast_precision_loss)] // as serde_json's `as_f64`: epoch seconds
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        self.number(n, n as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        self.number(n, n as f64)
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        self.number(n, n)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let py = self.py;
        match self.shape.map(ShapeId::shape) {
            Some(s) if s.sensitive && matches!(s.kind, Kind::String { .. }) => {
                self.py_ok(helpers(py).and_then(|h| h.secret.bind(py).call1((text,))))
            }
            Some(_) => Ok(PyString::new(py, text).into_any()),
            None => Ok(known_text(py, text).into_any()),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        let member = match self.kind() {
            Some(Kind::List { member, .. }) => Some(*member),
            _ => None,
        };
        let list = PyList::empty(self.py);
        while let Some(item) = items.next_element_seed(self.with_shape(member))? {
            self.py_ok(list.append(item))?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some((key, sub)) = members.next_key_seed(KeySeed { py: self.py, parent: self.shape })? {
            let value = members.next_value_seed(self.with_shape(sub))?;
            self.py_ok(dict.set_item(key, value))?;
        }
        Ok(dict.into_any())
    }
}

/// A member's key, read with its parent's shape: the key as `to_py` makes
/// it (interned where known), and the member's own shape.
struct KeySeed<'py> {
    py: Python<'py>,
    parent: Option<ShapeId>,
}

impl<'de, 'py> DeserializeSeed<'de> for KeySeed<'py> {
    type Value = (Bound<'py, PyString>, Option<ShapeId>);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for KeySeed<'py> {
    type Value = (Bound<'py, PyString>, Option<ShapeId>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, k: &str) -> Result<Self::Value, E> {
        Ok(key_and_shape(self.py, self.parent, k))
    }
}

/// The Python key of member `k` of a value of shape `parent`, and the
/// member's shape.
fn key_and_shape<'py>(py: Python<'py>, parent: Option<ShapeId>, k: &str) -> (Bound<'py, PyString>, Option<ShapeId>) {
    match parent.map(|id| (id, &id.shape().kind)) {
        Some((id, Kind::Structure { members })) => match members.iter().position(|m| m.name == k) {
            Some(i) => (member_key(py, id, i, k), Some(members[i].shape)),
            None => (known_text(py, k), None),
        },
        Some((_, Kind::Map { value, .. })) => (PyString::new(py, k), Some(*value)),
        _ => (known_text(py, k), None),
    }
}

/// The key of a structure's member `i`: one interned string per member for
/// the process, made on first use. Why: a result's keys are the same at every
/// call; a new string each time costs its allocation and its hash (the
/// interned one keeps its hash), which was a tenth of a call's conversion.
fn member_key<'py>(py: Python<'py>, shape: ShapeId, i: usize, name: &str) -> Bound<'py, PyString> {
    static KEYS: PyOnceLock<Vec<Vec<Py<PyString>>>> = PyOnceLock::new();
    let keys = KEYS.get_or_init(py, || {
        SHAPES
            .iter()
            .map(|s| match &s.kind {
                Kind::Structure { members } => members.iter().map(|m| PyString::intern(py, m.name).unbind()).collect(),
                _ => Vec::new(),
            })
            .collect()
    });
    match keys.get(usize::from(shape.0)).and_then(|k| k.get(i)) {
        Some(k) => k.bind(py).clone(),
        None => PyString::new(py, name),
    }
}

/// Texts outside the model that every result carries, interned: the keys of
/// `ResponseMetadata` and of the headers an AWS answer always has, and the
/// header values every JSON answer of the service carries. Others are made anew.
fn known_text<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
    use pyo3::intern;
    match text {
        "ResponseMetadata" => intern!(py, "ResponseMetadata").clone(),
        "RequestId" => intern!(py, "RequestId").clone(),
        "HTTPStatusCode" => intern!(py, "HTTPStatusCode").clone(),
        "HTTPHeaders" => intern!(py, "HTTPHeaders").clone(),
        "RetryAttempts" => intern!(py, "RetryAttempts").clone(),
        "content-type" => intern!(py, "content-type").clone(),
        "content-length" => intern!(py, "content-length").clone(),
        "date" => intern!(py, "date").clone(),
        "connection" => intern!(py, "connection").clone(),
        "x-amzn-requestid" => intern!(py, "x-amzn-requestid").clone(),
        "server" => intern!(py, "server").clone(),
        "application/x-amz-json-1.1" => intern!(py, "application/x-amz-json-1.1").clone(),
        "keep-alive" => intern!(py, "keep-alive").clone(),
        other => PyString::new(py, other),
    }
}
