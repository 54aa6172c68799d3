//! Random identifiers in the forms AWS uses.

/// A random version-4 UUID, lower-case and hyphenated.
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// `REGION:UUID`, the form of identity pool ids and identity ids.
pub fn regional_id(region: &str) -> String {
    format!("{region}:{}", uuid_v4())
}

fn random_from(alphabet: &[u8], len: usize) -> String {
    (0..len).map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())])).collect()
}

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A temporary access key id: `ASIA` and 16 upper-case characters, as STS gives.
pub fn temporary_access_key_id() -> String {
    format!("ASIA{}", random_from(UPPER_ALNUM, 16))
}

/// `prefix` and 17 upper-case characters derived from `seed`: the form of
/// IAM unique ids (`AROA...` for roles, `AIDA...` for users), the same for
/// the same seed so that a role keeps its id across calls.
pub fn stable_id(prefix: &str, seed: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
    let tail: String = digest.as_ref().iter().take(17).map(|b| char::from(UPPER_ALNUM[usize::from(b % 32)])).collect();
    format!("{prefix}{tail}")
}

/// A 40-character secret access key.
pub fn secret_access_key() -> String {
    random_from(BASE64, 40)
}

/// An opaque session token of the usual length.
pub fn session_token() -> String {
    format!("IQoJb3JpZ2luX2Vj{}", random_from(BASE64, 600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_the_v4_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert!(u.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn temporary_keys_look_like_sts_keys() {
        let k = temporary_access_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert_eq!(secret_access_key().len(), 40);
    }

    #[test]
    fn stable_ids_depend_on_the_seed_only() {
        let a = stable_id("AROA", "arn:aws:iam::123456789012:role/A");
        assert_eq!(a.len(), 21);
        assert!(a.starts_with("AROA") && a.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert_eq!(a, stable_id("AROA", "arn:aws:iam::123456789012:role/A"));
        assert_ne!(a, stable_id("AROA", "arn:aws:iam::123456789012:role/B"));
    }
}
