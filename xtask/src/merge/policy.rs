//! Policy: takes a keyword, gives what the merge does when the pages' declarations of one
//! schema disagree on it. One table, printed as ARCHITECTURE.md's drift policy table.

/// What the merge does with a keyword the declarations disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The richest declaration's value.
    Richest,
    /// `true` where any page says `true`.
    AnyTrue,
    /// Every page's properties.
    Union,
    /// Every page's values, in order of first appearance; one value spelled two ways is one
    /// variant that reads both.
    EnumUnion,
    /// By the direction the schema travels (see [`crate::direction`]).
    RequiredByDirection,
    /// Kept where every page agrees, dropped otherwise.
    AgreeOrDrop,
    /// A lower bound by direction: read, the loosest; sent, the tightest.
    LowerBound,
    /// An upper bound by direction: read, the loosest; sent, the tightest.
    UpperBound,
    /// By direction: read, the union of the types; sent, their intersection.
    TypeByDirection,
    /// Members matched by shape and reconciled, by direction: read, every page's; sent, those
    /// every page has.
    Members,
    /// A discriminator's mapping by direction: read, every page's entries; sent, those every
    /// page has.
    Mapping,
    /// Position by position.
    Positional,
    /// Reconciled as a schema; dropped where a page has none (anything goes).
    Subschema,
    /// Must agree: a real conflict otherwise.
    Agree,
}

/// One row of the drift policy.
pub struct Row {
    pub keywords: &'static [&'static str],
    pub rule: Rule,
    /// What the merge does, as ARCHITECTURE.md says it.
    pub does: &'static str,
}

/// The drift policy: for every keyword the pages use, what the merge does when the
/// declarations of one schema (or parameter, or security scheme) disagree. A keyword not
/// listed (and not `x-…`) falls under the last row.
pub const POLICY: &[Row] = &[
    Row {
        keywords: &["description", "title", "summary", "examples", "example", "externalDocs", "x-…"],
        rule: Rule::Richest,
        does: "texts: the richest declaration's (most properties, then most enum values, then most text; ties go to \
               the first page in operation order)",
    },
    Row {
        keywords: &["deprecated", "readOnly", "writeOnly", "nullable"],
        rule: Rule::AnyTrue,
        does: "`true` where any page says `true`",
    },
    Row {
        keywords: &["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"],
        rule: Rule::Union,
        does: "the union: a property (or other named subschema) on some pages only is kept, each reconciled by \
               these rules",
    },
    Row {
        keywords: &["enum"],
        rule: Rule::EnumUnion,
        does: "the union of values, both ways (the client's enums are open: an unlisted value still decodes, and a \
               caller chooses what to send); one value spelled two ways on different pages (`queue_on_full`, \
               `QUEUE_ON_FULL`) is one variant that reads both and sends the spelling most pages list, or the one \
               `send <value> at #<enum>` in `spec/drift-decisions.txt` names",
    },
    Row {
        keywords: &["required"],
        rule: Rule::RequiredByDirection,
        does: "by direction: a schema only requests reach is required where **any** page requires it (never send \
               what some server rejects); one responses reach (alone or with requests) only where **every** page \
               does (never fail to decode what some server sends); a parameter is required where any page says so",
    },
    Row {
        keywords: &["default"],
        rule: Rule::AgreeOrDrop,
        does: "kept where every page agrees, else dropped: the server's current default applies",
    },
    Row {
        keywords: &["pattern", "format"],
        rule: Rule::AgreeOrDrop,
        does: "kept where every page agrees, else dropped",
    },
    Row {
        keywords: &["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"],
        rule: Rule::LowerBound,
        does: "by direction: read, the loosest (the smallest; dropped where a page has none); sent, the tightest \
               (the largest any page sets)",
    },
    Row {
        keywords: &["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"],
        rule: Rule::UpperBound,
        does: "by direction: read, the loosest (the largest; dropped where a page has none); sent, the tightest \
               (the smallest any page sets)",
    },
    Row {
        keywords: &["type"],
        rule: Rule::TypeByDirection,
        does: "by direction: read, the union (`number` over `integer`, `null` where any page has it); sent, the \
               intersection (`integer` over `number`, `null` only where every page has it); types that share \
               nothing are members (next row)",
    },
    Row {
        keywords: &["anyOf", "oneOf"],
        rule: Rule::Members,
        does: "members matched by shape (`$ref` target, else `type`, `integer` and `number` alike) and reconciled; \
               declarations of different shapes are one-member unions first (`X` against `anyOf [X, null]`; read, \
               `$ref A` against `$ref B` too). By direction: read, every page's members, the one with the most \
               properties first (an untagged union decodes into the first member that fits); sent, the members \
               every page has, and none left is a conflict",
    },
    Row {
        keywords: &["discriminator"],
        rule: Rule::Mapping,
        does: "`propertyName` must agree; the `mapping` by direction: read, every page's entries (the union stays \
               open: an unlisted tag still decodes); sent, the entries every page has",
    },
    Row {
        keywords: &["allOf", "prefixItems"],
        rule: Rule::Positional,
        does: "position by position; a different length is a conflict",
    },
    Row {
        keywords: &[
            "items",
            "additionalProperties",
            "not",
            "schema",
            "additionalItems",
            "unevaluatedProperties",
            "unevaluatedItems",
            "contains",
            "propertyNames",
            "if",
            "then",
            "else",
        ],
        rule: Rule::Subschema,
        does: "reconciled by these rules; dropped where a page has none or says `true` (anything goes)",
    },
    Row {
        keywords: &["$ref", "const", "name", "in"],
        rule: Rule::Agree,
        does: "and every keyword not listed here: a real conflict: the error names both pages and the JSON pointer, and prints the line that keeps one \
               page's declaration (`spec/drift-decisions.txt`)",
    },
];

/// The rule for `keyword`.
pub fn rule(keyword: &str) -> Rule {
    if keyword.starts_with("x-") {
        return Rule::Richest;
    }
    POLICY.iter().find(|row| row.keywords.contains(&keyword)).map_or(Rule::Agree, |row| row.rule)
}

/// Whether `keyword` annotates where a schema is used rather than what it accepts: when a
/// lone schema joins a union, it stays beside the union instead of moving into the member.
pub fn stays_beside_union(keyword: &str) -> bool {
    keyword == "default" || matches!(rule(keyword), Rule::Richest | Rule::AnyTrue) && keyword != "nullable"
}

/// [`POLICY`] as the Markdown table ARCHITECTURE.md shows.
pub fn markdown() -> String {
    let mut out = String::from("| keyword | when the pages' declarations disagree |\n|---|---|\n");
    for row in POLICY {
        let keywords: Vec<String> = row.keywords.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!("| {} | {} |\n", keywords.join(", "), row.does));
    }
    out
}
