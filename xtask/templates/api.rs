//! The client generated from spec/, compiled here so the support code is checked against it.
//! Not a template: codegen writes generated/src/api.rs itself.

// The workspace lints are for hand-written code; this is codegen's.
#[allow(unreachable_pub)]
#[rustfmt::skip]
#[path = "../../generated/src/api.rs"]
mod generated;

pub use generated::*;
