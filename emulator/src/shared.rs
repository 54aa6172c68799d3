//! What every request handler shares: configuration, clock, faults, log, data.

use crate::auth::KeyLookup;
use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::faults::{FaultQueue, lock};
use crate::jwt::TokenSigner;
use crate::requests_log::RequestLog;
use crate::state::Data;
use std::sync::Mutex;

#[derive(Debug)]
pub struct Shared {
    pub config: EmulatorConfig,
    pub clock: Clock,
    pub faults: FaultQueue,
    pub log: RequestLog,
    pub signer: TokenSigner,
    pub data: Mutex<Data>,
}

impl Shared {
    pub fn new(config: EmulatorConfig) -> Result<Self, String> {
        Ok(Shared {
            config,
            clock: Clock::default(),
            faults: FaultQueue::default(),
            log: RequestLog::default(),
            signer: TokenSigner::new()?,
            data: Mutex::new(Data::default()),
        })
    }

    /// Configured keys first, then temporary keys the emulator issued.
    pub fn lookup_key(&self, id: &str) -> KeyLookup {
        if let Some(k) = self.config.access_keys.iter().find(|k| k.id == id) {
            return KeyLookup::LongTerm { secret: k.secret.clone() };
        }
        match lock(&self.data).issued_keys.get(id) {
            Some(k) => KeyLookup::Temporary {
                secret: k.secret.clone(),
                session_token: k.session_token.clone(),
                expires: k.expires,
            },
            None => KeyLookup::Unknown,
        }
    }

    /// Clears state, faults, the request log and the clock offset.
    pub fn reset(&self) {
        lock(&self.data).reset();
        self.faults.clear();
        self.log.clear();
        self.clock.set_offset(0);
    }
}
