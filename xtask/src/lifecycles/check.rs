//! The lifecycles checked against the merged document: takes the lifecycles and the document,
//! gives every way they disagree, each error naming the line of `spec/lifecycles.txt` to change
//! or, for a status the docs added, the page that declares it and the line to add.

use std::collections::BTreeSet;

use serde_json::Value;

use super::file::{Field, Lifecycle, Lifecycles};
use crate::error::{Error, Errors};
use crate::model::{Call, Model};
use crate::provenance::Provenance;
use crate::schema;

/// One property on the way to a field: its name, whether it is an `Option` in the client (not
/// required, or nullable), and its schema, followed.
#[derive(Debug, Clone)]
pub struct Step<'d> {
    pub name: String,
    pub optional: bool,
    pub schema: &'d Value,
}

/// The steps from the object `from` to `field`, or `None` where a property is missing.
pub fn field_steps<'d>(document: &'d Value, from: &'d Value, field: &Field) -> Option<Vec<Step<'d>>> {
    let mut steps = Vec::new();
    let mut at = schema::follow_property(document, from);
    for name in &field.path {
        at = object_of(document, at);
        let property = at.get("properties")?.get(name)?;
        let nullable = property.get("nullable") == Some(&Value::Bool(true));
        let followed = schema::follow_property(document, property);
        let optional = nullable || !schema::requires(at, name);
        steps.push(Step { name: name.clone(), optional, schema: followed });
        at = followed;
    }
    Some(steps)
}

/// The object `schema` holds: itself, or its items for a list (a chain's chainlets).
fn object_of<'d>(document: &'d Value, schema: &'d Value) -> &'d Value {
    match schema.get("items") {
        Some(items) if schema.get("type").and_then(Value::as_str) == Some("array") => {
            schema::follow_property(document, items)
        }
        _ => schema,
    }
}

/// The component enum a status property names, as `(pointer, values)`; `None` for a plain
/// string (a training job's `current_status`).
fn status_enum<'d>(document: &'d Value, property: &'d Value) -> Option<(String, Vec<&'d str>)> {
    let reference = match property.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) => only.get("$ref"),
        _ => property.get("$ref"),
    };
    let pointer = reference.and_then(Value::as_str)?.strip_prefix('#')?.to_string();
    let values = document.pointer(&pointer)?.get("enum")?.as_array()?;
    Some((pointer, values.iter().filter_map(Value::as_str).collect()))
}

impl Lifecycles {
    /// Every disagreement between the file and `model`: a field a present read lacks, a status
    /// no enum declares, an enum value the file does not classify. A read the document lacks is
    /// no error: that resource gets no waiter.
    pub fn check(&self, model: &Model<'_>, provenance: &Provenance) -> Result<(), Errors> {
        let mut errors = Errors::default();
        let mut enums_checked = BTreeSet::new();
        for lifecycle in &self.list {
            for read in &lifecycle.reads {
                let Some(call) = model.call(read.method, &read.path) else { continue };
                let Some(answer) = call.answer else {
                    errors.push(
                        self.error_at(read.line, format!("`{}` answers no schema to read a status from", call.id)),
                    );
                    continue;
                };
                for error in self.fields(lifecycle, model.document, call, answer, provenance) {
                    errors.push(error);
                }
                for (field, of) in self.status_fields(lifecycle) {
                    let Some(steps) = field_steps(model.document, answer, &field) else { continue };
                    let property = property_of(model.document, answer, &steps);
                    let Some((pointer, values)) = property.and_then(|p| status_enum(model.document, p)) else {
                        continue;
                    };
                    if enums_checked.insert((pointer.clone(), of.name.clone())) {
                        self.classified(of, &pointer, &values, provenance, &mut errors);
                    }
                }
            }
        }
        errors.into_result(())
    }

