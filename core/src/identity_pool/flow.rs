//! One refresh: which identity, then its credentials by the enhanced or the
//! classic flow, with recovery when the cached identity is gone.

use super::config::{Flow, IdentityPoolConfig};
use super::disk_cache::{DiskCache, Record, still_good};
use super::logins::{GUEST, LoginMap, Logins, user_key};
use super::{IdentityPoolCredentials, sts};
use crate::client::Client;
use crate::credentials::refresh::{BoxFuture, Fetch};
use crate::credentials::{CredentialSource, Credentials};
use crate::error::{Error, ErrorKind, codes};
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The identity the provider holds: for which user key, and its id.
#[derive(Debug, Default)]
pub(crate) struct Held {
    pub user_key: Option<String>,
    pub identity_id: Option<String>,
}

/// Everything a refresh needs; shared by the provider and its cache.
pub(crate) struct FlowState {
    pub config: IdentityPoolConfig,
    pub client: Client,
    pub sts: Option<aws_sdk_sts::Client>,
    pub disk: Option<DiskCache>,
    pub logins: RwLock<Logins>,
    pub held: Mutex<Held>,
    /// Stored credentials are read from disk once, at the first refresh.
    pub disk_credentials_checked: AtomicBool,
}

impl FlowState {
    fn pool(&self) -> &str {
        &self.config.identity_pool_id
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets the identity of `user_key`, in memory and on disk.
    pub fn forget(&self, user_key: &str) {
        {
            let mut held = self.held();
            if held.user_key.as_deref() == Some(user_key) {
                *held = Held::default();
            }
        }
        if let Some(disk) = &self.disk {
            let _ = disk.remove(self.pool(), user_key);
        }
    }

    fn remember(&self, user_key: &str, identity_id: &str, credentials: Option<&Credentials>) {
        *self.held() = Held { user_key: Some(user_key.to_owned()), identity_id: Some(identity_id.to_owned()) };
        if let Some(disk) = &self.disk {
            let record = Record {
                identity_id: identity_id.to_owned(),
                credentials: credentials.filter(|_| self.config.cache_credentials).cloned(),
            };
            // The cache only saves calls: credentials in hand are still good
            // when it cannot be written (a read-only home, say).
            let _ = disk.store(self.pool(), user_key, &record);
        }
    }

    async fn refresh(&self) -> Result<IdentityPoolCredentials, Error> {
        let logins_source = self.logins.read().unwrap_or_else(|p| p.into_inner()).clone();
        let logins = logins_source.resolve()?;
        let key = user_key(&logins);
        if let Some(stored) = self.stored_credentials(&key) {
            return Ok(stored);
        }
        let (mut identity_id, linking_guest) = self.identity_for(&key, &logins).await?;
        let mut recovered = false;
        loop {
            match self.credentials_for(&identity_id, &logins).await {
                Ok(fetched) => {
                    self.remember(&key, &fetched.identity_id, Some(&fetched.credentials));
                    if linking_guest
                        && !recovered
                        && let Some(disk) = &self.disk
                    {
                        // The guest identity is now this user's: no other guest may reuse it.
                        let _ = disk.remove(self.pool(), GUEST);
                    }
                    return Ok(fetched);
                }
                Err(e) if !recovered && identity_is_gone(&e) => {
                    tracing::info!(
                        target: crate::log::CREDENTIALS,
                        identity_pool_id = self.pool(),
                        identity_id = %identity_id,
                        error = e.code(),
                        "the cached identity is gone; asking for a new one"
                    );
                    recovered = true;
                    self.forget(&key);
                    identity_id = self.get_id(&logins).await?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Credentials a previous process stored, when asked to keep them and
    /// they are good beyond the advisory window (checked once per process).
    fn stored_credentials(&self, key: &str) -> Option<IdentityPoolCredentials> {
        if !self.config.cache_credentials || self.disk_credentials_checked.swap(true, Ordering::SeqCst) {
            return None;
        }
        let record = self.disk.as_ref()?.load(self.pool(), key)?;
        let credentials = record.credentials?;
        if !still_good(&credentials, self.client.corrected_now(), self.config.refresh.advisory) {
            return None;
        }
        *self.held() = Held { user_key: Some(key.to_owned()), identity_id: Some(record.identity_id.clone()) };
        Some(IdentityPoolCredentials { credentials, identity_id: record.identity_id })
    }

    /// The identity to use for this user, and whether it is a guest identity
    /// about to be linked to the user's first logins.
    async fn identity_for(&self, key: &str, logins: &LoginMap) -> Result<(String, bool), Error> {
        {
            let held = self.held();
            if let (Some(k), Some(id)) = (&held.user_key, &held.identity_id) {
                if k == key {
                    return Ok((id.clone(), false));
                }
                if k == GUEST && key != GUEST {
                    // Guest to signed-in: sending the guest id with the logins links them.
                    return Ok((id.clone(), true));
                }
            }
        }
        if let Some(record) = self.disk.as_ref().and_then(|d| d.load(self.pool(), key)) {
            return Ok((record.identity_id, false));
        }
        Ok((self.get_id(logins).await?, false))
    }

    async fn get_id(&self, logins: &LoginMap) -> Result<String, Error> {
        let mut input = json!({"IdentityPoolId": self.pool()});
        add_logins(&mut input, logins);
        let out = self.client.call_here("GetId", &input).await?;
        string_member(&out, "IdentityId", "GetId")
    }

    async fn credentials_for(&self, identity_id: &str, logins: &LoginMap) -> Result<IdentityPoolCredentials, Error> {
        let mut input = json!({"IdentityId": identity_id});
        add_logins(&mut input, logins);
        match &self.config.flow {
            Flow::Enhanced => {
                if let Some(arn) = &self.config.custom_role_arn {
                    input["CustomRoleArn"] = json!(arn);
                }
                let out = self.client.call_here("GetCredentialsForIdentity", &input).await?;
                let c = out.get("Credentials").ok_or_else(|| missing("Credentials", "GetCredentialsForIdentity"))?;
                let field = |k: &str| string_member(c, k, "GetCredentialsForIdentity");
                let expiry = c
                    .get("Expiration")
                    .and_then(Value::as_f64)
                    .and_then(|s| Duration::try_from_secs_f64(s).ok())
                    .map(|d| UNIX_EPOCH + d);
                let credentials =
                    Credentials::new(field("AccessKeyId")?, field("SecretKey")?, Some(field("SessionToken")?))
                        .with_expiry(expiry)
                        .with_source(CredentialSource::IdentityPool(self.pool().to_owned()));
                let identity_id = out.get("IdentityId").and_then(Value::as_str).unwrap_or(identity_id).to_owned();
                Ok(IdentityPoolCredentials { credentials, identity_id })
            }
            Flow::Classic { role_arn, role_session_name } => {
                let out = self.client.call_here("GetOpenIdToken", &input).await?;
                let token = string_member(&out, "Token", "GetOpenIdToken")?;
                let identity_id = out.get("IdentityId").and_then(Value::as_str).unwrap_or(identity_id).to_owned();
                let sts = self.sts.as_ref().ok_or_else(|| missing("an STS client", "the classic flow"))?;
                let session = role_session_name.as_deref().unwrap_or(sts::DEFAULT_SESSION_NAME);
                let credentials = sts::assume_role_with_web_identity(sts, role_arn, session, &token)
                    .await?
                    .with_source(CredentialSource::IdentityPool(self.pool().to_owned()));
                Ok(IdentityPoolCredentials { credentials, identity_id })
            }
        }
    }
}

/// The cache's view of a refresh.
pub(crate) struct FlowFetch(pub std::sync::Arc<FlowState>);

impl Fetch<IdentityPoolCredentials> for FlowFetch {
    fn fetch(&self) -> BoxFuture<'_, Result<(IdentityPoolCredentials, Option<SystemTime>), Error>> {
        Box::pin(async move {
            let fetched = self.0.refresh().await?;
            let expiry = fetched.credentials.expiry();
            Ok((fetched, expiry))
        })
    }
}

fn add_logins(input: &mut Value, logins: &LoginMap) {
    if !logins.is_empty() {
        let map: Map<String, Value> = logins.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        input["Logins"] = Value::Object(map);
    }
}

fn missing(what: &str, operation: &str) -> Error {
    Error::new(ErrorKind::InvalidResponse, codes::RESPONSE_PARSER, format!("{operation} answered without {what}"))
}

fn string_member(v: &Value, key: &str, operation: &str) -> Result<String, Error> {
    v.get(key).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| missing(key, operation))
}

/// Whether an error says the cached identity id no longer works (deleted,
/// or no longer this pool's), so a new one should be asked for. An expired
/// or invalid login token is not that: it goes to the caller.
pub(crate) fn identity_is_gone(e: &Error) -> bool {
    let message = e.message().to_ascii_lowercase();
    let about_logins = message.contains("token") || message.contains("login");
    match e.code() {
        "ResourceNotFoundException" => !about_logins,
        "NotAuthorizedException" | "ValidationException" | "InvalidParameterException" => {
            !about_logins
                && message.contains("identity")
                && ["forbidden", "not found", "does not exist", "invalid identity", "is invalid"]
                    .iter()
                    .any(|m| message.contains(m))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, message: &str) -> Error {
        Error::new(ErrorKind::Service, code, message)
    }

    #[test]
    fn gone_identities_are_told_from_bad_logins() {
        assert!(identity_is_gone(&service("ResourceNotFoundException", "Identity 'us-east-1:x' not found.")));
        assert!(identity_is_gone(&service("NotAuthorizedException", "Access to Identity 'us-east-1:x' is forbidden.")));
        assert!(identity_is_gone(&service("ValidationException", "The identity id is invalid")));
        assert!(!identity_is_gone(&service("NotAuthorizedException", "Invalid login token. Token expired: 1 >= 0")));
        assert!(!identity_is_gone(&service(
            "NotAuthorizedException",
            "Logins don't match. Please include at least one valid login for this identity or identity pool."
        )));
        assert!(!identity_is_gone(&service(
            "NotAuthorizedException",
            "Unauthenticated access is not supported for this identity pool."
        )));
        assert!(!identity_is_gone(&service("TooManyRequestsException", "Identity not found")));
    }
}
