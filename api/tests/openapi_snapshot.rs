//! The contract in review: `api/openapi.json` is the OpenAPI document the server builds from its
//! route map, committed, so that a change of the API shows in the diff and the clients' types
//! (generated from this file) follow it. Refresh it with
//! `UPDATE_OPENAPI=1 cargo test -p api --test openapi_snapshot`.
use std::path::Path;

#[test]
fn the_committed_openapi_document_is_the_one_the_server_builds() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let built = serde_json::to_string_pretty(&api::startup::openapi()).unwrap() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &built).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap_or_default();
    let built_value: serde_json::Value = serde_json::from_str(&built).unwrap();
    assert!(
        committed == built_value,
        "api/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p api --test openapi_snapshot`, \
         then `npm run gen:api` in miniprogram/ (and console/), and commit the changes"
    );
}
