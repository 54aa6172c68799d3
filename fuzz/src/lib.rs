//! Helpers shared by the fuzz targets in `fuzz_targets/`: a hermetic
//! environment, values shaped by the service model, arbitrary JSON, and a
//! loopback HTTP server that answers with canned bytes.

pub mod env;
pub mod json;
pub mod shapes;
pub mod sink;
