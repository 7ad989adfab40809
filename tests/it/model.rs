//! The typed documents and the model the stages after the merge read: a document is typed by
//! its `openapi` version, and the model of one reads each call and schema as the stages need it
//! (path-level arguments first, `$ref`s followed, the document's security when the operation has
//! none, the docs section from the first tag, the way each schema travels).

use serde_json::json;
use xtask::direction::Direction;
use xtask::model::Model;
use xtask::{OpenApi30, OpenApi31};

use crate::check;

#[test]
fn a_document_is_typed_by_its_openapi_version() {
    let v31 = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}});
    check("a 3.1 document", "read as 3.1", OpenApi31::from_value(v31.clone()).is_ok(), true);
    let as_30 = OpenApi30::from_value(v31.clone()).err();
    check("a 3.1 document", "read as 3.0", as_30.as_deref(), Some("`openapi: 3.1.0` where OpenAPI 3.0.x was expected"));
    let none = OpenApi30::from_value(json!({"paths": {}})).err();
    check("no version", "read as 3.0", none.as_deref(), Some("no `openapi` field: not an OpenAPI 3.0.x document"));

    // The downgrade's document says 3.0.3, first, whatever the 3.1 one held.
    let merged = OpenApi31::from_value(v31).unwrap();
    let provenance = xtask::provenance::Provenance::one_page("spec/case.md");
    let downgraded = xtask::downgrade::downgrade(&merged, &provenance).unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<&str> = downgraded.as_object().unwrap().keys().map(String::as_str).collect();
    check("the downgraded document", "keys", keys, vec!["openapi", "info", "paths"]);
    check("the downgraded document", "openapi", &downgraded["openapi"], &json!("3.0.3"));
}

#[test]
fn the_model_reads_each_call_as_the_stages_need_it() {
    let document = json!({
        "openapi": "3.0.3",
        "servers": [{"url": "https://api.example.com/"}],
        "security": [{"ApiKey": []}],
        "tags": [{"name": "models", "description": "Models"}, {"name": "secrets"}],
        "paths": {
            "/v1/models/{model_id}": {
                "parameters": [{"$ref": "#/components/parameters/ModelId"}],
                "get": {
                    "operationId": "get_model", "tags": ["models"], "summary": "Gets a model",
                    "parameters": [{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Model"}}}}},
                },
                "post": {
                    "operationId": "update_model", "security": [{"Bearer": []}],
                    "requestBody": {"$ref": "#/components/requestBodies/Update"},
                    "responses": {"200": {"description": "ok"}},
                },
                "summary": "not an operation",
            },
        },
        "components": {
            "parameters": {"ModelId": {"name": "model_id", "in": "path", "required": true, "schema": {"type": "string"}}},
            "requestBodies": {"Update": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Update"}}}}},
            "schemas": {
                "Model": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
                "Owner": {"type": "object"},
                "Update": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
                "Unused": {"type": "object"},
            },
            "securitySchemes": {
                "ApiKey": {"type": "apiKey", "in": "header", "name": "Authorization"},
                "Bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    });
    let model = Model::of(&document);
    let calls: Vec<String> = model
        .calls
        .iter()
        .map(|call| {
            let arguments: Vec<String> = call
                .parameters
                .iter()
                .map(|p| format!("{} in {}{}", p.name, p.location, if p.required { ", required" } else { "" }))
                .collect();
            let body = call.body.as_ref().map(|b| (b.schema.map(|s| s["$ref"].clone()), b.required));
            let schemes: Option<Vec<String>> = call.security.as_ref().map(|schemes| {
                schemes.iter().map(|s| format!("{} ({})", s.name, s.field("type").unwrap_or("?"))).collect()
            });
            format!(
                "{} {} {} at {}: section {:?}, summary {:?}, arguments {arguments:?}, body {body:?}, answer {:?}, schemes {schemes:?}",
                call.id,
                call.method.key(),
                call.path,
                call.at,
                call.section,
                call.summary,
                call.answer.map(|a| a["$ref"].clone()),
            )
        })
        .collect();
    check(
        "two operations under one path",
        "calls",
        calls,
        vec![
            "get_model get /v1/models/{model_id} at /paths/~1v1~1models~1{model_id}/get: section Some(\"models\"), \
             summary Some(\"Gets a model\"), arguments [\"model_id in path, required\", \"verbose in query\"], body None, \
             answer Some(String(\"#/components/schemas/Model\")), schemes Some([\"ApiKey (apiKey)\"])"
                .to_string(),
            "update_model post /v1/models/{model_id} at /paths/~1v1~1models~1{model_id}/post: section None, \
             summary None, arguments [\"model_id in path, required\"], body Some((Some(String(\"#/components/schemas/Update\")), true)), \
             answer None, schemes Some([\"Bearer (http)\"])"
                .to_string(),
        ],
    );
    let schemas: Vec<(&str, Direction)> = model.schemas.iter().map(|s| (s.name, s.direction)).collect();
    check(
        "a schema read, one sent, one both, one neither",
        "directions",
        schemas,
        vec![
            ("Model", Direction::Response),
            ("Owner", Direction::Both),
            ("Update", Direction::Request),
            // Nothing reaches it: read as a response's, the tolerant choice.
            ("Unused", Direction::Response),
        ],
    );
    let tags: Vec<(&str, Option<&str>)> = model.tags.iter().map(|t| (t.name, t.description)).collect();
    check("two tags", "tags", tags, vec![("models", Some("Models")), ("secrets", None)]);
    check("one server", "server", model.server, Some("https://api.example.com/"));
    let groups: Vec<(Option<String>, Vec<String>)> = xtask::sections::groups(&model)
        .into_iter()
        .map(|g| (g.section.map(|s| s.title), g.operations))
        .collect();
    check(
        "a tagged and an untagged call",
        "groups",
        groups,
        vec![(Some("Models".into()), vec!["get_model".into()]), (None, vec!["update_model".into()])],
    );
}
