//! Http: the HTTP method, typed: read from a fence, a document's path item or the lifecycles
//! file in any case, written `get` where OpenAPI keys an operation and shown `GET`.

use std::fmt;

/// An HTTP method OpenAPI can key an operation with, in OpenAPI's order of a path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Patch,
        Method::Head,
        Method::Options,
        Method::Trace,
    ];

    /// The method `text` names, in any case; `None` for another word (a path item's
    /// `parameters`, a typo).
    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.key().eq_ignore_ascii_case(text))
    }

    /// The method OpenAPI keys as `key` (`get`, not `GET`); `None` for another key.
    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.key() == key)
    }

    /// As OpenAPI keys an operation under its path: `get`.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Patch => "patch",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
        }
    }
}

/// As a request line shows it: `GET`.
impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        })
    }
}

impl serde::Serialize for Method {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}
