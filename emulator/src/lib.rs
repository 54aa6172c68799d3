//! A local Amazon Cognito Identity server (API 2014-06-30, awsJson1_1) for
//! tests, demos and offline work. The same port serves the STS operations an
//! identity-pool credentials provider needs (AssumeRoleWithWebIdentity for
//! the basic flow, GetCallerIdentity), in STS's awsQuery protocol.
//!
//! ```no_run
//! use cognito_identity_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
//! let emu = Emulator::start(EmulatorConfig::default())?;
//! println!("{}", emu.url());
//! emu.inject(Fault::new(FaultKind::Throttle).operation("GetId").count(2));
//! emu.shutdown();
//! # Ok::<(), std::io::Error>(())
//! ```

mod api;
mod arn;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
mod control;
mod emulator;
pub mod error;
pub mod faults;
pub mod ids;
mod input;
pub mod jwt;
mod logins;
mod ops;
mod pagination;
mod requests_log;
pub mod server;
mod shared;
mod state;
mod sts;
mod validation;

pub use config::{AccessKey, EmulatorConfig};
pub use emulator::Emulator;
pub use faults::{Fault, FaultKind};
pub use logins::COGNITO_IDENTITY_PROVIDER;
pub use shared::Shared;
