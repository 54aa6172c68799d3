//! The identity-id cache on disk: one small JSON file per identity pool and
//! user, so that a process started later (a `credential_process` run, a
//! restarted app) keeps its identity instead of creating a new one each time.
//!
//! Files are named by a hash of the pool id and the user key (never a token),
//! written whole to a temporary file and renamed into place (readers never see
//! half a file), with mode 0600 in a 0700 directory, while holding a lock
//! file so that two processes refreshing at once do not interleave. They may
//! also hold the temporary credentials (only when asked: the
//! `credential_process` command, which runs once per process).

use crate::credentials::{CredentialSource, Credentials};
use crate::error::{Error, ErrorKind};
use crate::signing::hex;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What is kept for one pool and user.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub identity_id: String,
    pub credentials: Option<Credentials>,
}

#[derive(Debug, Clone)]
pub(crate) struct DiskCache {
    dir: PathBuf,
}

/// `$XDG_CACHE_HOME/cognito-identity`, else `~/.cache/cognito-identity`;
/// `None` with neither (then the cache stays in memory).
pub fn default_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let nonempty = |k: &str| env(k).filter(|v| !v.is_empty());
    match nonempty("XDG_CACHE_HOME") {
        Some(xdg) => Some(PathBuf::from(xdg).join("cognito-identity")),
        None => nonempty("HOME").map(|h| PathBuf::from(h).join(".cache").join("cognito-identity")),
    }
}

fn cache_error(path: &Path, what: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Configuration, "CacheError", format!("identity cache {}: {what}", path.display()))
}

impl DiskCache {
    pub fn new(dir: PathBuf) -> Self {
        DiskCache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, pool_id: &str, user_key: &str) -> PathBuf {
        let digest = Sha256::digest(format!("{pool_id}\n{user_key}").as_bytes());
        self.dir.join(format!("{}.json", &hex(&digest)[..40]))
    }

    /// The record for this pool and user, if a readable one exists. A
    /// corrupt or foreign file counts as none (it is replaced on the next store).
    pub fn load(&self, pool_id: &str, user_key: &str) -> Option<Record> {
        let text = std::fs::read(self.path(pool_id, user_key)).ok()?;
        let v: Value = serde_json::from_slice(&text).ok()?;
        if v.get("IdentityPoolId")?.as_str()? != pool_id {
            return None;
        }
        let identity_id = v.get("IdentityId")?.as_str()?.to_owned();
        let credentials = v.get("Credentials").and_then(|c| {
            let get = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
            let expiry = UNIX_EPOCH + Duration::try_from_secs_f64(c.get("Expiration")?.as_f64()?).ok()?;
            Some(
                Credentials::new(get("AccessKeyId")?, get("SecretAccessKey")?, get("SessionToken"))
                    .with_expiry(Some(expiry))
                    .with_source(CredentialSource::IdentityPool(pool_id.to_owned())),
            )
        });
        Some(Record { identity_id, credentials })
    }

