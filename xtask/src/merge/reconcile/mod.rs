//! Reconcile: takes every page's declaration of one component (or path-level parameter),
//! gives the one declaration the merged document holds, keyword by keyword as [`policy`]
//! says, with a record of each disagreement it settled; or the real conflict it cannot settle,
//! unless a reviewed decision settles it. A room per job: the engine that walks the keywords,
//! unions, spellings, bounds and types, the shapes union members are matched by, and the
//! outcome records.
//!
//! [`policy`]: crate::merge::policy

mod bounds;
mod declarations;
mod engine;
mod outcome;
mod shapes;
mod spellings;
mod unions;

pub(crate) use declarations::{Declaration, Sizes};
pub(crate) use engine::{Reconciler, Record};
pub use outcome::{Conflict, Outcome, Reconciliation, Side, drift_markdown};
pub use spellings::ALIASES;
