//! Clients of outside HTTP services; each takes its base URL from settings so tests can
//! point it at a local mock.
pub mod sms;
pub mod wechat;
