//! IAM role ARNs: the one kind of ARN both APIs check and take apart.

/// The parts of `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` that STS answers name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleArn<'a> {
    pub partition: &'a str,
    pub account: &'a str,
    /// The last path segment: what `assumed-role/NAME/SESSION` shows.
    pub name: &'a str,
}

/// A role ARN of any partition and any path, or `None`.
pub fn parse_role(arn: &str) -> Option<RoleArn<'_>> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", partition, "iam", "", account, resource] = parts[..] else {
        return None;
    };
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next().filter(|n| !n.is_empty())?;
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    (partition.starts_with("aws") && account_ok).then_some(RoleArn { partition, account, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        let arn = parse_role("arn:aws:iam::123456789012:role/Cognito_Auth").expect("role");
        assert_eq!((arn.partition, arn.account, arn.name), ("aws", "123456789012", "Cognito_Auth"));
        let arn = parse_role("arn:aws-cn:iam::123456789012:role/path/to/R").expect("role with path");
        assert_eq!((arn.partition, arn.name), ("aws-cn", "R"));
        for bad in [
            "arn:aws:iam::123456789012:user/bob",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role/path/",
            "arn:aws:iam::12345:role/R",
            "arn:aws:iam:us-east-1:123456789012:role/R",
            "arn:aws:s3:::bucket",
            "not an arn",
        ] {
            assert_eq!(parse_role(bad), None, "{bad}");
        }
    }
}
