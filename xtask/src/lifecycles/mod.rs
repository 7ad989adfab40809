//! Lifecycles: takes `spec/lifecycles.txt`, the reviewed account of what each status of a
//! resource means (docs prose, not schema), gives it as data for the waiters and log follows,
//! and checks it against the merged document at every codegen: the reads and fields it names,
//! and every value of a status enum classified (and every classified value declared).

mod check;
mod file;

pub use check::{Step, field_steps};
pub use file::{FILE, Field, KNOWN, Lifecycle, Lifecycles, Phase, Route, Status};