    /// Writes the record atomically, under the lock, with mode 0600.
    pub fn store(&self, pool_id: &str, user_key: &str, record: &Record) -> Result<(), Error> {
        let path = self.path(pool_id, user_key);
        let mut doc = json!({"IdentityPoolId": pool_id, "IdentityId": record.identity_id});
        if let Some(c) = &record.credentials {
            let expiry = c.expiry().and_then(|e| e.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs_f64());
            doc["Credentials"] = json!({
                "AccessKeyId": c.access_key_id(),
                "SecretAccessKey": c.secret_access_key(),
                "SessionToken": c.session_token(),
                "Expiration": expiry,
            });
        }
        self.locked(&path, |path| {
            let tmp = path.with_extension(format!("tmp{}.{}", std::process::id(), fastrand::u32(..)));
            let written = private_file(&tmp).and_then(|mut f| {
                f.write_all(doc.to_string().as_bytes())?;
                f.sync_all()
            });
            match written.and_then(|()| std::fs::rename(&tmp, path)) {
                Ok(()) => Ok(()),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(cache_error(path, e))
                }
            }
        })
    }

    /// Forgets this pool and user (sign-out, or an identity that is gone).
    pub fn remove(&self, pool_id: &str, user_key: &str) -> Result<(), Error> {
        let path = self.path(pool_id, user_key);
        self.locked(&path, |path| match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(cache_error(path, e)),
        })
    }

    fn locked<T>(&self, path: &Path, body: impl FnOnce(&Path) -> Result<T, Error>) -> Result<T, Error> {
        create_private_dir(&self.dir).map_err(|e| cache_error(&self.dir, e))?;
        let lock_path = path.with_extension("lock");
        let lock = private_file_keep(&lock_path).map_err(|e| cache_error(&lock_path, e))?;
        lock.lock().map_err(|e| cache_error(&lock_path, e))?;
        let out = body(path);
        let _ = lock.unlock();
        out
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// A new file only its owner may read (it may hold credentials).
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// The lock file: created if missing, kept between uses.
fn private_file_keep(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Whether stored credentials are still good for longer than `margin`.
pub(crate) fn still_good(c: &Credentials, now: SystemTime, margin: Duration) -> bool {
    c.expiry().and_then(|e| e.duration_since(now).ok()).is_some_and(|left| left > margin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "cognito-disk-cache-{name}-{}-{}",
            std::process::id(),
            fastrand::u32(..)
        ));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn records_round_trip_privately_and_are_keyed_by_pool_and_user() {
        let dir = temp_dir("rt");
        let cache = DiskCache::new(dir.join("nested"));
        let creds = Credentials::new("ASIAX", "SECRET", Some("TOKEN".into()))
            .with_expiry(Some(UNIX_EPOCH + Duration::from_secs(2_000_000_000)));
        let record = Record { identity_id: "us-east-1:abc".into(), credentials: Some(creds) };
        cache.store("us-east-1:pool", "guest", &record).unwrap();
        let back = cache.load("us-east-1:pool", "guest").unwrap();
        assert_eq!(back.identity_id, "us-east-1:abc");
        let c = back.credentials.unwrap();
        assert_eq!((c.access_key_id(), c.secret_access_key(), c.session_token()), ("ASIAX", "SECRET", Some("TOKEN")));
        assert!(cache.load("us-east-1:pool", "jwt:other").is_none());
        assert!(cache.load("us-east-1:other", "guest").is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = cache.path("us-east-1:pool", "guest");
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(cache.dir()).unwrap().permissions().mode() & 0o777, 0o700);
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.contains("pool") && !name.contains("guest"), "{name}");
        }
        cache.remove("us-east-1:pool", "guest").unwrap();
        assert!(cache.load("us-east-1:pool", "guest").is_none());
        cache.remove("us-east-1:pool", "guest").unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_files_count_as_missing() {
        let dir = temp_dir("corrupt");
        let cache = DiskCache::new(dir.clone());
        cache.store("p:1", "guest", &Record { identity_id: "p:id".into(), credentials: None }).unwrap();
        std::fs::write(cache.path("p:1", "guest"), b"{not json").unwrap();
        assert!(cache.load("p:1", "guest").is_none());
        cache.store("p:1", "guest", &Record { identity_id: "p:id2".into(), credentials: None }).unwrap();
        assert_eq!(cache.load("p:1", "guest").unwrap().identity_id, "p:id2");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_default_dir_follows_xdg() {
        let env = |k: &str| match k {
            "XDG_CACHE_HOME" => Some("/x/cache".to_owned()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(default_dir(&env), Some(PathBuf::from("/x/cache/cognito-identity")));
        let home_only = |k: &str| (k == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(default_dir(&home_only), Some(PathBuf::from("/home/u/.cache/cognito-identity")));
        assert_eq!(default_dir(&|_| None), None);
    }
}
