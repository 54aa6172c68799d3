//! This crate holds only tests (`tests/`): the ones that need both the core
//! client and the emulator, which neither crate can hold without depending
//! on the other.
