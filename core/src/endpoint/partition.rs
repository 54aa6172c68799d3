//! The `aws.partition` function: which AWS partition a region belongs to.
//!
//! Matching follows the endpoint rules specification as the AWS SDKs implement it:
//! a region listed explicitly by any partition wins; otherwise the first partition
//! whose `regionRegex` matches; otherwise the `aws` partition (so a region launched
//! after this table was generated still resolves, to the commercial partition).
//!
//! A `regionRegex` is compiled the first time a region has to be matched against it
//! (a region listed explicitly never needs one): the patterns use Unicode `\w` and
//! `\d`, and compiling all of them took most of a client's construction time.

use regex::Regex;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The partitions table (`partitions.json`), parsed; each regex is compiled on
/// first use and kept (the table lives for the process).
#[derive(Debug)]
pub(crate) struct Partitions {
    list: Vec<Partition>,
    /// Index of the partition used when nothing matches (`aws`, else the first).
    fallback: usize,
}

#[derive(Debug)]
struct Partition {
    id: String,
    outputs: Map<String, Value>,
    /// The `regionRegex` pattern, compiled on first use.
    region_pattern: String,
    region_regex: OnceLock<Result<Regex, String>>,
    /// Explicit regions; each value may override some of `outputs` for that region.
    regions: Map<String, Value>,
}

/// Where `aws.partition` finds the table: one parsed already, or one parsed
/// on first use (the embedded table, `endpoint::EmbeddedPartitions`).
pub(crate) trait PartitionTable {
    fn table(&self) -> Result<&Partitions, String>;
}

impl PartitionTable for Partitions {
    fn table(&self) -> Result<&Partitions, String> {
        Ok(self)
    }
}

impl Partitions {
    pub(crate) fn from_json(text: &str) -> Result<Self, String> {
        let mut doc: Value = serde_json::from_str(text).map_err(|e| format!("partitions: {e}"))?;
        // The parts are taken out of the document, not cloned.
        let Some(Value::Array(entries)) = doc.get_mut("partitions").map(Value::take) else {
            return Err("partitions: no `partitions` array".into());
        };
        let mut list = Vec::with_capacity(entries.len());
        for mut entry in entries {
            let id = entry.get("id").and_then(Value::as_str).ok_or("partitions: a partition has no `id`")?.to_owned();
            let Some(Value::Object(outputs)) = entry.get_mut("outputs").map(Value::take) else {
                return Err(format!("partitions: {id} has no `outputs`"));
            };
            let region_pattern = entry
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("partitions: {id} has no `regionRegex`"))?
                .to_owned();
            let regions = match entry.get_mut("regions").map(Value::take) {
                None => Map::new(),
                Some(Value::Object(m)) => m,
                Some(_) => return Err(format!("partitions: {id} `regions` is not an object")),
            };
            list.push(Partition { id, outputs, region_pattern, region_regex: OnceLock::new(), regions });
        }
        if list.is_empty() {
            return Err("partitions: the table is empty".into());
        }
        let fallback = list.iter().position(|p| p.id == "aws").unwrap_or(0);
        Ok(Partitions { list, fallback })
    }

    /// The partition's outputs (`name`, `dnsSuffix`, `dualStackDnsSuffix`,
    /// `supportsFIPS`, `supportsDualStack`, ...) as a JSON object, the value
    /// `aws.partition` returns to the rules. An error only if a `regionRegex`
    /// that had to be tried does not compile (a bad regeneration of the table).
    pub(crate) fn resolve(&self, region: &str) -> Result<Value, String> {
        let explicit = self.list.iter().find_map(|p| p.regions.get(region).map(|overrides| (p, Some(overrides))));
        let (partition, overrides) = match explicit {
            Some(found) => found,
            None => {
                let mut matched = None;
                for p in &self.list {
                    if p.region_regex()?.is_match(region) {
                        matched = Some(p);
                        break;
                    }
                }
                (matched.unwrap_or(&self.list[self.fallback]), None)
            }
        };
        let mut out = partition.outputs.clone();
        // A region entry may override outputs for itself (e.g. `supportsFIPS`).
        if let Some(Value::Object(o)) = overrides {
            for (k, v) in o {
                if k != "description" {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        out.insert("name".into(), Value::String(partition.id.clone()));
        Ok(Value::Object(out))
    }

    /// Compiles every `regionRegex` now (the tests check the embedded table with it).
    #[cfg(test)]
    pub(crate) fn compile_all(&self) -> Result<(), String> {
        self.list.iter().try_for_each(|p| p.region_regex().map(drop))
    }
}

impl Partition {
    fn region_regex(&self) -> Result<&Regex, String> {
        self.region_regex
            .get_or_init(|| {
                Regex::new(&self.region_pattern).map_err(|e| format!("partitions: {} regionRegex: {e}", self.id))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}
