//! The C ABI of the cognito-identity client.
