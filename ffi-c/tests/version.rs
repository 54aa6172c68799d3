//! The committed header's version macros match this crate's version.

fn header() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../include/cognito_identity.h");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The value of `#define NAME value` in the header.
fn define(header: &str, name: &str) -> String {
    header
        .lines()
        .find_map(|l| {
            let rest = l.strip_prefix("#define ")?.strip_prefix(name)?;
            rest.starts_with([' ', '\t']).then(|| rest.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("the header has no #define {name}"))
}

#[test]
fn version_macros_match_cargo_toml() {
    let h = header();
    assert_eq!(define(&h, "COGNITO_IDENTITY_VERSION"), format!("\"{}\"", env!("CARGO_PKG_VERSION")));
    for (name, want) in [
        ("COGNITO_IDENTITY_VERSION_MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("COGNITO_IDENTITY_VERSION_MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("COGNITO_IDENTITY_VERSION_PATCH", env!("CARGO_PKG_VERSION_PATCH")),
    ] {
        assert_eq!(define(&h, name), want, "{name}");
    }
}

#[test]
fn the_library_reports_the_same_version() {
    let v = unsafe { std::ffi::CStr::from_ptr(cognito_identity_cabi::cognito_identity_version()) };
    assert_eq!(v.to_str().expect("utf-8"), env!("CARGO_PKG_VERSION"));
}
