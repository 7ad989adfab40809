//! Extract: takes a docs page, gives its one fenced OpenAPI block (the fence's method and path,
//! the YAML text, and the page line the YAML starts on).

use crate::error::Errors;
use crate::http::Method;
use crate::page::Page;

const FENCE: &str = "````";

#[derive(Debug, Clone)]
pub struct Block<'a> {
    pub method: String,
    pub path: String,
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the page text.
    pub offset: usize,
    /// 1-based page line of the opening fence.
    pub fence_line: usize,
}

impl Block<'_> {
    /// Page line of the block's `line` (1-based, as a YAML parser counts).
    pub fn page_line(&self, line: usize) -> usize {
        self.fence_line + line
    }
}

/// A ```` ````yaml ```` fence that was opened: where, and what it says.
#[derive(Clone, Copy)]
struct Fence<'a> {
    /// 1-based page line of the opening fence.
    line: usize,
    /// Byte offset of the block's first line.
    start: usize,
    /// What follows `yaml `: `<method> <path>`.
    info: &'a str,
}

/// A fenced block, opened and closed.
#[derive(Clone, Copy)]
struct Fenced<'a> {
    fence: Fence<'a>,
    /// Byte offset of the closing fence.
    end: usize,
}

pub fn extract(page: &Page) -> Result<Block<'_>, Errors> {
    let Fenced { fence: Fence { line: fence_line, start, info }, end } = the_one_block(page)?;
    let mut words = info.split_whitespace();
    let (Some(method), Some(path), None) = (words.next(), words.next(), words.next()) else {
        return Err(page
            .error(format!("the fence says `{info}`; expected `<method> <path>`"))
            .at(Some((fence_line, 1)))
            .into());
    };
    let method = method.to_ascii_lowercase();
    if Method::from_key(&method).is_none() || !path.starts_with('/') {
        return Err(page
            .error(format!("the fence says `{info}`; expected an HTTP method and a path starting with `/`"))
            .at(Some((fence_line, 1)))
            .into());
    }
    Ok(Block {
        method,
        path: path.to_string(),
        yaml: &page.text[start..end],
        offset: start,
        fence_line,
    })
}

/// The page's one closed ```` ````yaml <method> <path> ```` block; an error for none, two, or
/// one never closed.
fn the_one_block(page: &Page) -> Result<Fenced<'_>, Errors> {
    let mut closed: Vec<Fenced<'_>> = Vec::new();
    let mut open: Option<Fence<'_>> = None;
    let mut offset = 0;
    for (index, raw) in page.text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let next = offset + raw.len();
        match open {
            None => {
                if let Some(info) = line.strip_prefix(FENCE).and_then(|l| l.strip_prefix("yaml ")) {
                    open = Some(Fence { line: index + 1, start: next, info: info.trim() });
                }
            }
            // CommonMark lets a closing fence carry trailing blanks.
            Some(fence) if line.trim_end_matches([' ', '\t']) == FENCE => {
                closed.push(Fenced { fence, end: offset });
                open = None;
            }
            Some(_) => {}
        }
        offset = next;
    }
    if let Some(fence) = open {
        return Err(page
            .error("the OpenAPI block opened here is never closed")
            .at(Some((fence.line, 1)))
            .with_hint("the page looks cut off: download it again")
            .into());
    }
    match closed.as_slice() {
        [] => Err(page
            .error("no OpenAPI block: expected a line opening with ````yaml <method> <path>")
            .with_hint("only API reference pages belong in spec/")
            .into()),
        [one] => Ok(*one),
        [_, second, ..] => Err(page
            .error(format!("{} OpenAPI blocks: a page documents exactly one endpoint", closed.len()))
            .at(Some((second.fence.line, 1)))
            .into()),
    }
}
