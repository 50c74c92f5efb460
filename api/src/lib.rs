//! 亲清 Qinqing: the API server as a library, so the binary and the tests build the same app.
pub mod auth;
pub mod cache;
pub mod clients;
pub mod domain;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod method_table;
pub mod render;
pub mod routes;
pub mod search;
pub mod service;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod types;
