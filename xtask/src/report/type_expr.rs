//! Type expressions: takes a field's schema, gives the short type the report compares and shows
//! (`DeploymentV1`, `[string]`, `integer?`), its nullability a flag rather than a `?` to parse.

use std::fmt;

use serde_json::Value;

use crate::naming::rust_name;

/// What a field holds, as the report compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExpr {
    pub base: Base,
    /// `nullable: true` in the 3.0.3 document: `null` decodes too (shown as a `?` suffix).
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A component by its Rust name.
    Named(String),
    Array(Box<TypeExpr>),
    /// `anyOf` or `oneOf`, in the document's order.
    Union(Vec<TypeExpr>),
    /// An object with `additionalProperties` of one schema.
    Map(Box<TypeExpr>),
    /// An object with neither properties nor a schema for its values.
    Object,
    Scalar {
        ty: String,
        format: Option<String>,
    },
    Null,
    Any,
}

impl TypeExpr {
    const ANY: TypeExpr = TypeExpr { base: Base::Any, nullable: false };

    pub fn of(schema: &Value) -> TypeExpr {
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let base = if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            Base::Named(rust_name(reference.rsplit('/').next().unwrap_or(reference)))
        } else if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            let inner = TypeExpr::of(only);
            return TypeExpr { nullable: nullable || inner.nullable, ..inner };
        } else if let Some(options) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
            Base::Union(options.iter().map(TypeExpr::of).collect())
        } else {
            Base::of_type(schema)
        };
        TypeExpr { base, nullable }
    }

    /// `self` is `other` made nullable: a type only sent widens so (its builder's setter takes
    /// `T` for an `Option<T>` as well).
    pub fn is_nullable_of(&self, other: &TypeExpr) -> bool {
        self.nullable && !other.nullable && self.base == other.base
    }

    /// The Rust type typify gives the field: `Option` where `null` decodes, or where an optional
    /// field has no default to fill in.
    pub fn rust(&self, required: bool, has_default: bool) -> String {
        let base = self.base.to_string();
        if self.nullable || !required && !has_default { format!("Option<{base}>") } else { base }
    }
}

impl Base {
    /// A schema by its `type` keyword.
    fn of_type(schema: &Value) -> Base {
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => Base::Array(Box::new(schema.get("items").map_or(TypeExpr::ANY, TypeExpr::of))),
            Some("object") if schema.get("properties").is_none() => match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => Base::Map(Box::new(TypeExpr::of(values))),
                _ => Base::Object,
            },
            Some(ty) => Base::Scalar {
                ty: ty.to_string(),
                format: schema.get("format").and_then(Value::as_str).map(str::to_string),
            },
            None if schema.get("enum") == Some(&serde_json::json!([null])) => Base::Null,
            None => Base::Any,
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.base, if self.nullable { "?" } else { "" })
    }
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::Named(name) => f.write_str(name),
            Base::Array(items) => write!(f, "[{items}]"),
            Base::Union(members) => {
                let members: Vec<String> = members.iter().map(TypeExpr::to_string).collect();
                f.write_str(&members.join(" | "))
            }
            Base::Map(values) => write!(f, "map of {values}"),
            Base::Object => f.write_str("object"),
            Base::Scalar { ty, format: Some(format) } => write!(f, "{ty} ({format})"),
            Base::Scalar { ty, format: None } => f.write_str(ty),
            Base::Null => f.write_str("null"),
            Base::Any => f.write_str("any"),
        }
    }
}
