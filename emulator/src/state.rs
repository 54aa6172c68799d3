//! The emulator's in-memory data: pools, identities, logins and issued keys.
//!
//! One `Data` value sits behind one mutex; every operation holds the lock for
//! its whole (short, non-async) body, so each request sees and leaves a
//! consistent state.

use crate::error::{ApiError, ApiResult};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::SystemTime;

/// How many issued temporary keys are remembered. Past this, expired keys are
/// forgotten, then the oldest ones, so that a long run's memory stays bounded
/// (a forgotten key's signatures then fail with `UnrecognizedClientException`).
pub const MAX_ISSUED_KEYS: usize = 10_000;

/// A login as the emulator stores it: provider name and user subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Login {
    pub provider: String,
    pub subject: String,
}

#[derive(Debug, Clone)]
pub struct Pool {
    pub id: String,
    pub region: String,
    pub seq: u64,
    pub name: String,
    pub allow_unauthenticated: bool,
    pub allow_classic_flow: bool,
    pub supported_login_providers: Map<String, Value>,
    pub developer_provider_name: Option<String>,
    pub open_id_connect_provider_arns: Vec<String>,
    pub cognito_identity_providers: Vec<Value>,
    pub saml_provider_arns: Vec<String>,
    pub tags: BTreeMap<String, String>,
    pub roles: Map<String, Value>,
    pub role_mappings: Map<String, Value>,
    /// Per identity provider: (UseDefaults, PrincipalTags).
    pub principal_tags: BTreeMap<String, (bool, Map<String, Value>)>,
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub id: String,
    pub pool_id: String,
    pub seq: u64,
    pub logins: Vec<Login>,
    pub created: f64,
    pub modified: f64,
    /// Authenticated once and then stripped of every login: inaccessible.
    pub disabled: bool,
}

impl Identity {
    pub fn authenticated(&self) -> bool {
        !self.logins.is_empty()
    }
}

/// Temporary credentials the emulator handed out (GetCredentialsForIdentity,
/// STS AssumeRoleWithWebIdentity, the container endpoint), accepted back in SigV4 signatures until they
/// expire, for the role and session they were issued for.
#[derive(Clone)]
pub struct IssuedKey {
    pub secret: String,
    pub session_token: String,
    pub expires: SystemTime,
    pub role_arn: String,
    pub session_name: String,
}

impl std::fmt::Debug for IssuedKey {
    // The secret and token never appear in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedKey")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default)]
pub struct Data {
    seq: u64,
    pub pools: BTreeMap<String, Pool>,
    pub identities: HashMap<String, Identity>,
    /// (pool id, login) -> identity id.
    logins: HashMap<(String, Login), String>,
    /// Identities per pool id, kept with `identities` so that the cap is
    /// checked without a scan.
    identity_counts: HashMap<String, usize>,
    pub issued_keys: HashMap<String, IssuedKey>,
    /// The keys of `issued_keys`, oldest first.
    issued_order: VecDeque<String>,
}

pub fn pool_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("IdentityPool '{id}' not found."))
}

pub fn identity_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Identity '{id}' not found."))
}

impl Data {
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn pool(&self, id: &str) -> ApiResult<&Pool> {
        self.pools.get(id).ok_or_else(|| pool_not_found(id))
    }

    pub fn pool_mut(&mut self, id: &str) -> ApiResult<&mut Pool> {
        self.pools.get_mut(id).ok_or_else(|| pool_not_found(id))
    }

    pub fn identity(&self, id: &str) -> ApiResult<&Identity> {
        self.identities.get(id).ok_or_else(|| identity_not_found(id))
    }

    /// The identity this login is linked to in this pool.
    pub fn find_login(&self, pool_id: &str, login: &Login) -> Option<&str> {
        self.logins.get(&(pool_id.to_owned(), login.clone())).map(String::as_str)
    }

    /// How many identities there are, in every pool.
    pub fn identity_count(&self) -> usize {
        self.identities.len()
    }

    /// How many identities this pool holds.
    pub fn identities_in_pool(&self, pool_id: &str) -> usize {
        self.identity_counts.get(pool_id).copied().unwrap_or(0)
    }

    /// Makes a new identity in a pool, unless the pool already holds `cap`
    /// identities (`LimitExceededException`, as the service answers a quota).
    pub fn create_identity(&mut self, pool_id: &str, region: &str, now: f64, cap: Option<usize>) -> ApiResult<String> {
        if let Some(cap) = cap
            && self.identities_in_pool(pool_id) >= cap
        {
            return Err(ApiError::sender(
                "LimitExceededException",
                format!("The identity pool {pool_id} has reached its limit of {cap} identities."),
            ));
        }
        *self.identity_counts.entry(pool_id.to_owned()).or_default() += 1;
        let id = crate::ids::regional_id(region);
        let seq = self.next_seq();
        self.identities.insert(
            id.clone(),
            Identity {
                id: id.clone(),
                pool_id: pool_id.to_owned(),
                seq,
                logins: Vec::new(),
                created: now,
                modified: now,
                disabled: false,
            },
        );
        Ok(id)
    }

