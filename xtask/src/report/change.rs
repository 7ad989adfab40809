//! Changes: one change to the spec as a caller meets it, and its impact (breaking, additive, at
//! run time, docs-only).

use std::fmt;

use crate::direction::Direction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled against the old crate may not compile against the new one.
    Breaking,
    /// New things; existing code keeps compiling.
    Additive,
    /// The code compiles the same, but what goes over the wire changes: the header the client
    /// authenticates with, the server it calls, what the server does with an unset field.
    Runtime,
    /// Texts only (descriptions, summaries): the docs change, the code does not.
    Docs,
}

/// One change to the client's API, with what it is about. Its impact and its sentence in the
/// report follow from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    OperationAdded {
        operation: String,
        route: String,
    },
    OperationRemoved {
        operation: String,
        route: String,
    },
    /// The summary or description of an operation.
    OperationDocs {
        operation: String,
    },
    ArgumentAdded {
        operation: String,
        argument: String,
        required: bool,
    },
    ArgumentRemoved {
        operation: String,
        argument: String,
    },
    ArgumentRequired {
        operation: String,
        argument: String,
        required: bool,
    },
    TypeAdded {
        name: String,
    },
    TypeRemoved {
        name: String,
    },
    TypeDocs {
        name: String,
    },
    EnumValueAdded {
        name: String,
        value: String,
    },
    EnumValueRemoved {
        name: String,
        value: String,
    },
    FieldAdded {
        owner: String,
        field: String,
        ty: String,
        required: bool,
        direction: Direction,
    },
    FieldRemoved {
        owner: String,
        field: String,
    },
    FieldRetyped {
        owner: String,
        field: String,
        from: String,
        to: String,
        direction: Direction,
    },
    FieldRequired {
        owner: String,
        field: String,
        required: bool,
        direction: Direction,
    },
    FieldDocs {
        owner: String,
        field: String,
    },
    /// The operations that authenticate with another scheme (the `Authorization` header the
    /// client sends changes with it).
    AuthChanged {
        operations: Vec<String>,
        from: String,
        to: String,
    },
    /// The server a client built without a base URL calls.
    ServerChanged {
        from: String,
        to: String,
    },
    /// The default the server uses for a field (or an argument, `owner` then naming the
    /// operation) the client leaves unset: `None` where there was (or is) none.
    ServerDefault {
        owner: String,
        field: String,
        was: Option<String>,
        is: Option<String>,
    },
    /// The documented default of a field changed: `None` where there was (or is) none.
    FieldDefault {
        owner: String,
        field: String,
        was: Option<String>,
        is: Option<String>,
        retyped: Option<(String, String)>,
    },
}

