//! Extract: takes a docs page, gives its one fenced OpenAPI block (the fence's method and path,
//! the YAML text, and the page line the YAML starts on).

use crate::error::Errors;
use crate::page::Page;

pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

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

pub fn extract(page: &Page) -> Result<Block<'_>, Errors> {
    let text = page.text.as_str();
    let mut opened: Vec<(usize, usize, &str, usize)> = Vec::new(); // (line, start, info, end)
    let mut open: Option<(usize, usize, &str)> = None;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let next = offset + raw.len();
        match open {
            None => {
                if let Some(info) = line.strip_prefix(FENCE).and_then(|l| l.strip_prefix("yaml ")) {
                    open = Some((index + 1, next, info.trim()));
                }
            }
            Some((fence_line, start, info)) => {
                if line == FENCE {
                    opened.push((fence_line, start, info, offset));
                    open = None;
                }
            }
        }
        offset = next;
    }
    if let Some((fence_line, _, _)) = open {
        return Err(page
            .error("the OpenAPI block opened here is never closed")
            .at(Some((fence_line, 1)))
            .with_hint("the page looks cut off: download it again")
            .into());
    }
    let (fence_line, start, info, end) = match opened.as_slice() {
        [] => {
            return Err(page
                .error("no OpenAPI block: expected a line opening with ````yaml <method> <path>")
                .with_hint("only API reference pages belong in spec/")
                .into());
        }
        [one] => *one,
        [_, second, ..] => {
            return Err(page
                .error(format!("{} OpenAPI blocks: a page documents exactly one endpoint", opened.len()))
                .at(Some((second.0, 1)))
                .into());
        }
    };
    let mut words = info.split_whitespace();
    let (Some(method), Some(path), None) = (words.next(), words.next(), words.next()) else {
        return Err(page
            .error(format!("the fence says `{info}`; expected `<method> <path>`"))
            .at(Some((fence_line, 1)))
            .into());
    };
    let method = method.to_ascii_lowercase();
    if !METHODS.contains(&method.as_str()) || !path.starts_with('/') {
        return Err(page
            .error(format!("the fence says `{info}`; expected an HTTP method and a path starting with `/`"))
            .at(Some((fence_line, 1)))
            .into());
    }
    Ok(Block {
        method,
        path: path.to_string(),
        yaml: &text[start..end],
        offset: start,
        fence_line,
    })
}
