//! The service model: the 23 operations and their shapes, as one static table.
//!
//! `generated.rs` is written by `tools/gen_rust_model.py` from the model that
//! ships with botocore; this file holds the types and the look-ups.

#[rustfmt::skip]
#[allow(clippy::all)]
mod generated;


pub use generated::*;

/// An index into [`SHAPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeId(pub u16);

impl ShapeId {
    pub fn shape(self) -> &'static Shape {
        &SHAPES[usize::from(self.0)]
    }
}

/// One named shape of the model.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub kind: Kind,
    /// Values of this shape are secrets: never printed, logged or echoed.
    pub sensitive: bool,
    /// For error shapes: "Sender" (client fault) or "Receiver" (server fault).
    pub error_type: Option<&'static str>,
}

#[derive(Debug)]
pub enum Kind {
    Structure {
        members: &'static [Member],
    },
    String {
        min: Option<u64>,
        max: Option<u64>,
        pattern: Option<&'static str>,
        enums: &'static [&'static str],
    },
    /// `integer` and `long` alike: JSON numbers without a fraction.
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    /// Epoch seconds on the wire (awsJson1_1).
    Timestamp,
    List {
        member: ShapeId,
        min: Option<u64>,
        max: Option<u64>,
    },
    Map {
        key: ShapeId,
        value: ShapeId,
        min: Option<u64>,
        max: Option<u64>,
    },
}

#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub shape: ShapeId,
    pub required: bool,
}

/// How a paginated operation pages (botocore's paginator fields).
#[derive(Debug)]
pub struct Paginator {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: &'static str,
    pub result_key: &'static str,
}

/// One operation of the API.
#[derive(Debug)]
pub struct Operation {
    /// PascalCase, as on the wire: `GetId`.
    pub name: &'static str,
    /// snake_case, as boto3 names the method: `get_id`.
    pub snake_name: &'static str,
    /// The `X-Amz-Target` header value.
    pub target: &'static str,
    /// False for the `noAuth` operations, which go out with no Authorization header.
    pub signed: bool,
    pub input: ShapeId,
    pub output: Option<ShapeId>,
    /// Error codes the model lists for this operation.
    pub errors: &'static [&'static str],
    pub paginator: Option<Paginator>,
}

/// The operation with this PascalCase name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    // The table is sorted by name (the generator sorts it).
    OPERATIONS.binary_search_by(|op| op.name.cmp(name)).ok().map(|i| &OPERATIONS[i])
}

/// The operation with this snake_case name (`get_id`).
pub fn operation_by_snake_name(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.snake_name == name)
}

/// The shape with this name.
pub fn shape_named(name: &str) -> Option<&'static Shape> {
    SHAPES.binary_search_by(|s| s.name.cmp(name)).ok().map(|i| &SHAPES[i])
}

/// Every error code the model defines, with its fault type ("Sender" or "Receiver").
pub fn error_codes() -> impl Iterator<Item = (&'static str, &'static str)> {
    SHAPES.iter().filter_map(|s| s.error_type.map(|t| (s.name, t)))
}

impl Operation {
    pub fn input_shape(&self) -> &'static Shape {
        self.input.shape()
    }
    pub fn output_shape(&self) -> Option<&'static Shape> {
        self.output.map(ShapeId::shape)
    }
}

#[cfg(test)]
mod tests;
