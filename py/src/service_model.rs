//! The model as `client.meta.service_model` shows it: botocore's
//! `ServiceModel`/`OperationModel` surface, read from the core's static table.

use cognito_identity::model::{self, Kind, ShapeId};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A structure shape as a dict: `name`, `members` (member name to shape
/// name, in model order) and `required` (member names).
fn shape_dict<'py>(py: Python<'py>, id: ShapeId) -> PyResult<Bound<'py, PyDict>> {
    let shape = id.shape();
    let out = PyDict::new(py);
    out.set_item("name", shape.name)?;
    let members = PyDict::new(py);
    let required = PyList::empty(py);
    if let Kind::Structure { members: list } = &shape.kind {
        for m in list.iter() {
            members.set_item(m.name, m.shape.shape().name)?;
            if m.required {
                required.append(m.name)?;
            }
        }
    }
    out.set_item("members", members)?;
    out.set_item("required", required)?;
    Ok(out)
}

/// The operation `name` (PascalCase) as a dict: `name`, `input`, `output`
/// (None when the operation returns nothing), `errors`, `signed`,
/// `paginated`. None for a name the model does not have.
#[pyfunction]
pub fn operation_model<'py>(py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(op) = model::operation(name) else {
        return Ok(None);
    };
    let out = PyDict::new(py);
    out.set_item("name", op.name)?;
    out.set_item("input", shape_dict(py, op.input)?)?;
    out.set_item("output", op.output.map(|id| shape_dict(py, id)).transpose()?)?;
    out.set_item("errors", op.errors.to_vec())?;
    out.set_item("signed", op.signed)?;
    out.set_item("paginated", op.paginator.is_some())?;
    Ok(Some(out))
}

/// Every operation name of the model (PascalCase, sorted).
#[pyfunction]
pub fn operation_names() -> Vec<&'static str> {
    model::OPERATIONS.iter().map(|op| op.name).collect()
}
