//! Arbitrary JSON values, bounded in depth and size.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};

/// Any JSON value, nested at most `depth` levels.
pub fn any(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let pick = if depth == 0 { u.int_in_range(0..=3)? } else { u.int_in_range(0..=5)? };
    Ok(match pick {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 => Value::String(u.arbitrary()?),
        4 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array((0..n).map(|_| any(u, depth - 1)).collect::<Result<_>>()?)
        }
        _ => {
            let n = u.int_in_range(0..=4)?;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(u.arbitrary()?, any(u, depth - 1)?);
            }
            Value::Object(m)
        }
    })
}

/// A JSON number: small or extreme integers, unsigned beyond `i64`, or a float.
pub fn number(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Value::from(u.int_in_range(-3i64..=70)?),
        1 => Value::from(u.arbitrary::<i64>()?),
        2 => Value::from(u.arbitrary::<u64>()?),
        _ => Number::from_f64(u.arbitrary()?).map_or(Value::from(0.5), Value::Number),
    })
}
