//! A cache of temporary credentials that refreshes them before they expire.
//!
//! It follows botocore's `RefreshableCredentials`: two windows before the
//! expiry. In the advisory window (15 min by default) one caller refreshes
//! while the others keep using the still-valid credentials, and a failed
//! refresh is tolerated (the valid credentials are returned). In the
//! mandatory window (10 min) every caller waits for one refresh, and its
//! error is the caller's error. Only one refresh runs at a time, whatever the
//! number of threads or runtimes: waiters re-check the cache when they get the
//! lock, so a burst of callers makes one fetch.
//!
//! Expiry is judged on a clock the owner gives (the client's clock corrected
//! by the skew it measured). When credentials live no longer than the
//! advisory window (a 5-minute `credential_process`, say), the windows shrink
//! to a half and a quarter of that lifetime, so that not every call refreshes.

use crate::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// The advisory window of botocore (and of this crate by default).
pub const DEFAULT_ADVISORY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// The mandatory window of botocore (and of this crate by default).
pub const DEFAULT_MANDATORY_REFRESH: Duration = Duration::from_secs(10 * 60);

/// How long before the expiry credentials are refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshWindows {
    /// From here one caller refreshes; a failure keeps the old credentials.
    pub advisory: Duration,
    /// From here callers wait for a refresh; a failure is an error.
    pub mandatory: Duration,
}

impl Default for RefreshWindows {
    fn default() -> Self {
        RefreshWindows { advisory: DEFAULT_ADVISORY_REFRESH, mandatory: DEFAULT_MANDATORY_REFRESH }
    }
}

impl RefreshWindows {
    /// The windows for credentials that lived `lifetime` when fetched: as
    /// configured, unless they would start inside the advisory window.
    fn for_lifetime(self, lifetime: Duration) -> RefreshWindows {
        if self.advisory < lifetime {
            return self;
        }
        RefreshWindows { advisory: lifetime / 2, mandatory: self.mandatory.min(lifetime / 4) }
    }
}

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a cache fetches: a value (credentials and what goes with them) and
/// when it expires (`None`: never).
pub(crate) trait Fetch<T>: Send + Sync {
    fn fetch(&self) -> BoxFuture<'_, Result<(T, Option<SystemTime>), Error>>;
}

/// A cached value with its expiry.
#[derive(Debug)]
pub(crate) struct Entry<T> {
    pub value: T,
    pub expiry: Option<SystemTime>,
    windows: RefreshWindows,
}

#[derive(Debug, PartialEq, Eq)]
enum Freshness {
    Fresh,
    Advisory,
    Mandatory,
}

impl<T> Entry<T> {
    fn freshness(&self, now: SystemTime) -> Freshness {
        let Some(expiry) = self.expiry else {
            return Freshness::Fresh;
        };
        let left = expiry.duration_since(now).unwrap_or(Duration::ZERO);
        if left > self.windows.advisory {
            Freshness::Fresh
        } else if left > self.windows.mandatory && !left.is_zero() {
            Freshness::Advisory
        } else {
            Freshness::Mandatory
        }
    }
}

pub(crate) type Clock = Box<dyn Fn() -> SystemTime + Send + Sync>;

/// The cache. `get` is the only way in; `clear` forgets the value.
pub(crate) struct Refreshing<T> {
    /// What the values are, for the log (`assume-role (profile dev)`, ...).
    label: String,
    fetch: Box<dyn Fetch<T>>,
    current: RwLock<Option<Arc<Entry<T>>>>,
    refresh: tokio::sync::Mutex<()>,
    windows: RefreshWindows,
    now: Clock,
}

impl<T> fmt::Debug for Refreshing<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refreshing").field("windows", &self.windows).finish_non_exhaustive()
    }
}

