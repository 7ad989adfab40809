//! Aliases: takes the client's methods and the docs pages' summaries and titles, gives each
//! method `#[doc(alias)]`es that docs.rs search finds it by: its page's title ("Upsert a secret")
//! and, where the summary's verb is not the method's, the method named with it (`create_secret`
//! is also `upsert_secret`).

use std::collections::BTreeMap;

use crate::model::Model;
use crate::provenance::Provenance;

/// Adds the aliases to each `Client` method of `items` the model has an operation for; gives how
/// many methods it gave aliases.
pub(super) fn add(items: &mut [syn::Item], model: &Model<'_>, provenance: &Provenance) -> usize {
    let mut aliases: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for call in &model.calls {
        let title = provenance.title_of(&call.at).filter(|title| is_alias(title)).map(str::to_string);
        let verb = call.summary.and_then(|summary| renamed(call.id, summary));
        aliases.entry(call.id).or_default().extend(title.into_iter().chain(verb));
    }
    let mut given = 0;
    for item in items {
        let syn::Item::Impl(block) = item else { continue };
        if !super::rewrite::is_client_impl(block) {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            let Some(names) = aliases.get(method.sig.ident.to_string().as_str()) else { continue };
            method
                .attrs
                .extend(names.iter().map(|name| -> syn::Attribute { syn::parse_quote!(#[doc(alias = #name)]) }));
            given += usize::from(!names.is_empty());
        }
    }
    given
}

/// The method named with its summary's verb (`upsert_secret` for `create_secret`, "Upserts a
/// secret"), when that verb is another; `None` when the summary starts with no verb.
fn renamed(method: &str, summary: &str) -> Option<String> {
    let (own, rest) = method.split_once('_')?;
    let verb = verb(summary)?;
    (verb != own).then(|| format!("{verb}_{rest}"))
}

/// The summary's first word in the imperative (`Upserts` → `upsert`, `Retries` → `retry`) when
/// it reads as a verb: in the third person, or before an article (a resolved page's summary is
/// its title, which may be "By ID" or "All models").
fn verb(summary: &str) -> Option<String> {
    let mut words = summary.split_whitespace();
    let first = words.next()?.to_lowercase();
    let before_article = words.next().is_some_and(|next| ["a", "an", "the", "all"].contains(&next));
    let singular = if let Some(stem) = first.strip_suffix("ies") {
        Some(format!("{stem}y"))
    } else if ["ches", "shes", "sses", "xes", "zes"].iter().any(|end| first.ends_with(end)) {
        Some(first[..first.len() - 2].to_string())
    } else if first.ends_with('s') && !first.ends_with("ss") {
        Some(first[..first.len() - 1].to_string())
    } else {
        None
    };
    let verb = match singular {
        Some(verb) => verb,
        None if before_article => first,
        None => return None,
    };
    verb.chars().all(|c| c.is_ascii_lowercase()).then_some(verb)
}

/// rustdoc refuses an alias with a quote or whitespace other than inner spaces.
fn is_alias(text: &str) -> bool {
    !text.is_empty()
        && text.trim() == text
        && !text.chars().any(|c| c == '"' || c == '\'' || (c.is_whitespace() && c != ' '))
}

#[cfg(test)]
mod tests {
    use super::{is_alias, renamed};

    #[test]
    fn a_summary_s_verb_names_the_method_anew_where_it_is_another() {
        for (method, summary, expected) in [
            ("create_secret", "Upserts a secret", Some("upsert_secret")),
            (
                "create_training_project",
                "Upsert a training project in a specific team.",
                Some("upsert_training_project"),
            ),
            ("list_secrets", "Gets all secrets", Some("get_secrets")),
            ("retry_deployment", "Retries a failed deployment", None),
            ("search_training_jobs", "Searches training jobs", None),
            ("get_model", "By ID", None),
            ("list_models", "All models", None),
            ("get_deployment", "Gets a deployment", None),
        ] {
            assert_eq!(renamed(method, summary).as_deref(), expected, "{method}: {summary}");
        }
        assert!(is_alias("Upsert a team secret") && !is_alias("Get a model's deployment") && !is_alias(" x"));
    }
}
