//! Opaque `NextToken`s: the position after the last item returned.

use crate::error::{ApiError, ApiResult};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A token that resumes listing `what` after position `after`.
pub fn encode(what: &str, after: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{what}:{after}"))
}

/// The position a token names; tokens from another listing are refused.
pub fn decode(what: &str, token: Option<&str>) -> ApiResult<u64> {
    let Some(token) = token else {
        return Ok(0);
    };
    let invalid = || ApiError::invalid_parameter("The pagination token is invalid.");
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (kind, after) = text.split_once(':').ok_or_else(invalid)?;
    if kind != what {
        return Err(invalid());
    }
    after.parse().map_err(|_| invalid())
}

/// One page of `items` (already in order, each with its position): those after
/// `after`, at most `max`, and the token for the rest if any remain.
pub fn page<T>(what: &str, items: Vec<(u64, T)>, after: u64, max: usize) -> (Vec<T>, Option<String>) {
    let mut rest = items.into_iter().filter(|(pos, _)| *pos > after).peekable();
    let mut out = Vec::new();
    let mut last = after;
    while out.len() < max {
        match rest.next() {
            Some((pos, item)) => {
                last = pos;
                out.push(item);
            }
            None => break,
        }
    }
    let next = rest.peek().is_some().then(|| encode(what, last));
    (out, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_to_the_end() {
        let items: Vec<(u64, u64)> = (1..=5).map(|i| (i * 10, i)).collect();
        let (first, token) = page("x", items.clone(), 0, 2);
        assert_eq!(first, vec![1, 2]);
        let after = decode("x", token.as_deref()).expect("token");
        let (second, token) = page("x", items.clone(), after, 2);
        assert_eq!(second, vec![3, 4]);
        let (last, token) = page("x", items, decode("x", token.as_deref()).expect("t"), 2);
        assert_eq!((last, token), (vec![5], None));
        assert!(decode("y", Some(&encode("x", 1))).is_err());
        assert!(decode("x", Some("garbage!")).is_err());
    }
}
