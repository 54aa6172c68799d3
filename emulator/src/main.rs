//! `cognito-identity-emulator`: run the emulator until SIGINT or SIGTERM.

use cognito_identity_emulator::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ExitCode::from(cli::main(&args))
}
