//! Declarations: what the reconciler takes, each page's declaration of one thing, and the
//! shapes it is handed around in.

use serde_json::Value;

/// One page's declaration of what is being reconciled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declaration<'a> {
    pub page: &'a str,
    pub value: &'a Value,
}

pub(super) type PageValues<'a> = [(&'a str, Option<&'a Value>)];

/// Component schema name → how many properties it has.
pub(crate) type Sizes = std::collections::BTreeMap<String, usize>;

/// `(key, value)` pairs grouped by key, the groups in order of each key's first appearance and
/// each group's values in order: how pages, members and values are listed wherever the merge
/// says what each side declares.
pub(super) fn in_order_of_first_appearance<K: PartialEq, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> Vec<(K, Vec<V>)> {
    let mut groups: Vec<(K, Vec<V>)> = Vec::new();
    for (key, value) in pairs {
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => groups.push((key, vec![value])),
        }
    }
    groups
}

/// The union of the pages' lists in order of first appearance, each item with the pages that
/// list it (once each): enum values, required names, property names, mapped tags.
pub(super) fn union_of_lists<'p, T: PartialEq, L: IntoIterator<Item = T>>(
    lists: impl IntoIterator<Item = (&'p str, L)>,
) -> Vec<(T, Vec<&'p str>)> {
    let pairs = lists.into_iter().flat_map(|(page, list)| list.into_iter().map(move |item| (item, page)));
    let mut union = in_order_of_first_appearance(pairs);
    for (_, pages) in &mut union {
        pages.dedup();
    }
    union
}
