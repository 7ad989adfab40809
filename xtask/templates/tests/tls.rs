//! The TLS backend the crate's features chose: the one the documented precedence names, set up
//! without error, and speaking TLS on an `https` URL. CI runs this with each backend's feature.

use baseten_management::{Client, Error, RetryPolicy, TLS_BACKEND};
use tokio::io::AsyncReadExt;

#[test]
fn the_first_backend_on_of_native_tls_rustls_ring_rustls_is_chosen() {
    let expected = if cfg!(feature = "native-tls") {
        "native-tls"
    } else if cfg!(feature = "rustls-ring") {
        "rustls-ring"
    } else {
        "rustls"
    };
    assert_eq!(TLS_BACKEND, expected);
}

#[tokio::test]
async fn an_https_call_opens_with_a_tls_handshake() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    // The first bytes the client sends; then the connection closes, unanswered.
    let first = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = [0u8; 3];
        stream.read_exact(&mut head).await.expect("a record header");
        head
    });
    let client = Client::builder()
        .base_url(format!("https://127.0.0.1:{port}"))
        .api_key("test-api-key")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap_or_else(|e| panic!("{TLS_BACKEND}: {e}"));
    let error = client.list_models().send().await.expect_err("no TLS server answers");
    assert!(matches!(error, Error::Transport { .. }), "{TLS_BACKEND}: {error:?}");
    // A TLS record: content type 22 (handshake), protocol version 3.x.
    let head = first.await.expect("the listener task");
    assert_eq!((head[0], head[1]), (22, 3), "{TLS_BACKEND}: not a TLS handshake: {head:?}");
}