impl Change {
    pub fn impact(&self) -> Impact {
        match self {
            Change::OperationAdded { .. } | Change::TypeAdded { .. } => Impact::Additive,
            Change::ArgumentAdded { required, .. } => {
                if *required {
                    Impact::Breaking
                } else {
                    Impact::Additive
                }
            }
            // Open, non-exhaustive enums: a new variant breaks no match.
            Change::EnumValueAdded { .. } => Impact::Additive,
            // The structs are `#[non_exhaustive]`, built through builders that start optional and
            // nullable fields empty: only a field a builder cannot do without breaks a caller, and
            // only a caller who builds the type (to send it; a response type's fixtures must set
            // it too, but no call breaks).
            Change::FieldAdded { required: true, ty, direction, .. }
                if !ty.ends_with('?') && *direction != Direction::Response =>
            {
                Impact::Breaking
            }
            Change::FieldAdded { .. } => Impact::Additive,
            // A type only sent: its builder's setter takes `T` for an `Option<T>` as well.
            Change::FieldRetyped { from, to, direction: Direction::Request, .. } if *to == format!("{from}?") => {
                Impact::Additive
            }
            Change::FieldRequired { required: false, direction: Direction::Request, .. } => Impact::Additive,
            // A default filled in or no longer filled in changes a type or what is sent; a new
            // value only what a missing field reads as.
            Change::FieldDefault { was: Some(_), is: Some(_), .. } => Impact::Additive,
            Change::AuthChanged { .. } | Change::ServerChanged { .. } | Change::ServerDefault { .. } => Impact::Runtime,
            Change::OperationDocs { .. } | Change::TypeDocs { .. } | Change::FieldDocs { .. } => Impact::Docs,
            _ => Impact::Breaking,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::OperationAdded { operation, route } => write!(f, "operation `{operation}` added (`{route}`)"),
            Change::OperationRemoved { operation, route } => write!(f, "operation `{operation}` removed (`{route}`)"),
            Change::OperationDocs { operation } => write!(f, "`{operation}`: summary or description changed"),
            Change::ArgumentAdded { operation, argument, required } => {
                let kind = if *required { "required" } else { "optional" };
                write!(f, "`{operation}`: {kind} argument `{argument}` added")
            }
            Change::ArgumentRemoved { operation, argument } => {
                write!(f, "`{operation}`: argument `{argument}` removed")
            }
            Change::ArgumentRequired { operation, argument, required } => {
                let now = if *required { "required" } else { "optional" };
                write!(f, "`{operation}`: argument `{argument}` is now {now}")
            }
            Change::TypeAdded { name } => write!(f, "type `{name}` added"),
            Change::TypeRemoved { name } => write!(f, "type `{name}` removed"),
            Change::TypeDocs { name } => write!(f, "`{name}`: description changed"),
            Change::EnumValueAdded { name, value } => write!(f, "`{name}`: enum value `{value}` added"),
            Change::EnumValueRemoved { name, value } => write!(f, "`{name}`: enum value `{value}` removed"),
            Change::FieldAdded { owner, field, ty, required, direction } => {
                let kind = if *required { "required" } else { "optional" };
                write!(f, "`{owner}`: {kind} field `{field}: {ty}` added")?;
                match (*required && !ty.ends_with('?'), direction) {
                    (false, _) => Ok(()),
                    (true, Direction::Response) => write!(f, " (a fixture built with the builder must set it)"),
                    (true, _) => write!(f, " (a builder that does not set it fails)"),
                }
            }
            Change::FieldRemoved { owner, field } => write!(f, "`{owner}`: field `{field}` removed"),
            Change::FieldRetyped { owner, field, from, to, .. } => {
                write!(f, "`{owner}`: field `{field}` changed type from `{from}` to `{to}`")
            }
            Change::FieldRequired { owner, field, required, .. } => {
                let now = if *required { "is now required" } else { "is no longer required" };
                write!(f, "`{owner}`: field `{field}` {now}")
            }
            Change::FieldDocs { owner, field } => write!(f, "`{owner}`: the docs of `{field}` changed"),
            Change::AuthChanged { operations, from, to } => {
                let names: Vec<String> = operations.iter().map(|o| format!("`{o}`")).collect();
                write!(f, "{} operations authenticate with {to}, not {from}: {}", operations.len(), names.join(", "))
            }
            Change::ServerChanged { from, to } => {
                write!(f, "the default server is `{to}`, not `{from}` (a client built without a base URL calls it)")
            }
            Change::ServerDefault { owner, field, was, is } => {
                let shown = |v: &Option<String>| v.as_ref().map_or("none documented".to_string(), |v| format!("`{v}`"));
                write!(
                    f,
                    "`{owner}`: `{field}` left unset now means the server's default {} (was {})",
                    shown(is),
                    shown(was)
                )
            }
            Change::FieldDefault { owner, field, was, is, retyped } => {
                write!(f, "`{owner}`: field `{field}` ")?;
                match (was, is) {
                    (Some(old), None) => {
                        write!(f, "is no longer filled with the documented default `{old}`: unset, it is not sent")?
                    }
                    (None, Some(new)) => write!(f, "is now filled with the documented default `{new}` when unset")?,
                    (old, new) => write!(
                        f,
                        "has a new documented default: `{}` (was `{}`)",
                        new.as_deref().unwrap_or_default(),
                        old.as_deref().unwrap_or_default()
                    )?,
                }
                match retyped {
                    Some((from, to)) => write!(f, " (`{from}` becomes `{to}`)"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::Runtime => "run time",
            Impact::Docs => "docs",
        })
    }
}
