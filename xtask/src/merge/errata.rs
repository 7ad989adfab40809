//! Errata: takes the merged document, gives it the corrections of mistakes Baseten's docs are
//! known to make, each one reported beside the drift it settled. A correction whose mistake the
//! pages no longer make does nothing: the pages are the truth again.

use serde_json::{Value, json};

use super::reconcile::{Outcome, Reconciliation, Side};
use crate::provenance::Provenance;

const LIST: &str = "/paths/~1v1~1chains~1{chain_id}~1environments/get";
const ANSWER: &str = "/responses/200/content/application~1json/schema";
const MODEL_LIST: &str = "#/components/schemas/EnvironmentsV1";
const CHAIN_ONE: &str = "ChainEnvironmentV1";
const MODEL_ONE: &str = "EnvironmentV1";
/// What the corrected answer is called, and its items.
pub const CHAIN_LIST: &str = "ChainEnvironmentsV1";
pub const EITHER: &str = "ChainOrModelEnvironmentV1";

/// Every erratum that applies to `document`.
pub fn correct(document: &mut Value, provenance: &mut Provenance) -> Vec<Reconciliation> {
    chain_environments_listed_as_model_ones(document, provenance).into_iter().collect()
}

/// `GET /v1/chains/{chain_id}/environments` (`environments/get-all-chain-environments.md`) is
/// documented as answering the model environments' list (`EnvironmentsV1`, whose items require
/// a `model_id` a chain environment has not), where its siblings (one chain environment, its
/// creation) answer `ChainEnvironmentV1`: every era of the full spec says the same. Decoding a
/// chain's environments as the docs say would fail on the first one, so each item is read as
/// either, the chain's shape first; the method's docs say so.
fn chain_environments_listed_as_model_ones(
    document: &mut Value,
    provenance: &mut Provenance,
) -> Option<Reconciliation> {
    let schema = document.pointer(&format!("{LIST}{ANSWER}"))?;
    let schemas = document.pointer("/components/schemas")?;
    if schema.get("$ref").and_then(Value::as_str) != Some(MODEL_LIST)
        || schemas.get(CHAIN_ONE).is_none()
        || schemas.get(MODEL_ONE).is_none()
    {
        return None;
    }
    let page = provenance.page_of(LIST).to_string();
    let sibling = provenance.page_of(&format!("/components/schemas/{CHAIN_ONE}")).to_string();
    let schemas = document.pointer_mut("/components/schemas")?.as_object_mut()?;
    schemas.insert(
        EITHER.into(),
        json!({
            "title": EITHER,
            "description": "A chain environment, as Baseten answers; or a model environment, as its docs page says.",
            "oneOf": [{ "$ref": format!("#/components/schemas/{CHAIN_ONE}") }, { "$ref": format!("#/components/schemas/{MODEL_ONE}") }],
        }),
    );
    schemas.insert(
        CHAIN_LIST.into(),
        json!({
            "title": CHAIN_LIST,
            "description": "A list of a chain's environments.",
            "type": "object",
            "required": ["environments"],
            "properties": { "environments": { "type": "array", "items": { "$ref": format!("#/components/schemas/{EITHER}") } } },
        }),
    );
    for name in [EITHER, CHAIN_LIST] {
        provenance.record(format!("/components/schemas/{name}"), &page, Some(name));
    }
    *document.pointer_mut(&format!("{LIST}{ANSWER}"))? =
        json!({ "$ref": format!("#/components/schemas/{CHAIN_LIST}") });
    let operation = document.pointer_mut(LIST)?.as_object_mut()?;
    let description = operation.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
    let erratum = format!(
        "**Docs erratum.** Baseten's page for this endpoint declares the model environments' list \
         (`EnvironmentsV1`); the chain environment endpoints beside it answer `{CHAIN_ONE}`. Each item \
         is read as either: [`{EITHER}`](crate::types::{EITHER}), the chain's shape first."
    );
    operation.insert("description".into(), json!(format!("{description}\n\n{erratum}").trim_start()));
    Some(Reconciliation {
        at: LIST.to_string(),
        keyword: "erratum".into(),
        outcome: Outcome::Erratum(format!(
            "the answer documented as `EnvironmentsV1` is read as `{CHAIN_LIST}`, each item `{CHAIN_ONE}` or `{MODEL_ONE}`"
        )),
        sides: vec![
            Side::new("`EnvironmentsV1` (model environments)", vec![page]),
            Side::new(format!("`{CHAIN_ONE}` for one chain environment"), vec![sibling]),
        ],
    })
}
