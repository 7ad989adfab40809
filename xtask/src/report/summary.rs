//! Summary: the report of one run (the spec's changes and the Rust surface's), the version bump
//! it calls for, and its Markdown for a pull request.

use super::change::{Change, Impact};
use crate::public::SurfaceChange;

/// How many of the surface's additive changes the Markdown report lists by name.
const SHOWN_ADDED: usize = 30;

#[derive(Debug, Default)]
pub struct Report {
    /// What changed in the spec, as a caller of each operation and type meets it.
    pub changes: Vec<Change>,
    /// What changed in the crate's public Rust items (the spec's changes show here too, with
    /// those of the templates and the generator); empty when there was no crate to compare with.
    pub surface: Vec<SurfaceChange>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.surface.is_empty()
    }

    /// The spec's changes of `impact`.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact() == impact).count()
    }

    /// The surface's changes of `impact`.
    pub fn count_surface(&self, impact: Impact) -> usize {
        self.surface.iter().filter(|c| c.impact() == impact).count()
    }

    /// The worst change of either kind.
    pub fn worst(&self) -> Option<Impact> {
        let spec = self.changes.iter().map(Change::impact);
        spec.chain(self.surface.iter().map(SurfaceChange::impact)).min()
    }

    /// The version after this report: breaking bumps the major (the minor below 1.0), additive
    /// the minor (the patch below 1.0), docs the patch; nothing keeps it.
    pub fn bump(&self, version: &str) -> String {
        let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        match (self.worst(), major) {
            (None, _) => format!("{major}.{minor}.{patch}"),
            (Some(Impact::Breaking), 0) => format!("0.{}.0", minor + 1),
            (Some(Impact::Breaking), _) => format!("{}.0.0", major + 1),
            (Some(Impact::Additive | Impact::Runtime), 0) | (Some(Impact::Docs), _) => {
                format!("{major}.{minor}.{}", patch + 1)
            }
            (Some(Impact::Additive | Impact::Runtime), _) => format!("{major}.{}.0", minor + 1),
        }
    }

    /// Markdown for a pull request.
    pub fn to_markdown(&self, from: &str, to: &str) -> String {
        let mut out = format!("## API changes: baseten-management {from} → {to}\n\n");
        if self.is_empty() {
            out.push_str("No change to the client's API.\n");
            return out;
        }
        out.push_str(&format!(
            "{} breaking, {} additive, {} at run time, {} docs-only.\n",
            self.count(Impact::Breaking),
            self.count(Impact::Additive),
            self.count(Impact::Runtime),
            self.count(Impact::Docs)
        ));
        for (impact, title) in [
            (Impact::Breaking, "Breaking"),
            (Impact::Additive, "Additive"),
            (Impact::Runtime, "At run time (the code compiles the same)"),
            (Impact::Docs, "Docs only"),
        ] {
            let lines: Vec<&Change> = self.changes.iter().filter(|c| c.impact() == impact).collect();
            if !lines.is_empty() {
                out.push_str(&format!("\n### {title}\n\n"));
                for change in lines {
                    out.push_str(&format!("- {change}\n"));
                }
            }
        }
        out.push_str(&self.surface_markdown());
        out
    }

    /// The surface's changes: every breaking one, the first [`SHOWN_ADDED`] additive ones.
    fn surface_markdown(&self) -> String {
        if self.surface.is_empty() {
            return String::new();
        }
        let (breaking, added) = (self.count_surface(Impact::Breaking), self.count_surface(Impact::Additive));
        let mut out = format!(
            "\n### The Rust surface\n\n{breaking} breaking, {added} additive, read from the crate's public items \
             (the spec's changes above show here too, with the templates' and the generator's).\n\n"
        );
        let additive = self.surface.iter().filter(|c| c.impact() == Impact::Additive);
        for change in self.surface.iter().filter(|c| c.impact() == Impact::Breaking).chain(additive.take(SHOWN_ADDED)) {
            out.push_str(&format!("- {change}\n"));
        }
        if added > SHOWN_ADDED {
            out.push_str(&format!("- and {} more items added\n", added - SHOWN_ADDED));
        }
        out
    }
}

impl SurfaceChange {
    /// Breaking or additive: the surface has no run-time or docs-only changes.
    pub fn impact(&self) -> Impact {
        if self.breaks() { Impact::Breaking } else { Impact::Additive }
    }
}
