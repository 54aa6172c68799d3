//! Fault injection: make the next N matching requests fail in a chosen way.

use serde_json::Value;
use std::sync::Mutex;

/// How an injected fault breaks a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// HTTP 400 `TooManyRequestsException`, as AWS throttling looks.
    Throttle,
    /// An error answer with the given HTTP status (500 `InternalErrorException` by default).
    Status,
    /// Close the TCP connection without answering.
    Reset,
    /// Wait `delay_ms`, then serve the request normally.
    Delay,
    /// HTTP 200 with a body that is not JSON.
    Malformed,
    /// HTTP 200 whose JSON body is cut off: the connection closes part-way
    /// through the announced `Content-Length`.
    Truncated,
}

impl FaultKind {
    /// Every kind: the one list the control endpoint, the CLI's messages and
    /// the Python front door (`FAULT_KINDS`) take their names from.
    pub const ALL: [FaultKind; 6] = [
        FaultKind::Throttle,
        FaultKind::Status,
        FaultKind::Reset,
        FaultKind::Delay,
        FaultKind::Malformed,
        FaultKind::Truncated,
    ];

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Throttle => "throttle",
            FaultKind::Status => "status",
            FaultKind::Reset => "reset",
            FaultKind::Delay => "delay",
            FaultKind::Malformed => "malformed",
            FaultKind::Truncated => "truncated",
        }
    }
}

/// One queued fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    /// How many matching requests it applies to.
    pub count: u32,
    /// Only requests for this operation match (`None`: every API request,
    /// Cognito's and STS's). STS operations go by their bare names
    /// (`AssumeRoleWithWebIdentity`, `GetCallerIdentity`).
    pub operation: Option<String>,
    /// For [`FaultKind::Status`]: the HTTP status (default 500).
    pub status: u16,
    /// For [`FaultKind::Delay`]: how long to wait.
    pub delay_ms: u64,
}

impl Fault {
    /// A fault of this kind for the next request of any operation.
    pub fn new(kind: FaultKind) -> Self {
        Fault { kind, count: 1, operation: None, status: 500, delay_ms: 0 }
    }

    pub fn count(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    pub fn operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn delay_ms(mut self, delay_ms: u64) -> Self {
        self.delay_ms = delay_ms;
        self
    }

    /// Reads the control endpoint's JSON form.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let kind_name = v.get("kind").and_then(Value::as_str).ok_or("\"kind\" (a string) is required")?;
        let kind = FaultKind::parse(kind_name).ok_or_else(|| {
            let names: Vec<&str> = FaultKind::ALL.iter().map(|k| k.name()).collect();
            format!("unknown fault kind {kind_name:?}; kind must be one of {}", names.join(", "))
        })?;
        let mut fault = Fault::new(kind);
        if let Some(c) = v.get("count") {
            let c = c.as_u64().ok_or("\"count\" must be a non-negative integer")?;
            fault.count = u32::try_from(c).map_err(|_| "\"count\" is too large")?;
        }
        match v.get("operation") {
            None | Some(Value::Null) => {}
            Some(Value::String(op)) => {
                if cognito_identity::model::operation(op).is_none() && !crate::sts::ACTIONS.contains(&op.as_str()) {
                    return Err(format!("unknown operation {op:?}"));
                }
                fault.operation = Some(op.clone());
            }
            Some(_) => return Err("\"operation\" must be a string".into()),
        }
        if let Some(s) = v.get("status") {
            let s = s
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=599).contains(s))
                .ok_or("\"status\" must be an HTTP status code")?;
            fault.status = s;
        }
        if let Some(d) = v.get("delay_ms") {
            fault.delay_ms = d.as_u64().ok_or("\"delay_ms\" must be a non-negative integer")?;
        }
        Ok(fault)
    }

    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "kind": self.kind.name(),
            "count": self.count,
            "operation": self.operation,
            "status": self.status,
            "delay_ms": self.delay_ms,
        })
    }
}

/// How many faults may wait at once. Like the request log, the queue keeps
/// the newest: queueing one more drops the oldest, so a runaway test cannot
/// grow the emulator's memory.
pub const MAX_PENDING: usize = 1000;

/// The queue of pending faults, consumed in order.
#[derive(Debug, Default)]
pub struct FaultQueue {
    faults: Mutex<Vec<Fault>>,
}

impl FaultQueue {
    /// Queues a fault (one with `count` 0 is ignored); returns how many older
    /// faults were dropped to make room (0 or 1).
    pub fn push(&self, fault: Fault) -> usize {
        if fault.count == 0 {
            return 0;
        }
        let mut faults = lock(&self.faults);
        let dropped = if faults.len() >= MAX_PENDING {
            let excess = faults.len() + 1 - MAX_PENDING;
            faults.drain(..excess);
            excess
        } else {
            0
        };
        faults.push(fault);
        dropped
    }

    pub fn clear(&self) {
        lock(&self.faults).clear();
    }

    pub fn pending(&self) -> Vec<Fault> {
        lock(&self.faults).clone()
    }

    /// Takes one use of the first fault matching this operation (`None`:
    /// the request named no known operation, so only unfiltered faults match).
    pub fn take(&self, operation: Option<&str>) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let i = faults.iter().position(|f| match &f.operation {
            None => true,
            Some(op) => Some(op.as_str()) == operation,
        })?;
        let fault = faults[i].clone();
        faults[i].count -= 1;
        if faults[i].count == 0 {
            faults.remove(i);
        }
        Some(fault)
    }
}

/// Locks a mutex, recovering from poisoning: every critical section here
/// leaves the data consistent, so a panic elsewhere must not wedge the server.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order_and_by_operation() {
        let q = FaultQueue::default();
        q.push(Fault::new(FaultKind::Throttle).operation("GetId").count(2));
        q.push(Fault::new(FaultKind::Reset));
        assert_eq!(q.take(Some("GetId")).map(|f| f.kind), Some(FaultKind::Throttle));
        assert_eq!(q.take(Some("ListIdentities")).map(|f| f.kind), Some(FaultKind::Reset));
        assert_eq!(q.take(Some("ListIdentities")), None);
        assert_eq!(q.take(Some("GetId")).map(|f| f.kind), Some(FaultKind::Throttle));
        assert_eq!(q.take(Some("GetId")), None);
    }

    #[test]
    fn the_queue_keeps_the_newest_faults() {
        let q = FaultQueue::default();
        let mut dropped = 0;
        for i in 0..MAX_PENDING + 5 {
            dropped += q.push(Fault::new(FaultKind::Delay).delay_ms(i as u64));
        }
        assert_eq!(dropped, 5);
        let pending = q.pending();
        assert_eq!(pending.len(), MAX_PENDING);
        assert_eq!(pending[0].delay_ms, 5);
        assert_eq!(q.push(Fault::new(FaultKind::Reset).count(0)), 0);
    }

    #[test]
    fn json_form_is_checked() {
        let f = Fault::from_json(&serde_json::json!({"kind": "status", "status": 503, "count": 2})).expect("valid");
        assert_eq!((f.kind, f.status, f.count), (FaultKind::Status, 503, 2));
        assert!(Fault::from_json(&serde_json::json!({"kind": "explode"})).is_err());
        assert!(Fault::from_json(&serde_json::json!({"kind": "delay", "operation": "Nope"})).is_err());
        let sts = Fault::from_json(&serde_json::json!({"kind": "throttle", "operation": "GetCallerIdentity"}));
        assert_eq!(sts.expect("STS operations are known").operation.as_deref(), Some("GetCallerIdentity"));
    }
}
