//! Every paginated list's `.stream()` against mocks: it follows the pages to the last (through
//! an empty one), sends the call's page size on each, and ends with the error of a page that
//! fails, or with an error naming a cursor the server gives twice. The cases are generated from
//! the spec (`streams/cases.rs`), one per paginated list; the harness is this file. Needs the
//! `mock` feature (`Cargo.toml` says so).

use std::fmt::Debug;

use baseten_management::mock::httpmock::Method::GET;
use baseten_management::mock::{self, MockServer};
use baseten_management::{Client, Error, StatusCode};
use futures::stream::BoxStream;
use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::{Value, json};

#[path = "streams/cases.rs"]
mod cases;

/// How one operation's pages link, as the mocks serve them.
struct Pages {
    path: &'static str,
    argument: &'static str,
    cursor: bool,
    items: &'static str,
    size: Option<&'static str>,
    page: &'static str,
    item: &'static str,
}

/// An operation's `.stream()`, with its page size and path arguments set.
type Streamed<T> = for<'c> fn(&'c Client) -> BoxStream<'c, Result<T, Error>>;

impl Pages {
    /// The three checks of a paginated list: it reads every page (one of them empty), ends with
    /// the error of a page that fails, and with `RepeatedCursor` when a page links to itself.
    async fn check<T: Debug>(&self, stream: Streamed<T>) {
        let (_server, client) = self.serve(&[2, 0, 1], None, false).await;
        let items: Vec<_> = stream(&client).try_collect().await.expect("every page");
        assert_eq!(items.len(), 3, "two items, an empty page, then one item");

        let (_server, client) = self.serve(&[2, 1], Some(1), false).await;
        let got: Vec<_> = stream(&client).collect().await;
        assert_eq!(got.len(), 3, "the first page's two items, then page two's error: {got:?}");
        assert!(got[..2].iter().all(Result::is_ok), "{got:?}");
        let error = got[2].as_ref().expect_err("page two failed");
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR), "{error}");

        let (_server, client) = self.serve(&[2, 1], None, true).await;
        // At most 10: a stream that followed the repeated cursor would never end.
        let got: Vec<_> = stream(&client).take(10).collect().await;
        assert_eq!(got.len(), 4, "three items, then the repeated cursor's error: {got:?}");
        let error = got[3].as_ref().expect_err("page two links to itself");
        let repeated = self.token(1);
        assert!(matches!(error, Error::RepeatedCursor { cursor, .. } if *cursor == repeated), "{error:?}");
    }

    /// A server of linked pages of `sizes` items each, and a client of it; page `fail`, when
    /// some, answers 500; the last page links to itself when `repeat`.
    async fn serve(&self, sizes: &[usize], fail: Option<usize>, repeat: bool) -> (MockServer, Client) {
        let server = MockServer::start_async().await;
        let item: Value = serde_json::from_str(self.item).expect("an item");
        for (n, size) in sizes.iter().enumerate() {
            let next = match n + 1 < sizes.len() {
                true => Some(n + 1),
                false => repeat.then_some(n),
            };
            let mut page: Value = serde_json::from_str(self.page).expect("a page");
            page[self.items] = Value::Array(vec![item.clone(); *size]);
            if self.cursor {
                let cursor = next.map(|n| self.token(n));
                page["pagination"] = json!({ "has_more": next.is_some(), "cursor": cursor });
            } else {
                page["next_page_token"] = json!(next);
            }
            server.mock(|when, then| {
                let when = when.method(GET).path(self.path);
                let when = match n {
                    0 => when.query_param_missing(self.argument),
                    _ => when.query_param(self.argument, self.token(n)),
                };
                let _ = match self.size {
                    Some(size) => when.query_param(size, "2"),
                    None => when,
                };
                match fail == Some(n) {
                    true => then.status(500).json_body(json!({ "error": "this page failed" })),
                    false => then.status(200).json_body(page),
                };
            });
        }
        let client = mock::client_builder(&server).build().expect("a client");
        (server, client)
    }

    fn token(&self, n: usize) -> String {
        if self.cursor { format!("c{n}") } else { n.to_string() }
    }
}
