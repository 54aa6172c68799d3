//! Reading members out of a request's JSON input, with AWS-style errors.

use crate::error::{ApiError, ApiResult};
use serde_json::{Map, Value};

/// `IdentityPoolId` -> `identityPoolId`, the member path AWS messages use.
pub fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn missing(name: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
        camel(name)
    ))
}

fn wrong_type(name: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!("{name} must be {expected}"))
}

/// The input members, after the body was checked to be a JSON object.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a>(pub &'a Map<String, Value>);

impl<'a> Input<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn opt_str(&self, name: &str) -> ApiResult<Option<&'a str>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_type(name, "a string")),
        }
    }

    pub fn str(&self, name: &str) -> ApiResult<&'a str> {
        self.opt_str(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_bool(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(name, "a boolean")),
        }
    }

    pub fn bool(&self, name: &str) -> ApiResult<bool> {
        self.opt_bool(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_int(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| wrong_type(name, "an integer")),
        }
    }

    pub fn int(&self, name: &str) -> ApiResult<i64> {
        self.opt_int(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_map(&self, name: &str) -> ApiResult<Option<&'a Map<String, Value>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(wrong_type(name, "an object")),
        }
    }

    pub fn map(&self, name: &str) -> ApiResult<&'a Map<String, Value>> {
        self.opt_map(name)?.ok_or_else(|| missing(name))
    }

    /// A map whose values are all strings.
    pub fn opt_string_map(&self, name: &str) -> ApiResult<Option<Vec<(&'a str, &'a str)>>> {
        let Some(m) = self.opt_map(name)? else {
            return Ok(None);
        };
        m.iter()
            .map(|(k, v)| {
                v.as_str().map(|v| (k.as_str(), v)).ok_or_else(|| wrong_type(&format!("{name}.{k}"), "a string"))
            })
            .collect::<ApiResult<Vec<_>>>()
            .map(Some)
    }

    pub fn opt_list(&self, name: &str) -> ApiResult<Option<&'a Vec<Value>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(wrong_type(name, "a list")),
        }
    }

    pub fn opt_string_list(&self, name: &str) -> ApiResult<Option<Vec<&'a str>>> {
        let Some(list) = self.opt_list(name)? else {
            return Ok(None);
        };
        list.iter()
            .map(|v| v.as_str().ok_or_else(|| wrong_type(name, "a list of strings")))
            .collect::<ApiResult<Vec<_>>>()
            .map(Some)
    }

    pub fn string_list(&self, name: &str) -> ApiResult<Vec<&'a str>> {
        self.opt_string_list(name)?.ok_or_else(|| missing(name))
    }
}
