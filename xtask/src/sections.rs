//! Sections: takes a page's path in `spec/`, gives the docs section its operation stands under
//! (the page's first folder, as the site files it) and the sections in the docs' order, with
//! their titles: what the merged document's `tags` say and the client's `impl` blocks follow.

use crate::model::Model;

/// A section of the docs' API reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The page's folder below `spec/`: `deployments`.
    pub name: String,
    pub title: String,
}

/// The sections as the docs' navigation orders them, with the titles it gives them. A folder
/// not listed here (a section the docs add) follows them, by name.
const DOCS_ORDER: &[(&str, &str)] = &[
    ("models", "Models"),
    ("deployments", "Deployments"),
    ("environments", "Environments"),
    ("chains", "Chains"),
    ("secrets", "Secrets"),
    ("api-keys", "API keys"),
    ("teams", "Teams"),
    ("instance-types", "Instance types"),
    ("model-apis", "Model APIs"),
    ("billing", "Billing"),
    ("training", "Training"),
];

/// The section of the page at `page` (`spec/deployments/activate/x.md` is `deployments`), or
/// `None` for a page at the top of `spec/`.
pub fn of_page(page: &str) -> Option<Section> {
    let below = page.strip_prefix(crate::page::SPEC_DIR)?.strip_prefix('/')?;
    let (folder, _) = below.split_once('/')?;
    Some(Section { name: folder.to_string(), title: title(folder) })
}

/// Where a section stands among the others: the docs' order, then new ones by name.
pub fn rank(name: &str) -> (usize, String) {
    let known = DOCS_ORDER.iter().position(|(known, _)| *known == name);
    (known.unwrap_or(DOCS_ORDER.len()), name.to_string())
}

fn title(folder: &str) -> String {
    if let Some((_, title)) = DOCS_ORDER.iter().find(|(name, _)| *name == folder) {
        return title.to_string();
    }
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The client methods of one section, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `None` for the operations of pages at the top of `spec/`.
    pub section: Option<Section>,
    pub operations: Vec<String>,
}

/// A document's operations by the section its `tags` put them in, sections in the order of the
/// document's `tags`, then the operations of no section.
pub fn groups(model: &Model<'_>) -> Vec<Group> {
    let mut groups: Vec<Group> = model
        .tags
        .iter()
        .map(|tag| {
            let title = tag.description.map_or_else(|| title(tag.name), str::to_string);
            Group {
                section: Some(Section { name: tag.name.to_string(), title }),
                operations: Vec::new(),
            }
        })
        .collect();
    let mut untagged = Group { section: None, operations: Vec::new() };
    for call in &model.calls {
        let group = groups.iter_mut().find(|group| group.section.as_ref().map(|s| s.name.as_str()) == call.section);
        group.unwrap_or(&mut untagged).operations.push(call.id.to_string());
    }
    groups.retain(|group| !group.operations.is_empty());
    if !untagged.operations.is_empty() {
        groups.push(untagged);
    }
    groups
}
