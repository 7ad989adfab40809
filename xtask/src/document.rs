//! Document: takes a JSON value, gives an OpenAPI document of one version: [`OpenApi31`] (what
//! the merge gives and `defaults` edits) or [`OpenApi30`] (what `downgrade` gives, `generated/`
//! holds, the report compares and `generate` reads). A stage's signature says which it takes, and
//! each gives its [`Model`], the typed view of its calls and schemas the later stages read.
//!
//! The schemas stay JSON: they are JSON Schema, open-ended and carried through to
//! `generated/openapi.yaml` key for key, so the type guards the version and the model types the
//! parts the stages walk.

use std::marker::PhantomData;
use std::ops::Deref;

use serde_json::{Map, Value};

use crate::model::Model;

/// An OpenAPI version a [`Document`] can be.
pub trait Version {
    /// What its `openapi` field starts with: `3.1.`.
    const PREFIX: &'static str;
    /// What the stages write in that field.
    const WRITTEN: &'static str;
}

/// OpenAPI 3.1, the pages' version and the merge's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V31 {}

/// OpenAPI 3.0.3, the version progenitor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V30 {}

impl Version for V31 {
    const PREFIX: &'static str = "3.1.";
    const WRITTEN: &'static str = "3.1.0";
}

impl Version for V30 {
    const PREFIX: &'static str = "3.0.";
    const WRITTEN: &'static str = "3.0.3";
}

/// An OpenAPI document whose `openapi` field says version `V`. Reads as the JSON it is
/// (`Deref`); only the stage that owns a version changes one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Document<V: Version> {
    value: Value,
    #[serde(skip)]
    version: PhantomData<V>,
}

/// The merged document.
pub type OpenApi31 = Document<V31>;

/// The downgraded document.
pub type OpenApi30 = Document<V30>;

impl<V: Version> Document<V> {
    /// `value`, if it is an object whose `openapi` field is version `V`'s.
    pub fn from_value(value: Value) -> Result<Document<V>, String> {
        match value.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with(V::PREFIX) => Ok(Document { value, version: PhantomData }),
            Some(version) => Err(format!("`openapi: {version}` where OpenAPI {}x was expected", V::PREFIX)),
            None => Err(format!("no `openapi` field: not an OpenAPI {}x document", V::PREFIX)),
        }
    }

    /// A document of version `V` with `fields` after its `openapi` field (any `openapi` among
    /// them replaced): how the merge and the downgrade make theirs.
    pub(crate) fn with_fields(fields: Map<String, Value>) -> Document<V> {
        let mut document = Map::from_iter([("openapi".to_string(), Value::from(V::WRITTEN))]);
        document.extend(fields.into_iter().filter(|(key, _)| key != "openapi"));
        Document { value: Value::Object(document), version: PhantomData }
    }

    /// The model of its calls and schemas, read from it once.
    pub fn model(&self) -> Model<'_> {
        Model::of(&self.value)
    }

    pub fn into_value(self) -> Value {
        self.value
    }

    /// For the stage that owns this version: its edits keep the `openapi` field.
    pub(crate) fn value_mut(&mut self) -> &mut Value {
        &mut self.value
    }
}

impl<V: Version> Deref for Document<V> {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.value
    }
}
