//! Target 2: input validation and serialization for every operation.
//!
//! Structure-aware: most inputs are built by walking the operation's input
//! shape in the model (`cognito_identity_fuzz::shapes`), with values at and
//! past every bound, wrong types now and then, and unknown members; the rest
//! are raw bytes parsed as JSON. Checks, beyond "never panics":
//! - the validator agrees with the generator wherever the generator knows
//!   the answer (valid input accepted, broken input refused);
//! - a refusal is a `ParamValidationError` naming the operation, and never
//!   quotes a value of a sensitive shape;
//! - serialization succeeds and parses back to the same value.
#![no_main]

use arbitrary::Unstructured;
use cognito_identity::ErrorKind;
use cognito_identity::model::OPERATIONS;
use cognito_identity::validate::validate_input;
use cognito_identity_fuzz::shapes::{Gen, Validity};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(op) = u.choose(&OPERATIONS[..]) else { return };
    let Ok(mode) = u.int_in_range(0..=15u8) else { return };
    let mut generator = Gen::new(if mode < 8 { 0 } else { 1 });
    let (input, expected) = if mode == 15 {
        // Raw JSON text, as a C or Go caller may pass anything.
        let Ok(v) = serde_json::from_slice::<Value>(u.take_rest()) else { return };
        (v, Validity::Unknown)
    } else {
        match generator.input(&mut u, op) {
            Ok(generated) => generated,
            Err(_) => return,
        }
    };

    let result = validate_input(op, &input);
    match (&result, expected) {
        (Ok(()), Validity::Invalid) => panic!("{}: accepted an input the model forbids: {input}", op.name),
        (Err(e), Validity::Valid) => panic!("{}: refused a valid input: {}\ninput: {input}", op.name, e.message()),
        _ => {}
    }
    if let Err(e) = &result {
        assert_eq!((e.kind(), e.code()), (ErrorKind::Validation, "ParamValidationError"));
        let first = format!("Parameter validation failed for {}:", op.name);
        assert!(e.message().starts_with(&first), "{}", e.message());
        assert!(e.message().lines().count() >= 2, "a refusal lists its problems: {}", e.message());
        let shown = format!("{} {e:?} {e}", e.message());
        let text = input.to_string();
        for secret in &generator.secrets {
            // Only a secret that appears once in the input can be told apart
            // from a non-sensitive value that happens to hold it.
            if text.matches(Value::String(secret.clone()).to_string().trim_matches('"')).count() == 1 {
                assert!(!shown.contains(secret.as_str()), "a sensitive value was quoted: {shown}");
            }
        }
    }

    let bytes = serde_json::to_vec(&input).expect("a JSON value serializes");
    let back: Value = serde_json::from_slice(&bytes).expect("serialized JSON parses");
    assert_eq!(back, input, "serialization round trip");
});
