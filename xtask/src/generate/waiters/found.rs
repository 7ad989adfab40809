//! The lifecycle reads a document has: takes its model and the lifecycles, gives each read
//! whose answer holds a status, with its operation, its answer's type, how its waiter is named
//! and how errors name what it waits on.

use serde_json::Value;

use crate::lifecycles::{Field, Lifecycle, Lifecycles, Route};
use crate::model::Model;
use crate::naming::rust_name;
use crate::schema;

/// A lifecycle read the document has: the read, its operation, its answer's type and a value
/// of it (for the tests), and how the waiter is named.
pub(crate) struct Found<'a> {
    pub(crate) lifecycle: &'a Lifecycle,
    pub(crate) lifecycles: &'a Lifecycles,
    pub(crate) route: &'a Route,
    pub(crate) operation: String,
    pub(crate) answer: String,
    /// The answer's schema, followed.
    pub(crate) schema: &'a Value,
    pub(crate) value: Value,
    pub(crate) document: &'a Value,
    /// `wait_for_deployment`.
    pub(crate) waiter: String,
    /// How errors name the resource: `deployment`, `development deployment`.
    pub(crate) what: String,
    /// The path's arguments, in order.
    pub(crate) arguments: Vec<String>,
}

/// Waiters whose name is not the lifecycle's: an environment's promotion (`wait_for_promotion`
/// follows one deployment into an environment).
const NAMES: &[(&str, &str, &str)] = &[("promotion", "environment_promotion", "promotion to environment")];

/// Whether `found` reads a deployment by id whose answer says which environment it serves
/// (`environment`, an `Option`: optional or nullable) and whether it is production
/// (`is_production`, required): what [`promotion_waiter`] reads.
pub(crate) fn can_follow_a_promotion(found: &Found<'_>) -> bool {
    let (schema, by_id) = (found.schema, found.lifecycle.name == "deployment" && found.route.path.ends_with('}'));
    let kind = |field: &str| schema.pointer(&format!("/properties/{field}/type")).and_then(Value::as_str);
    by_id
        && kind("is_production") == Some("boolean")
        && schema::requires(schema, "is_production")
        && kind("environment") == Some("string")
        && (!schema::requires(schema, "environment")
            || schema.pointer("/properties/environment/nullable") == Some(&Value::Bool(true)))
}

/// The lifecycle reads the document has, in the file's order.
pub(crate) fn found<'a>(model: &Model<'a>, lifecycles: &'a Lifecycles) -> Vec<Found<'a>> {
    let reads = lifecycles
        .list
        .iter()
        .flat_map(|lifecycle| lifecycle.reads.iter().map(move |route| (lifecycle, route)));
    reads.filter_map(|(lifecycle, route)| find(model, lifecycles, lifecycle, route)).collect()
}

fn find<'a>(
    model: &Model<'a>,
    lifecycles: &'a Lifecycles,
    lifecycle: &'a Lifecycle,
    route: &'a Route,
) -> Option<Found<'a>> {
    let (document, call) = (model.document, model.call(route.method, &route.path)?);
    let answer = call.answer?;
    let name = answer.get("$ref").and_then(Value::as_str)?.rsplit('/').next()?;
    let answer_schema = schema::follow(document, answer);
    let found = Found {
        lifecycle,
        lifecycles,
        route,
        operation: call.id.to_string(),
        answer: rust_name(name),
        schema: answer_schema,
        value: crate::generate::values::required(document, answer_schema),
        document,
        waiter: String::new(),
        what: String::new(),
        arguments: call.arguments_in("path").into_iter().map(str::to_string).collect(),
    };
    reads_a_status(&found).then(|| named(found))
}

/// `found` with its waiter's name and how errors name what it waits on: after the lifecycle,
/// and a literal last segment (`development`) before it.
fn named(found: Found<'_>) -> Found<'_> {
    let (base, what) = NAMES
        .iter()
        .find(|(lifecycle, ..)| *lifecycle == found.lifecycle.name)
        .map_or((found.lifecycle.name.clone(), found.lifecycle.name.replace('_', " ")), |(_, base, what)| {
            (base.to_string(), what.to_string())
        });
    let last = found.route.path.rsplit('/').next().unwrap_or_default();
    let (waiter, what) = match last.starts_with('{') {
        true => (format!("wait_for_{base}"), what),
        false => (format!("wait_for_{last}_{base}"), format!("{last} {what}")),
    };
    Found { waiter, what, ..found }
}

/// How a path argument is named in the error: `model_id` → `model`, `env_name` → `environment`.
fn noun(argument: &str) -> String {
    match argument {
        "env_name" => "environment".to_string(),
        _ => argument.trim_end_matches("_id").trim_end_matches("_name").replace('_', " "),
    }
}

/// The waiter's name for what it waits on: `deployment {deployment_id} of model {model_id}`,
/// `development deployment of model {model_id}`, as `format!` arguments.
pub(crate) fn resource_format(found: &Found<'_>) -> String {
    let own = found.route.path.ends_with('}').then(|| found.arguments.last()).flatten();
    let mut text = found.what.clone();
    if let Some(own) = own {
        text.push_str(&format!(" {{{own}}}"));
    }
    for argument in found.arguments.iter().rev().filter(|argument| Some(*argument) != own) {
        text.push_str(&format!(" of {} {{{argument}}}", noun(argument)));
    }
    text
}

/// The answer reaches a status: its own (where the document has the field), or one it waits out.
fn reads_a_status(found: &Found<'_>) -> bool {
    let steps = |field: &Field| crate::lifecycles::field_steps(found.document, found.schema, field);
    found.lifecycle.status.as_ref().and_then(steps).is_some()
        || found.lifecycle.during.as_ref().and_then(|(field, _)| steps(field)).is_some()
}

/// How a part of a `parts` list is named: `chainlets` → `chainlet` (then its name or number).
pub(crate) fn part_noun(list: &Field) -> Option<String> {
    Some(list.path.last()?.trim_end_matches('s').replace('_', " "))
}

/// How the field a resource waits out is named: `candidate_deployment` → `candidate deployment`.
pub(crate) fn during_noun(field: &Field) -> String {
    field.path.join(" ").replace('_', " ")
}
