//! YAML: takes text, gives a JSON value, and back. One set of reader options (YAML 1.2
//! booleans, so an enum value `Y` or `off` stays a string) and one serializer, so every YAML
//! file we read or write is read and looks alike.

use serde_json::Value;

/// Reads YAML (or JSON) as the pages are read: YAML 1.2 booleans only, the parser's default
/// limits on nesting and alias expansion.
pub fn from_str(text: &str) -> Result<Value, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<Value>(text, serde_saphyr::options! { strict_booleans: true })
}

pub fn to_string(value: &Value) -> String {
    // Serializing a `serde_json::Value` has no failure mode in practice; keep the message if it ever does.
    serde_saphyr::to_string(value).unwrap_or_else(|e| format!("# cannot serialize as YAML: {e}\n"))
}