impl<T: Send + Sync + 'static> Refreshing<T> {
    pub fn new(label: String, fetch: Box<dyn Fetch<T>>, windows: RefreshWindows, now: Clock) -> Self {
        Refreshing { label, fetch, current: RwLock::new(None), refresh: tokio::sync::Mutex::new(()), windows, now }
    }

    /// The value held now, fresh or not, without fetching.
    pub fn peek(&self) -> Option<Arc<Entry<T>>> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Forgets the value: the next `get` fetches.
    pub fn clear(&self) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// A usable value: the cached one, or a refreshed one when it is in a
    /// refresh window (see the module documentation).
    pub async fn get(&self) -> Result<Arc<Entry<T>>, Error> {
        let held = self.peek();
        let state = held.as_ref().map(|e| e.freshness((self.now)()));
        match (held, state) {
            (Some(entry), Some(Freshness::Fresh)) => Ok(entry),
            (Some(entry), Some(Freshness::Advisory)) => {
                // One caller refreshes; the others go on with what is valid.
                let Ok(_guard) = self.refresh.try_lock() else {
                    return Ok(entry);
                };
                if let Some(newer) = self.newer_than(&entry) {
                    return Ok(newer);
                }
                // A failure here is tolerated: the held value is still valid.
                match self.fetch_and_store().await {
                    Ok(fresh) => Ok(fresh),
                    Err(e) => {
                        tracing::warn!(
                            target: crate::log::CREDENTIALS,
                            source = %self.label,
                            error = e.code(),
                            "credential refresh failed in the advisory window; the held credentials stay in use: {}",
                            e.message()
                        );
                        Ok(entry)
                    }
                }
            }
            (held, _) => {
                let _guard = self.refresh.lock().await;
                // Whoever held the lock before may have refreshed already.
                if let Some(current) = self.peek()
                    && held.as_ref().is_none_or(|h| !Arc::ptr_eq(h, &current))
                    && current.freshness((self.now)()) != Freshness::Mandatory
                {
                    return Ok(current);
                }
                self.fetch_and_store().await.inspect_err(|e| {
                    tracing::warn!(
                        target: crate::log::CREDENTIALS,
                        source = %self.label,
                        error = e.code(),
                        "credential fetch failed: {}",
                        e.message()
                    );
                })
            }
        }
    }

    /// The cached entry if it was replaced since `seen` was read.
    fn newer_than(&self, seen: &Arc<Entry<T>>) -> Option<Arc<Entry<T>>> {
        self.peek().filter(|current| !Arc::ptr_eq(current, seen))
    }

    async fn fetch_and_store(&self) -> Result<Arc<Entry<T>>, Error> {
        let (value, expiry) = self.fetch.fetch().await?;
        let lifetime = expiry.map(|e| e.duration_since((self.now)()).unwrap_or(Duration::ZERO));
        let windows = lifetime.map_or(self.windows, |l| self.windows.for_lifetime(l));
        let entry = Arc::new(Entry { value, expiry, windows });
        tracing::info!(
            target: crate::log::CREDENTIALS,
            source = %self.label,
            expires = %expiry.map_or_else(|| "never".to_owned(), crate::amz_date::format_iso8601),
            "credentials refreshed from {}",
            self.label
        );
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(entry.clone());
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};

    /// Fetches credentials valid for `ttl` seconds (from the fake clock),
    /// counting fetches; fails while `fail` is set.
    struct Counter {
        fetches: Arc<AtomicU32>,
        fail: Arc<AtomicBool>,
        clock: Arc<AtomicI64>,
        ttl: u64,
        pause: Duration,
    }

    impl Fetch<u32> for Counter {
        fn fetch(&self) -> BoxFuture<'_, Result<(u32, Option<SystemTime>), Error>> {
            Box::pin(async move {
                tokio::time::sleep(self.pause).await;
                if self.fail.load(Ordering::SeqCst) {
                    return Err(Error::new(ErrorKind::Credentials, "CredentialRetrievalError", "down"));
                }
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                Ok((n, Some(at(&self.clock) + Duration::from_secs(self.ttl))))
            })
        }
    }

    fn at(clock: &AtomicI64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(clock.load(Ordering::SeqCst)).unwrap_or(0))
    }

    struct Rig {
        cache: Arc<Refreshing<u32>>,
        fetches: Arc<AtomicU32>,
        fail: Arc<AtomicBool>,
        clock: Arc<AtomicI64>,
    }

    fn rig(ttl: u64, pause: Duration) -> Rig {
        let (fetches, fail, clock) = (Arc::default(), Arc::default(), Arc::new(AtomicI64::new(1_000_000)));
        let counter =
            Counter { fetches: Arc::clone(&fetches), fail: Arc::clone(&fail), clock: Arc::clone(&clock), ttl, pause };
        let c = Arc::clone(&clock);
        let cache =
            Refreshing::new("test".into(), Box::new(counter), RefreshWindows::default(), Box::new(move || at(&c)));
        Rig { cache: Arc::new(cache), fetches, fail, clock }
    }

    fn block<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(f)
    }

    #[test]
    fn fresh_values_are_reused_and_windows_trigger_refreshes() {
        let r = rig(3600, Duration::ZERO);
        assert_eq!(block(r.cache.get()).unwrap().value, 1);
        assert_eq!(block(r.cache.get()).unwrap().value, 1);
        // 46 min later: 14 min left, in the advisory window (15 min) only.
        r.clock.fetch_add(46 * 60, Ordering::SeqCst);
        assert_eq!(block(r.cache.get()).unwrap().value, 2, "advisory window refreshes");
        r.clock.fetch_add(56 * 60, Ordering::SeqCst);
        assert_eq!(block(r.cache.get()).unwrap().value, 3, "mandatory window refreshes");
        assert_eq!(r.fetches.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_failure_in_the_advisory_window_keeps_the_valid_value() {
        let r = rig(3600, Duration::ZERO);
        block(r.cache.get()).unwrap();
        r.fail.store(true, Ordering::SeqCst);
        r.clock.fetch_add(46 * 60, Ordering::SeqCst); // 14 min left
        assert_eq!(block(r.cache.get()).unwrap().value, 1);
        r.clock.fetch_add(5 * 60, Ordering::SeqCst); // 9 min left: mandatory
        let e = block(r.cache.get()).unwrap_err();
        assert_eq!(e.code(), "CredentialRetrievalError");
        r.fail.store(false, Ordering::SeqCst);
        assert_eq!(block(r.cache.get()).unwrap().value, 2);
    }

    #[test]
    fn callers_in_the_mandatory_window_share_one_refresh() {
        let r = rig(3600, Duration::from_millis(50));
        block(r.cache.get()).unwrap();
        r.clock.fetch_add(55 * 60, Ordering::SeqCst);
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let cache = Arc::clone(&r.cache);
                std::thread::spawn(move || block(cache.get()).map(|e| e.value))
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().expect("thread").expect("value"), 2);
        }
        assert_eq!(r.fetches.load(Ordering::SeqCst), 2, "one initial fetch and one refresh");
    }

    #[test]
    fn short_lived_credentials_shrink_the_windows() {
        let r = rig(300, Duration::ZERO); // 5 minutes: windows become 150 s and 75 s
        block(r.cache.get()).unwrap();
        r.clock.fetch_add(100, Ordering::SeqCst);
        assert_eq!(block(r.cache.get()).unwrap().value, 1, "200 s left of 300 is still fresh");
        r.clock.fetch_add(60, Ordering::SeqCst);
        assert_eq!(block(r.cache.get()).unwrap().value, 2);
    }

    #[test]
    fn no_expiry_never_refreshes() {
        let e = Entry { value: 0, expiry: None, windows: RefreshWindows::default() };
        assert_eq!(e.freshness(SystemTime::now()), Freshness::Fresh);
    }
}
