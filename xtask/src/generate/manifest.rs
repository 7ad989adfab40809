//! Manifest: takes the generated code and the crate version, gives `generated/Cargo.toml`,
//! rendered from `xtask/templates/Cargo.toml`, the manifest of the workspace crate that compiles
//! the support code. The client's dependency versions live there only; what the workspace pins
//! for both (the edition, progenitor's runtime) comes from the workspace's `Cargo.toml`.

use crate::error::Error;

const TEMPLATE: &str = include_str!("../../templates/Cargo.toml");
const TEMPLATE_PATH: &str = "xtask/templates/Cargo.toml";
const WORKSPACE: &str = include_str!("../../../Cargo.toml");

/// `generated/Cargo.toml` for `code` at `version`, under `header`.
pub(crate) fn manifest(header: &str, code: &str, version: &str) -> Result<String, Error> {
    let mut out = header.to_string();
    let mut section = "";
    for line in TEMPLATE.lines() {
        if line.contains("# templates only") {
            continue;
        }
        let line = line.strip_prefix("# generated:").map_or(line, str::trim_start);
        if line.starts_with('[') {
            section = line.split(" #").next().unwrap_or(line);
        }
        if let Some(line) = render(line, section, code, version)? {
            out.push_str(&line);
            out.push('\n');
        }
    }
    Ok(format!("{}\n", out.trim_end()))
}

/// One line of the template as the generated crate has it; `None` to leave it out.
fn render(line: &str, section: &str, code: &str, version: &str) -> Result<Option<String>, Error> {
    if let Some((line, marker)) = line.split_once(" # when the code names ") {
        return Ok(code.contains(marker.trim()).then(|| line.trim_end().to_string()));
    }
    let Some((key, value)) = line.split_once(" = ") else { return Ok(Some(line.to_string())) };
    let line = match (section, key, value) {
        ("[package]", "name", _) => format!("name = \"{}\"", super::CRATE_NAME),
        ("[package]", "version", _) => format!("version = \"{version}\""),
        (_, key, "true") if key.ends_with(".workspace") => {
            let key = key.trim_end_matches(".workspace");
            let table = if section == "[package]" { "[workspace.package]" } else { "[workspace.dependencies]" };
            let value = workspace_value(table, key).ok_or_else(|| {
                Error::new(
                    TEMPLATE_PATH,
                    format!("`{key}.workspace = true`, but the workspace's {table} has no `{key}`"),
                )
            })?;
            format!("{key} = {value}")
        }
        _ => line.to_string(),
    };
    Ok(Some(line))
}

/// The value of `key` in `table` of the workspace's `Cargo.toml`, as written.
fn workspace_value(table: &str, key: &str) -> Option<&'static str> {
    let start = WORKSPACE.find(&format!("\n{table}\n"))?;
    let body = &WORKSPACE[start + table.len() + 2..];
    let body = &body[..body.find("\n[").unwrap_or(body.len())];
    body.lines().find_map(|line| line.strip_prefix(key)?.strip_prefix(" = "))
}
