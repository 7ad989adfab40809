//! Credential: takes every page's operations with their security requirements, gives them one
//! credential every era's server accepts (`Bearer <key>`), and the record of what it did.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::reconcile::{Outcome, Reconciliation, Side};
use crate::normalize::Operation;

/// Where some pages authenticate with an `apiKey` in the `Authorization` header (Baseten's
/// `ApiKeyAuth`, `Api-Key <key>`, until June 2026) and others with `http` `bearer` (its
/// `BearerAuth`, after), every operation sends `Bearer <key>`: an `apiKey` scheme's declaration
/// accepts any value of its header, a bearer scheme's only `Bearer …`, so that is what every
/// era's declaration accepts (and the newer pages say the older scheme is still accepted).
/// Gives what it did, for the report of the drift.
pub(super) fn one_credential(operations: &mut [Operation]) -> Option<Reconciliation> {
    let schemes: BTreeMap<String, Value> = operations
        .iter()
        .flat_map(|op| &op.components.security_schemes)
        .map(|(name, scheme)| (name.clone(), scheme.clone()))
        .collect();
    let is = |name: &str, kind: fn(&Value) -> bool| schemes.get(name).is_some_and(kind);
    let bearer = schemes.keys().find(|name| is(name, sends_bearer))?.clone();
    let names = |op: &Operation| {
        crate::schema::requirement_names(&Value::Array(op.security.clone()))
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut moved: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for op in operations.iter_mut() {
        let names = names(op);
        if !names.is_empty() && names.iter().all(|name| is(name, api_key_in_authorization)) {
            op.security = vec![json!({ bearer.clone(): [] })];
            moved.push(op.page.clone());
        } else if names.contains(&bearer) {
            kept.push(op.page.clone());
        }
    }
    (!moved.is_empty()).then(|| Reconciliation {
        at: "/components/securitySchemes".to_string(),
        keyword: "security".to_string(),
        outcome: Outcome::OneCredential(bearer),
        sides: vec![Side::new("an `apiKey` in `Authorization`", moved), Side::new("`http` `bearer`", kept)],
    })
}

/// An `http` `bearer` scheme: `Authorization: Bearer <key>`.
fn sends_bearer(scheme: &Value) -> bool {
    scheme["type"] == "http" && scheme["scheme"].as_str().is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
}

/// An `apiKey` scheme in the `Authorization` header: any value of it.
fn api_key_in_authorization(scheme: &Value) -> bool {
    scheme["type"] == "apiKey"
        && scheme["in"] == "header"
        && scheme["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
}
