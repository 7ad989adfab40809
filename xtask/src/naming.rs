//! Naming: takes an operation's method and path, gives its Rust method name (the operationId the
//! docs pages lack; the rule is in ARCHITECTURE.md, [`OVERRIDES`] holds the reviewed exceptions); and
//! takes a schema's name or an enum value, gives the Rust name typify gives it.

use std::collections::BTreeSet;

use crate::http::Method;

/// Reviewed exceptions, `(METHOD, path, name)`: where the rule reads worse than the docs' own
/// words. Keep this short; every entry is a decision someone made.
pub const OVERRIDES: &[(&str, &str, &str)] = &[
    // The rule says `activate_environment`, but what is activated is the environment's deployment.
    ("POST", "/v1/models/{model_id}/environments/{env_name}/activate", "activate_environment_deployment"),
    ("POST", "/v1/models/{model_id}/environments/{env_name}/deactivate", "deactivate_environment_deployment"),
    // Workspace-wide `GET /v1/audit_logs` is `list_audit_logs`; the model's own keeps its owner.
    ("GET", "/v1/models/{model_id}/audit_logs", "list_model_audit_logs"),
    // July 2026 had a model-scoped twin of `POST /v1/model_apis/snapshots`.
    ("POST", "/v1/model_apis/snapshots/{model_id}", "create_model_apis_snapshot_for_model"),
    // `me` is not a kind of user.
    ("GET", "/v1/users/me", "get_current_user"),
];

/// Literals that name one member of the collection before them: `deployments/development` is
/// the development deployment.
const MEMBERS: &[&str] = &["development", "production"];

/// The owner that goes without saying: Baseten's API is model-first, so `/v1/models/{model_id}/…`
/// names the model's sub-resources without a `model_` prefix.
const IMPLICIT_OWNER: &str = "models";

pub fn operation_name(method: Method, path: &str) -> String {
    let method = method.to_string();
    if let Some((_, _, name)) = OVERRIDES.iter().find(|(m, p, _)| *m == method && *p == path) {
        return name.to_string();
    }
    rule(&method, path)
}

fn rule(method: &str, path: &str) -> String {
    let mut segments = subject(path);
    let action = action(method, &mut segments);
    let ends_in_collection = segments.last().is_some_and(|s| !is_param(s) && is_plural(s));
    let verb = match (method, &action) {
        (_, Some(action)) => action.verb.clone(),
        ("GET", _) if ends_in_collection => "list".into(),
        ("GET" | "HEAD", _) => "get".into(),
        ("POST", _) => "create".into(),
        ("PUT" | "PATCH", _) => "update".into(),
        ("DELETE", _) => "delete".into(),
        (other, _) => other.to_ascii_lowercase(),
    };
    let creates = method == "POST" && action.is_none();
    let object = action.and_then(|a| a.object);
    let words = subject_words(&segments, creates);
    let name = std::iter::once(verb).chain(words).chain(object).collect::<Vec<_>>().join("_");
    sanitize(&name)
}

/// The path's segments that name the subject: the version prefix dropped, and the implicit
/// owner (`models/{model_id}`) when more follows it.
fn subject(path: &str) -> Vec<&str> {
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.first().is_some_and(|s| is_version(s)) {
        segments.remove(0);
    }
    if segments.len() > 2 && segments[0] == IMPLICIT_OWNER && is_param(segments[1]) {
        segments.drain(..2);
    }
    segments
}

/// An action a `POST` performs: `retry`, or `cancel` with the object `promotion`.
struct Action {
    verb: String,
    object: Option<String>,
}

/// A `POST` to a literal that is not a collection is an action on what precedes it: takes
/// the literal off `segments` and gives it as the action.
fn action(method: &str, segments: &mut Vec<&str>) -> Option<Action> {
    let last = segments.last().filter(|s| method == "POST" && !is_param(s) && !is_plural(s))?;
    if segments.len() < 2 && !last.contains('_') {
        return None;
    }
    let words: Vec<&str> = last.split('_').collect();
    let action = match words.split_last() {
        Some((object, verb)) if !verb.is_empty() => Action { verb: verb.join("_"), object: Some(object.to_string()) },
        _ => Action { verb: last.to_string(), object: None },
    };
    segments.pop();
    Some(action)
}

/// The subject's words: a collection before `{id}` names one item (singular), a member literal
/// after a collection names one member (`development_deployment`); a `POST` that `creates` makes
/// its last collection singular.
fn subject_words(segments: &[&str], creates: bool) -> Vec<String> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let (segment, next) = (segments[i], segments.get(i + 1));
        if is_param(segment) {
            i += 1;
            continue;
        }
        if let Some(member) = next.filter(|n| MEMBERS.contains(n)) {
            words.push(format!("{member}_{}", singular(segment)));
            i += 2;
            continue;
        }
        let last = i + 1 == segments.len();
        let item = next.is_some_and(|n| is_param(n)) || (last && creates);
        words.push(if item { singular(segment) } else { segment.to_string() });
        i += 1;
    }
    words
}

fn is_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn is_plural(segment: &str) -> bool {
    segment.ends_with('s') && !segment.ends_with("ss")
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["ches", "shes", "sses", "xes"].iter().any(|s| word.ends_with(s)) {
        word[..word.len() - 2].to_string()
    } else if let Some(stem) = word.strip_suffix('s').filter(|_| !word.ends_with("ss")) {
        stem.to_string()
    } else {
        word.to_string()
    }
}

/// Lower snake case of ASCII letters, digits and `_`: a valid Rust identifier.
fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    let out = out.trim_matches('_');
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) { format!("op_{out}") } else { out.to_string() }
}

/// The type or variant name typify gives `value`: PascalCase by heck, `X` before a leading
/// non-letter, `_` after a keyword.
pub fn rust_name(value: &str) -> String {
    use heck::ToPascalCase;
    let cleaned: String = value
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    let mut name = cleaned.to_pascal_case();
    if !name.starts_with(|c: char| c.is_alphabetic()) {
        name = format!("X{name}");
    }
    if syn::parse_str::<syn::Ident>(&name).is_err() {
        name.push('_');
    }
    name
}

/// `name`, or `name2`, `name3`, ... : the first not in `taken`, which then takes it.
pub fn free_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let free = (1..)
        .map(|n| if n == 1 { name.to_string() } else { format!("{name}{n}") })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| name.to_string());
    taken.insert(free.clone());
    free
}