    /// Links a login to an identity (moving it if it was linked elsewhere).
    pub fn link(&mut self, identity_id: &str, login: Login, now: f64) {
        let Some(identity) = self.identities.get_mut(identity_id) else {
            return;
        };
        let key = (identity.pool_id.clone(), login.clone());
        if !identity.logins.contains(&login) {
            identity.logins.push(login.clone());
        }
        identity.modified = now;
        identity.disabled = false;
        let previous = self.logins.insert(key, identity_id.to_owned());
        if let Some(previous) = previous.filter(|p| p != identity_id)
            && let Some(old) = self.identities.get_mut(&previous)
        {
            old.logins.retain(|l| l != &login);
            old.modified = now;
            if old.logins.is_empty() {
                old.disabled = true;
            }
        }
    }

    /// Removes a login from an identity; the identity is disabled when its
    /// last login goes.
    pub fn unlink(&mut self, identity_id: &str, login: &Login, now: f64) -> bool {
        let Some(identity) = self.identities.get_mut(identity_id) else {
            return false;
        };
        let before = identity.logins.len();
        identity.logins.retain(|l| l != login);
        if identity.logins.len() == before {
            return false;
        }
        identity.modified = now;
        if identity.logins.is_empty() {
            identity.disabled = true;
        }
        let key = (identity.pool_id.clone(), login.clone());
        if self.logins.get(&key).map(String::as_str) == Some(identity_id) {
            self.logins.remove(&key);
        }
        true
    }

    pub fn delete_identity(&mut self, identity_id: &str) -> bool {
        let Some(identity) = self.identities.remove(identity_id) else {
            return false;
        };
        if let Some(n) = self.identity_counts.get_mut(&identity.pool_id) {
            *n = n.saturating_sub(1);
        }
        for login in identity.logins {
            self.logins.remove(&(identity.pool_id.clone(), login));
        }
        true
    }

    pub fn delete_pool(&mut self, pool_id: &str) -> bool {
        if self.pools.remove(pool_id).is_none() {
            return false;
        }
        self.identities.retain(|_, i| i.pool_id != pool_id);
        self.logins.retain(|(p, _), _| p != pool_id);
        self.identity_counts.remove(pool_id);
        true
    }

    /// Moves every login of `from` onto `to` and deletes `from`.
    pub fn merge_into(&mut self, from: &str, to: &str, now: f64) {
        if from == to {
            return;
        }
        let logins = self.identities.get(from).map(|i| i.logins.clone()).unwrap_or_default();
        for login in logins {
            self.link(to, login, now);
        }
        self.delete_identity(from);
    }

    pub fn identities_of_pool(&self, pool_id: &str) -> Vec<&Identity> {
        let mut list: Vec<&Identity> = self.identities.values().filter(|i| i.pool_id == pool_id).collect();
        list.sort_by_key(|i| i.seq);
        list
    }

    pub fn reset(&mut self) {
        *self = Data::default();
    }

    /// Issues temporary credentials for `role_arn`, valid `ttl` from `now`.
    /// Returns the access key id and the key.
    pub fn issue_key(
        &mut self,
        now: SystemTime,
        ttl: std::time::Duration,
        role_arn: &str,
        session_name: &str,
    ) -> (String, IssuedKey) {
        let key_id = crate::ids::temporary_access_key_id();
        let issued = IssuedKey {
            secret: crate::ids::secret_access_key(),
            session_token: crate::ids::session_token(),
            expires: now + ttl,
            role_arn: role_arn.to_owned(),
            session_name: session_name.to_owned(),
        };
        self.make_room_for_a_key(now);
        self.issued_keys.insert(key_id.clone(), issued.clone());
        self.issued_order.push_back(key_id.clone());
        (key_id, issued)
    }

    /// At [`MAX_ISSUED_KEYS`], forgets expired keys, then the oldest, down to
    /// nine tenths of the cap: one scan per thousand keys issued, not one
    /// per key, so issuing stays cheap under load.
    fn make_room_for_a_key(&mut self, now: SystemTime) {
        if self.issued_order.len() < MAX_ISSUED_KEYS {
            return;
        }
        self.issued_keys.retain(|_, k| k.expires > now);
        let keys = &self.issued_keys;
        self.issued_order.retain(|id| keys.contains_key(id));
        while self.issued_order.len() > MAX_ISSUED_KEYS - MAX_ISSUED_KEYS / 10 {
            if let Some(oldest) = self.issued_order.pop_front() {
                self.issued_keys.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn issued_keys_stay_bounded_forgetting_the_expired_then_the_oldest() {
        let mut data = Data::default();
        let now = SystemTime::now();
        // A few short-lived keys first, then long-lived ones up to the cap.
        let short: Vec<String> =
            (0..3).map(|_| data.issue_key(now, Duration::from_secs(1), "arn:aws:iam::1:role/r", "s").0).collect();
        let mut long = Vec::new();
        for _ in 0..MAX_ISSUED_KEYS + 10 {
            long.push(data.issue_key(now + Duration::from_secs(5), Duration::from_secs(3600), "r", "s").0);
        }
        assert!(data.issued_keys.len() <= MAX_ISSUED_KEYS);
        assert_eq!(data.issued_keys.len(), data.issued_order.len());
        assert!(short.iter().all(|k| !data.issued_keys.contains_key(k)), "expired keys go first");
        assert!(!data.issued_keys.contains_key(&long[0]), "then the oldest");
        assert!(long[long.len() - 100..].iter().all(|k| data.issued_keys.contains_key(k)), "the newest stay");
    }
}
