//! A blocking client for the Amazon Cognito Identity API (2014-06-30).
pub mod endpoint;
pub mod error;
pub mod model;
pub mod validate;

pub use error::{Error, ErrorKind};
