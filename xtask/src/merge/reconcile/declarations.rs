//! Declarations: what the reconciler takes, each page's declaration of one thing, and the
//! shapes it is handed around in.

use serde_json::Value;

/// One page's declaration of what is being reconciled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declaration<'a> {
    pub page: &'a str,
    pub value: &'a Value,
}

pub(super) type PageValues<'a> = [(&'a str, Option<&'a Value>)];

/// Component schema name → how many properties it has.
pub(crate) type Sizes = std::collections::BTreeMap<String, usize>;
