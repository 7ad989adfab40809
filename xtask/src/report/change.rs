//! Changes: one change to the spec as a caller meets it, and its impact (breaking, additive, at
//! run time, docs-only).

use std::fmt;

use super::type_expr::TypeExpr;
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
        ty: TypeExpr,
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
        from: TypeExpr,
        to: TypeExpr,
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

/// What one change means for a caller: its impact and its sentence in the report, decided side
/// by side for each kind (one function per family of kinds), so a new kind is written once.
struct Said {
    impact: Impact,
    sentence: String,
}

fn said(impact: Impact, sentence: String) -> Said {
    Said { impact, sentence }
}

fn kind(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

impl Change {
    pub fn impact(&self) -> Impact {
        self.said().impact
    }

    /// Each family answers for its own kinds and `None` for the others'.
    fn said(&self) -> Said {
        self.operation_said()
            .or_else(|| self.type_said())
            .or_else(|| self.field_said())
            .or_else(|| self.server_said())
            // Every kind is some family's; were one not, it would be reported, as breaking.
            .unwrap_or_else(|| said(Impact::Breaking, format!("{self:?}")))
    }

    /// Operations and their arguments.
    fn operation_said(&self) -> Option<Said> {
        use Impact::{Additive, Breaking, Docs};
        Some(match self {
            Change::OperationAdded { operation, route } => {
                said(Additive, format!("operation `{operation}` added (`{route}`)"))
            }
            Change::OperationRemoved { operation, route } => {
                said(Breaking, format!("operation `{operation}` removed (`{route}`)"))
            }
            Change::OperationDocs { operation } => said(Docs, format!("`{operation}`: summary or description changed")),
            Change::ArgumentAdded { operation, argument, required } => said(
                if *required { Breaking } else { Additive },
                format!("`{operation}`: {} argument `{argument}` added", kind(*required)),
            ),
            Change::ArgumentRemoved { operation, argument } => {
                said(Breaking, format!("`{operation}`: argument `{argument}` removed"))
            }
            Change::ArgumentRequired { operation, argument, required } => {
                said(Breaking, format!("`{operation}`: argument `{argument}` is now {}", kind(*required)))
            }
            _ => return None,
        })
    }

    /// Types and enum values. The enums are open and non-exhaustive: a new variant breaks no
    /// match.
    fn type_said(&self) -> Option<Said> {
        use Impact::{Additive, Breaking, Docs};
        Some(match self {
            Change::TypeAdded { name } => said(Additive, format!("type `{name}` added")),
            Change::TypeRemoved { name } => said(Breaking, format!("type `{name}` removed")),
            Change::TypeDocs { name } => said(Docs, format!("`{name}`: description changed")),
            Change::EnumValueAdded { name, value } => said(Additive, format!("`{name}`: enum value `{value}` added")),
            Change::EnumValueRemoved { name, value } => {
                said(Breaking, format!("`{name}`: enum value `{value}` removed"))
            }
            _ => return None,
        })
    }

    /// A struct's fields. The structs are `#[non_exhaustive]`, built through builders that start
    /// optional and nullable fields empty: only a field a builder cannot do without breaks a
    /// caller, and only a caller who builds the type (to send it; a response type's fixtures
    /// must set it too, but no call breaks).
    fn field_said(&self) -> Option<Said> {
        use Impact::{Additive, Breaking, Docs};
        Some(match self {
            Change::FieldAdded { owner, field, ty, required, direction } => {
                let sentence = format!("`{owner}`: {} field `{field}: {ty}` added", kind(*required));
                match (*required && !ty.nullable, direction) {
                    (false, _) => said(Additive, sentence),
                    (true, Direction::Response) => {
                        said(Additive, format!("{sentence} (a fixture built with the builder must set it)"))
                    }
                    (true, _) => said(Breaking, format!("{sentence} (a builder that does not set it fails)")),
                }
            }
            Change::FieldRemoved { owner, field } => said(Breaking, format!("`{owner}`: field `{field}` removed")),
            Change::FieldRetyped { owner, field, from, to, direction } => {
                let widened = *direction == Direction::Request && to.is_nullable_of(from);
                let sentence = format!("`{owner}`: field `{field}` changed type from `{from}` to `{to}`");
                said(if widened { Additive } else { Breaking }, sentence)
            }
            Change::FieldRequired { owner, field, required, direction } => {
                let relaxed = !*required && *direction == Direction::Request;
                let now = if *required { "is now required" } else { "is no longer required" };
                said(if relaxed { Additive } else { Breaking }, format!("`{owner}`: field `{field}` {now}"))
            }
            Change::FieldDocs { owner, field } => said(Docs, format!("`{owner}`: the docs of `{field}` changed")),
            _ => return None,
        })
    }

    /// What the server does: the auth it takes, where it is, the defaults it fills in.
    fn server_said(&self) -> Option<Said> {
        use Impact::{Additive, Breaking, Runtime};
        let shown = |v: &Option<String>| v.as_ref().map_or("none documented".to_string(), |v| format!("`{v}`"));
        Some(match self {
            Change::AuthChanged { operations, from, to } => {
                let names: Vec<String> = operations.iter().map(|o| format!("`{o}`")).collect();
                let sentence =
                    format!("{} operations authenticate with {to}, not {from}: {}", operations.len(), names.join(", "));
                said(Runtime, sentence)
            }
            Change::ServerChanged { from, to } => said(
                Runtime,
                format!("the default server is `{to}`, not `{from}` (a client built without a base URL calls it)"),
            ),
            Change::ServerDefault { owner, field, was, is } => said(
                Runtime,
                format!(
                    "`{owner}`: `{field}` left unset now means the server's default {} (was {})",
                    shown(is),
                    shown(was)
                ),
            ),
            // A default filled in or no longer filled in changes a type or what is sent; a new
            // value only what a missing field reads as.
            Change::FieldDefault { owner, field, was, is, retyped } => {
                let (impact, what) = match (was, is) {
                    (Some(old), None) => (
                        Breaking,
                        format!("is no longer filled with the documented default `{old}`: unset, it is not sent"),
                    ),
                    (None, Some(new)) => {
                        (Breaking, format!("is now filled with the documented default `{new}` when unset"))
                    }
                    (old, new) => (
                        if old.is_some() && new.is_some() { Additive } else { Breaking },
                        format!(
                            "has a new documented default: `{}` (was `{}`)",
                            new.as_deref().unwrap_or_default(),
                            old.as_deref().unwrap_or_default()
                        ),
                    ),
                };
                let retyped =
                    retyped.as_ref().map(|(from, to)| format!(" (`{from}` becomes `{to}`)")).unwrap_or_default();
                said(impact, format!("`{owner}`: field `{field}` {what}{retyped}"))
            }
            _ => return None,
        })
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.said().sentence)
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
