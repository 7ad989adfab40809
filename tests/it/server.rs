//! A scripted HTTP/1.1 server on 127.0.0.1 for the client tests: each request gets the next
//! reply of its script (the last one repeats), and every request is recorded. Replies can be
//! what no mock framework sends: a body cut off mid-way, a connection closed unanswered.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One reply.
#[derive(Clone, Debug)]
pub(crate) enum Reply {
    /// A complete response: status, extra headers (a `content-type` among them replaces
    /// `application/json`), body.
    Json(u16, Vec<(&'static str, String)>, String),
    /// `Content-Length` announces `announced` bytes, `body` has fewer; then the connection closes.
    Truncated { announced: usize, body: String },
    /// The connection closes without a response.
    Hangup,
    /// The connection stays open, never answered (until the server is dropped).
    Hang,
}

impl Reply {
    pub(crate) fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::Json(status, Vec::new(), body.into())
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub at: std::time::Instant,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub(crate) struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub(crate) async fn start(script: Vec<Reply>) -> Server {
        assert!(!script.is_empty(), "a script needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let seen = recorded.lock().unwrap().len();
                let reply = script[seen.min(script.len() - 1)].clone();
                if let Some(request) = serve(stream, |_| reply).await {
                    recorded.lock().unwrap().push(request);
                }
            }
        });
        Server { url, requests, task }
    }

    /// A server that answers by path: each path has its own script (its last reply repeats);
    /// an unknown path gets a 404. Connections are served concurrently.
    pub(crate) async fn routes(routes: Vec<(&str, Vec<Reply>)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let routes: std::collections::HashMap<String, Vec<Reply>> =
            routes.into_iter().map(|(path, script)| (path.to_string(), script)).collect();
        let routes = Arc::new(routes);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (routes, recorded) = (Arc::clone(&routes), Arc::clone(&recorded));
                connections.spawn(async move {
                    let choose = |request: &Request| {
                        let seen =
                            recorded.lock().unwrap().iter().filter(|r: &&Request| r.path == request.path).count();
                        match routes.get(&request.path) {
                            Some(script) => script[seen.min(script.len() - 1)].clone(),
                            None => Reply::json(404, r#"{"error": "not found"}"#),
                        }
                    };
                    let recorded_early = Arc::clone(&recorded);
                    let _ = serve_recording(stream, choose, recorded_early).await;
                });
            }
        });
        Server { url, requests, task }
    }

    pub(crate) fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Like [`serve`], recording the request before answering (a hanging reply never returns).
async fn serve_recording(
    stream: TcpStream,
    choose: impl FnOnce(&Request) -> Reply,
    recorded: Arc<Mutex<Vec<Request>>>,
) -> Option<()> {
    serve(stream, |request| {
        let reply = choose(request);
        recorded.lock().unwrap().push(request.clone());
        reply
    })
    .await
    .map(|_| ())
}

/// Reads one request from `stream`, answers it with the reply `choose` picks, and closes the
/// connection.
async fn serve(mut stream: TcpStream, choose: impl FnOnce(&Request) -> Reply) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let (method, path) = (start.next()?.to_string(), start.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let request = Request { method, path, headers, at: std::time::Instant::now() };

    let response = match choose(&request) {
        Reply::Json(status, extra, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\nconnection: close\r\n",
                reason(status),
                body.len()
            );
            if !extra.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
                head.push_str("content-type: application/json\r\n");
            }
            for (name, value) in extra {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            format!("{head}\r\n{body}")
        }
        Reply::Truncated { announced, body } => format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\nconnection: close\r\n\r\n{body}"
        ),
        Reply::Hangup => String::new(),
        Reply::Hang => {
            std::future::pending::<()>().await;
            String::new()
        }
    };
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    Some(request)
}

/// A listener on 127.0.0.1 that accepts and never answers: its URL, and the task holding the
/// connections open (until dropped).
pub(crate) async fn silent() -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let hold = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    (url, hold)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