    /// Each field the lifecycle names that a present read's answer lacks, unless marked `?`.
    fn fields(
        &self,
        lifecycle: &Lifecycle,
        document: &Value,
        call: &Call<'_>,
        answer: &Value,
        provenance: &Provenance,
    ) -> Vec<Error> {
        let mut fields: Vec<&Field> =
            [&lifecycle.status, &lifecycle.error, &lifecycle.progress].into_iter().flatten().collect();
        fields.extend(lifecycle.parts.as_ref().map(|(field, _)| field));
        fields.extend(lifecycle.during.as_ref().map(|(field, _)| field));
        let missing =
            fields.into_iter().filter(|field| !field.optional && field_steps(document, answer, field).is_none());
        missing
            .map(|field| {
                let page = provenance.page_of(&call.at);
                self.error_at(
                    field.line,
                    format!(
                        "the `{}` lifecycle reads `{}` from `{}`, whose answer ({page}) has no such field",
                        lifecycle.name,
                        field.path.join("."),
                        call.id
                    ),
                )
                .with_hint(
                    "the docs changed the answer: name the field where it is now, or mark it `?` if some eras lack it",
                )
            })
            .collect()
    }

    /// The status fields of `lifecycle`'s answer, each with the lifecycle whose statuses it
    /// takes: its own status, its parts', and the status inside its `while` field.
    fn status_fields<'a>(&'a self, lifecycle: &'a Lifecycle) -> Vec<(Field, &'a Lifecycle)> {
        let own = self.owner_of_statuses(lifecycle);
        let mut fields: Vec<(Field, &Lifecycle)> = lifecycle.status.iter().map(|f| (f.clone(), own)).collect();
        if let Some((list, status)) = &lifecycle.parts {
            let mut field = list.clone();
            field.path.push(status.clone());
            fields.push((field, own));
        }
        if let Some((field, other)) = &lifecycle.during {
            let mut field = field.clone();
            field.path.push("status".to_string());
            fields.extend(self.get(other).map(|other| (field, self.owner_of_statuses(other))));
        }
        fields
    }

    /// The lifecycle whose status lines `lifecycle` uses.
    pub fn owner_of_statuses<'a>(&'a self, lifecycle: &'a Lifecycle) -> &'a Lifecycle {
        match &lifecycle.statuses_of {
            Some((other, _)) => self.get(other).unwrap_or(lifecycle),
            None => lifecycle,
        }
    }

    /// Every value of the enum at `pointer` classified by `lifecycle`, and every status it
    /// classifies a value of the enum.
    fn classified(
        &self,
        lifecycle: &Lifecycle,
        pointer: &str,
        values: &[&str],
        provenance: &Provenance,
        errors: &mut Errors,
    ) {
        let enum_name = pointer.rsplit('/').next().unwrap_or(pointer);
        let last_line = lifecycle.statuses.iter().map(|status| status.line).max().unwrap_or(lifecycle.line);
        for value in values.iter().filter(|value| !lifecycle.statuses.iter().any(|s| s.name == **value)) {
            let message = format!(
                "the docs declare the status `{value}` ({enum_name}), which {} does not classify for the `{}` lifecycle",
                self.file, lifecycle.name
            );
            errors.push(provenance.error(&format!("{pointer}/enum"), message).with_hint(format!(
                "say what it means: add `{value} in-progress` (or ready, failed, failed-for-good, stopped) to {} after \
                 line {last_line}, under a `source` line naming the docs that say so",
                self.file
            )));
        }
        for status in lifecycle.statuses.iter().filter(|status| !values.contains(&status.name.as_str())) {
            let message = format!(
                "`{}` is classified for the `{}` lifecycle, but no page declares it in {enum_name} ({})",
                status.name,
                lifecycle.name,
                provenance.page_of(pointer)
            );
            errors.push(
                self.error_at(status.line, message).with_hint(
                    "the docs dropped or renamed it: remove the line, or rename it as the docs spell it now",
                ),
            );
        }
    }
}

/// The property schema as written (its `$ref` kept) at the end of `steps` from `answer`.
fn property_of<'d>(document: &'d Value, answer: &'d Value, steps: &[Step<'d>]) -> Option<&'d Value> {
    let (last, before) = steps.split_last()?;
    let parent = before.last().map_or_else(|| schema::follow_property(document, answer), |step| step.schema);
    object_of(document, parent).get("properties")?.get(&last.name)
}
