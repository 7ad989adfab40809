//! The httpmock extensions generated from spec/, compiled here with the support code. Not a
//! template: codegen writes generated/src/mock.rs itself.

// The workspace lints are for hand-written code; this is codegen's.
#[allow(unreachable_pub)]
#[rustfmt::skip]
#[path = "../../generated/src/mock.rs"]
mod generated;

pub use generated::*;
