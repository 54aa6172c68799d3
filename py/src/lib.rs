//! The pyo3 module cognito_identity._native.
