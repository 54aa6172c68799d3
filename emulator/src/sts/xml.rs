//! The awsQuery answers: STS's XML documents, written by hand (they are
//! small and fixed in shape).

use crate::error::ApiError;

/// The namespace of every STS answer.
pub const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// Text escaped for element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `<name>text</name>`, the text escaped.
pub fn element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// `<name>children</name>`, the children already XML.
pub fn parent(name: &str, children: &[String]) -> String {
    format!("<{name}>{}</{name}>", children.concat())
}

/// `<ActionResponse><ActionResult>result</ActionResult><ResponseMetadata>...`.
pub fn success(action: &str, result: &[String], request_id: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NAMESPACE}\">\n  {}\n  {}\n</{action}Response>\n",
        parent(&format!("{action}Result"), result),
        parent("ResponseMetadata", &[element("RequestId", request_id)]),
    )
}

/// `<ErrorResponse>`: `Sender` faults for 4xx statuses, `Receiver` for 5xx.
pub fn error(err: &ApiError, request_id: &str) -> String {
    let kind = if err.status >= 500 { "Receiver" } else { "Sender" };
    format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  {}\n  {}\n</ErrorResponse>\n",
        parent("Error", &[element("Type", kind), element("Code", err.code), element("Message", &err.message)]),
        element("RequestId", request_id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_have_the_sts_shape() {
        let doc = success("GetCallerIdentity", &[element("Account", "123456789012")], "rid");
        assert!(doc.starts_with("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
        assert!(doc.contains("<GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult>"));
        assert!(doc.contains("<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"));
        let err = error(&ApiError::new("AccessDenied", 403, "a <b> & 'c'"), "rid");
        assert!(err.contains("<Error><Type>Sender</Type><Code>AccessDenied</Code>"), "{err}");
        assert!(err.contains("<Message>a &lt;b&gt; &amp; &apos;c&apos;</Message>"), "{err}");
        assert!(error(&ApiError::internal("x"), "r").contains("<Type>Receiver</Type>"));
    }
}
