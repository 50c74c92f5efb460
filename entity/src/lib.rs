//! SeaORM entities, one module per table. They mirror the migrations in `migration`
//! (written by hand in SeaORM's compact format; the migrations are the source of truth).
pub mod app_meta;
pub mod binding_request;
pub mod enterprise;
pub mod refresh_token;
pub mod role_grant;
pub mod unit;
pub mod user;
