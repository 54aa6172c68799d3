//! The `aws.partition` function: which AWS partition a region belongs to.
//!
//! Matching follows the endpoint rules specification as the AWS SDKs implement it:
//! a region listed explicitly by any partition wins; otherwise the first partition
//! whose `regionRegex` matches; otherwise the `aws` partition (so a region launched
//! after this table was generated still resolves, to the commercial partition).

use regex::Regex;
use serde_json::{Map, Value};

/// The partitions table (`partitions.json`), parsed and with its regexes compiled.
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
    region_regex: Regex,
    /// Explicit regions; each value may override some of `outputs` for that region.
    regions: Map<String, Value>,
}

impl Partitions {
    pub(crate) fn from_json(text: &str) -> Result<Self, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("partitions: {e}"))?;
        let entries = doc.get("partitions").and_then(Value::as_array).ok_or("partitions: no `partitions` array")?;
        let mut list = Vec::with_capacity(entries.len());
        for entry in entries {
            let id = entry.get("id").and_then(Value::as_str).ok_or("partitions: a partition has no `id`")?.to_owned();
            let outputs = entry
                .get("outputs")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| format!("partitions: {id} has no `outputs`"))?;
            let pattern = entry
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("partitions: {id} has no `regionRegex`"))?;
            let region_regex = Regex::new(pattern).map_err(|e| format!("partitions: {id} regionRegex: {e}"))?;
            let regions = match entry.get("regions") {
                None => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                Some(_) => return Err(format!("partitions: {id} `regions` is not an object")),
            };
            list.push(Partition { id, outputs, region_regex, regions });
        }
        if list.is_empty() {
            return Err("partitions: the table is empty".into());
        }
        let fallback = list.iter().position(|p| p.id == "aws").unwrap_or(0);
        Ok(Partitions { list, fallback })
    }

    /// The partition's outputs (`name`, `dnsSuffix`, `dualStackDnsSuffix`,
    /// `supportsFIPS`, `supportsDualStack`, ...) as a JSON object, the value
    /// `aws.partition` returns to the rules.
    pub(crate) fn resolve(&self, region: &str) -> Value {
        let explicit = self.list.iter().find_map(|p| p.regions.get(region).map(|overrides| (p, Some(overrides))));
        let (partition, overrides) = explicit
            .or_else(|| self.list.iter().find(|p| p.region_regex.is_match(region)).map(|p| (p, None)))
            .unwrap_or((&self.list[self.fallback], None));
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
        Value::Object(out)
    }
}
