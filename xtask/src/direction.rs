//! Direction: takes the references requests and responses hold, and each component's, gives
//! for each component schema whether requests reach it (a body or a parameter), responses reach
//! it, or both. The merge reconciles `required` by it, and `defaults` keeps defaults off the
//! request side.

use std::collections::BTreeSet;

use crate::schema;

/// Which way a schema travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Only in requests: the client sends it.
    Request,
    /// Only in responses: the client reads it.
    Response,
    /// Both ways.
    Both,
}

/// The component schemas requests and responses reach, transitively through `$ref`s.
#[derive(Debug, Default)]
pub struct Directions {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Directions {
    /// The schema named `name`'s direction; one nothing reaches reads as a response's, the
    /// tolerant choice.
    pub fn of(&self, name: &str) -> Direction {
        match (self.request.contains(name), self.response.contains(name)) {
            (true, true) => Direction::Both,
            (true, false) => Direction::Request,
            _ => Direction::Response,
        }
    }

    /// Whether requests reach the schema `name` (alone or with responses).
    pub fn sent(&self, name: &str) -> bool {
        self.request.contains(name)
    }

    /// From the references `request` and `response` hold, following `refs_of` (a component's
    /// own references): the merge's pages hold them one way, a document's model another.
    pub fn reached<'a>(
        request: Vec<&'a str>,
        response: Vec<&'a str>,
        refs_of: &dyn Fn(&str) -> Vec<&'a str>,
    ) -> Directions {
        Directions { request: reach(request, refs_of), response: reach(response, refs_of) }
    }
}

/// The names of every component `roots` reach, following `refs_of` (a component's references).
fn reach<'a>(roots: Vec<&'a str>, refs_of: &dyn Fn(&str) -> Vec<&'a str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending = roots;
    while let Some(reference) = pending.pop() {
        let Some((_, name)) = schema::component_ref(reference) else { continue };
        if seen.insert(name.clone()) {
            pending.extend(refs_of(&name));
        }
    }
    seen
}
