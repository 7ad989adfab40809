//! Report: takes the OpenAPI 3.0.3 document already in `generated/` and the new one, gives what
//! changed for users of the client, each change marked breaking or additive for a Rust caller,
//! and the version bump the crate needs. A room per job: the changes and their impact, the
//! comparison that finds them, and the summary with its Markdown.

mod change;
mod compare;
mod summary;
mod type_expr;

pub use change::{Change, Impact};
pub use compare::compare;
pub use summary::Report;
pub use type_expr::{Base, TypeExpr};
