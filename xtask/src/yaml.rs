//! YAML text for documents and snapshots: one serializer, so every YAML file we write looks alike.

use serde_json::Value;

pub fn to_string(value: &Value) -> String {
    // Serializing a `serde_json::Value` has no failure mode in practice; keep the message if it ever does.
    serde_saphyr::to_string(value).unwrap_or_else(|e| format!("# cannot serialize as YAML: {e}\n"))
}
