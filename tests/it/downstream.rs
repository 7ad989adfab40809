//! A downstream program as a user writes it against the crate, and its mock tests: list the
//! models, promote the first `ACTIVE` development deployment, wait until the deployment the
//! promotion builds serves production, and report errors with `anyhow`.

use std::time::Duration;

use anyhow::{Context, bail};
use baseten_management::mock::{self, Answer, MockServer, MockServerExt, Sequence};
use baseten_management::types::{DeploymentStatusV1, DeploymentV1, ModelsV1};
use baseten_management::{Client, StatusCode, Wait};

use crate::check;

/// What the program reports.
#[derive(Debug, PartialEq)]
struct Promoted {
    model: String,
    deployment: String,
    status: String,
}

/// The program: the first model whose development deployment is `ACTIVE` is promoted, and the
/// deployment the promotion answers is waited for until it serves production.
async fn promote_first_active(client: &Client, wait: &Wait) -> anyhow::Result<Promoted> {
    let models = client.list_models().send().await.context("listing the models")?;
    for model in &models.models {
        let development = match client.get_development_deployment().model_id(&model.id).send().await {
            Ok(deployment) => deployment.into_inner(),
            Err(error) if error.status() == Some(StatusCode::NOT_FOUND) => continue,
            Err(error) => {
                return Err(error).with_context(|| format!("reading the development deployment of {}", model.name));
            }
        };
        if development.status != DeploymentStatusV1::Active {
            continue;
        }
        let promoted = client
            .promote_development_deployment()
            .model_id(&model.id)
            .send()
            .await
            .with_context(|| format!("promoting {} of {}", development.id, model.name))?;
        let production = client
            .wait_for_promotion(&model.id, &promoted.id, "production", wait)
            .await
            .with_context(|| format!("waiting for {} of {} to serve production", promoted.id, model.name))?;
        let status = production.status.as_str().to_string();
        return Ok(Promoted { model: model.name.clone(), deployment: production.id, status });
    }
    bail!("no model has an ACTIVE development deployment")
}

fn models() -> ModelsV1 {
    let model = |id: &str, name: &str| {
        serde_json::json!({
            "id": id, "name": name, "created_at": "2026-11-25T12:00:00Z", "deployments_count": 2,
            "production_deployment_id": "p1", "development_deployment_id": "dev-of-".to_string() + id,
            "instance_type_name": "L4", "team_name": "ml",
        })
    };
    serde_json::from_value(serde_json::json!({ "models": [model("m1", "alpha"), model("m2", "beta")] })).unwrap()
}

fn deployment(id: &str, model: &str, status: DeploymentStatusV1, production: bool) -> DeploymentV1 {
    DeploymentV1::builder()
        .id(id)
        .model_id(model)
        .name(id)
        .created_at(baseten_management::chrono::Utc::now())
        .status(status)
        .is_development(!production && id.starts_with("dev"))
        .is_production(production)
        .set_environment(production.then(|| "production".to_string()))
        .active_replica_count(1)
        .try_into()
        .unwrap()
}

/// m1's development deployment is building, m2's is `ACTIVE`; production is `p1`, `ACTIVE`.
async fn site() -> (MockServer, Client) {
    let server = MockServer::start_async().await;
    server.list_models(|_, then| drop(then.ok(&models())));
    server.get_development_deployment(|when, then| {
        when.model_id("m1");
        then.ok(&deployment("dev-of-m1", "m1", DeploymentStatusV1::Building, false));
    });
    server.get_development_deployment(|when, then| {
        when.model_id("m2");
        then.ok(&deployment("dev-of-m2", "m2", DeploymentStatusV1::Active, false));
    });
    // The previous production deployment: already ACTIVE, what a wait on production would see.
    server
        .get_production_deployment(|_, then| drop(then.ok(&deployment("p1", "m2", DeploymentStatusV1::Active, true))));
    let client = mock::client_builder(&server).build().unwrap();
    (server, client)
}

fn quick() -> Wait {
    Wait::default().interval(Duration::from_millis(1)).deadline(Duration::from_secs(10))
}

/// The promotion answers `d9` building; each of `polls` is what `d9` reads as, in turn.
fn promotion(server: &MockServer, polls: &[(DeploymentStatusV1, bool)]) -> Sequence {
    server.promote_development_deployment(|when, then| {
        when.model_id("m2");
        then.ok(&deployment("d9", "m2", DeploymentStatusV1::Building, false));
    });
    let sequence = Sequence::new();
    for (status, production) in polls {
        server.get_deployment(|when, then| {
            sequence.step(when.model_id("m2").deployment_id("d9"));
            then.ok(&deployment("d9", "m2", status.clone(), *production));
        });
    }
    sequence
}

#[tokio::test]
async fn the_program_waits_for_the_promoted_deployment_to_serve_production() {
    let (server, client) = site().await;
    let polls = [
        (DeploymentStatusV1::Building, false),
        (DeploymentStatusV1::Deploying, false),
        (DeploymentStatusV1::Active, false),
        (DeploymentStatusV1::Active, true),
    ];
    let sequence = promotion(&server, &polls);
    let promoted = promote_first_active(&client, &quick()).await.expect("promoted");
    let expected = Promoted { model: "beta".into(), deployment: "d9".into(), status: "ACTIVE".into() };
    check("promote, then wait", "report", promoted, expected);
    check("promote, then wait", "polls of d9", sequence.answered(), 4);
}

#[tokio::test]
async fn the_program_says_when_no_development_deployment_is_active() {
    let server = MockServer::start_async().await;
    server.list_models(|_, then| drop(then.ok(&models())));
    server.get_development_deployment(|_, then| drop(then.error(404, "no development deployment")));
    let client = mock::client_builder(&server).build().unwrap();
    let error = promote_first_active(&client, &quick()).await.unwrap_err();
    check("nothing active", "error", format!("{error:#}"), "no model has an ACTIVE development deployment".into());
}

#[tokio::test]
async fn a_refused_promotion_reads_once_through_the_chain() {
    let (server, client) = site().await;
    server.promote_development_deployment(|_, then| {
        drop(then.error(403, "Promotion is not allowed for this team").header("x-request-id", "req-9"))
    });
    let error = promote_first_active(&client, &quick()).await.unwrap_err();
    check(
        "refused promotion",
        "anyhow's {:#}",
        format!("{error:#}"),
        "promoting dev-of-m2 of beta: promote_development_deployment: HTTP 403 Forbidden: Promotion is not allowed \
         for this team; the API key lacks the permission this operation needs (request id req-9)"
            .to_string(),
    );
}

#[tokio::test]
async fn a_failed_build_after_the_promotion_names_the_deployment_and_its_status() {
    let (server, client) = site().await;
    promotion(&server, &[(DeploymentStatusV1::Building, false), (DeploymentStatusV1::BuildFailed, false)]);
    let error = promote_first_active(&client, &quick()).await.unwrap_err();
    let printed = format!("{error:#}");
    let expected = "waiting for d9 of beta to serve production: deployment d9 of model m2, promoted to production, \
                    failed: BUILD_FAILED after";
    assert!(printed.starts_with(expected), "{printed}");
    assert!(printed.ends_with("a retry or a new deployment may fix it"), "{printed}");
}
