//! Client benchmark: the generated client against hand-written reqwest + serde_json calls to
//! the same local keep-alive server, gives requests per second and their ratio for a
//! `get_deployment` round trip and a `list_models` of 1,000 models.
//! `cargo bench -p tests --bench client`.
//!
//! Each side runs in a process of its own, with its own server, so neither inherits the
//! other's idle connection, server thread or heap. Both sides decode into the same
//! `baseten_management::types`, so the ratio is what the client adds (builder, auth and retry
//! hooks, error mapping), not a difference in structs.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use baseten_management::{Client, types};

mod machine;

const KEY: &str = "bench-key";
const ROUNDS: usize = 41;

const SIDE: &str = "CLIENT_BENCH_SIDE";

/// `(call, requests per run)`.
const CALLS: &[(&str, usize)] = &[("get_deployment round trip", 5_000), ("list_models, 1,000 models", 300)];

fn main() {
    if let Ok(side) = std::env::var(SIDE) {
        return child(&side);
    }
    println!(
        "client benchmark: release build, one connection, requests in sequence; each side in its own process \
         with its own server, {ROUNDS} runs each in alternating order, medians; {}",
        machine::machine()
    );
    println!();
    println!("| call | generated client | hand-written reqwest + serde_json | ratio | target |");
    println!("|---|---|---|---|---|");
    let exe = std::env::current_exe().expect("the bench binary");
    for (call, (name, _)) in CALLS.iter().enumerate() {
        let (mut generated, mut hand, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let mut rates = [0.0; 2];
            for side in [round % 2, 1 - round % 2] {
                let out = std::process::Command::new(&exe)
                    .env(SIDE, format!("{side}:{call}"))
                    .output()
                    .expect("the bench re-runs itself");
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                rates[side] = String::from_utf8_lossy(&out.stdout).trim().parse().expect("a rate");
            }
            generated.push(rates[0]);
            hand.push(rates[1]);
            ratios.push(rates[0] / rates[1]);
        }
        let (generated, hand) = (median(generated), median(hand));
        let ratio = generated / hand;
        let held = if ratio >= 0.95 { "held" } else { "MISSED" };
        ratios.sort_by(f64::total_cmp);
        println!(
            "| {name} | {generated:.0} req/s | {hand:.0} req/s | {ratio:.3}x (runs {:.2}-{:.2}) | >= 0.95x: {held} |",
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}

/// One side (`0` generated, `1` hand-written) of one call: a warm-up, then the timed
/// requests; prints requests per second.
fn child(side: &str) {
    let (side, call) = side.split_once(':').expect("side:call");
    let (_, count) = CALLS[call.parse::<usize>().expect("a call index")];
    let base = serve();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let ours = Client::builder().base_url(&base).api_key(KEY).build().expect("a client");
    // The generated client's timeouts (10 s connect, 60 s per request), as careful code sets them.
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a reqwest client");
    // Hand-written code builds each URL from its arguments, as the generated builders do.
    let (model_id, deployment_id) = (std::hint::black_box("m1"), std::hint::black_box("d1"));
    let one = || async {
        match (side, call) {
            ("0", "0") => {
                let value =
                    ours.get_deployment().model_id("m1").deployment_id("d1").send().await.expect("get_deployment");
                std::hint::black_box(value.into_inner());
            }
            ("1", "0") => {
                let value: types::DeploymentV1 =
                    hand_written(&http, &format!("{base}/v1/models/{model_id}/deployments/{deployment_id}")).await;
                std::hint::black_box(value);
            }
            ("0", _) => {
                let value = ours.list_models().send().await.expect("list_models");
                assert_eq!(value.models.len(), 1_000);
                std::hint::black_box(value.into_inner());
            }
            _ => {
                let value: types::ModelsV1 = hand_written(&http, &format!("{base}/v1/models")).await;
                assert_eq!(value.models.len(), 1_000);
                std::hint::black_box(value);
            }
        }
    };
    let rate = runtime.block_on(async {
        for _ in 0..count / 5 {
            one().await;
        }
        let start = Instant::now();
        for _ in 0..count {
            one().await;
        }
        count as f64 / start.elapsed().as_secs_f64()
    });
    println!("{rate}");
}

/// What a hand-written call does: GET with the key, check the status, decode the body.
async fn hand_written<T: serde::de::DeserializeOwned>(http: &reqwest::Client, url: &str) -> T {
    let response = http
        .get(url)
        .header(reqwest::header::AUTHORIZATION, format!("Api-Key {KEY}"))
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.bytes().await.expect("a body");
    serde_json::from_slice(&body).expect("the documented type")
}

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering `/v1/models` with 1,000 models and
/// anything else with one deployment; gives its base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let deployment = response(&deployment(0));
    let models: Vec<serde_json::Value> = (0..1_000).map(model).collect();
    let models = response(&serde_json::json!({ "models": models }));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (deployment, models) = (deployment.clone(), models.clone());
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
                let mut writer = stream;
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                    // The rest of the head; these GETs have no body.
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let body = if path == "/v1/models" { &models } else { &deployment };
                    if writer.write_all(body).is_err() {
                        return;
                    }
                }
            });
        }
    });
    std::thread::sleep(Duration::from_millis(10));
    base
}

fn response(body: &serde_json::Value) -> Vec<u8> {
    let body = body.to_string();
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
        .into_bytes()
}

fn deployment(n: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("d{n}"), "created_at": "2026-01-02T03:04:05Z", "name": "production", "model_id": "m1",
        "is_production": true, "is_development": false, "status": "ACTIVE", "active_replica_count": 2,
        "autoscaling_settings": {"min_replica": 1, "max_replica": 4, "autoscaling_window": 60,
            "scale_down_delay": 900, "concurrency_target": 3, "target_utilization_percentage": 70},
        "instance_type_name": "H100", "environment": "production", "labels": {"team": "ml"},
    })
}

fn model(n: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("m{n:04}"), "name": format!("model-{n}"), "created_at": "2026-01-02T03:04:05Z",
        "deployments_count": n % 7, "production_deployment_id": format!("d{n}"),
        "development_deployment_id": null, "instance_type_name": "A10G",
    })
}
