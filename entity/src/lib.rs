//! SeaORM entities, one module per table. They mirror the migrations in `migration`
//! (written by hand in SeaORM's compact format; the migrations are the source of truth).
pub mod app_meta;
pub mod binding_request;
pub mod complaint;
pub mod complaint_metoo;
pub mod demand;
pub mod demand_attachment;
pub mod demand_event;
pub mod demand_follower;
pub mod enterprise;
pub mod event;
pub mod event_invite;
pub mod file;
pub mod form_submission;
pub mod form_template;
pub mod holiday;
pub mod idempotency_key;
pub mod ms_assignment;
pub mod ms_target;
pub mod notification;
pub mod refresh_token;
pub mod reply_template;
pub mod role_grant;
pub mod subscribe_credit;
pub mod unit;
pub mod user;
