//! Black-box tests of the API: the real server, real HTTP, a mock WeChat.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod authz;
mod bot;
mod callbacks;
mod clues;
mod console;
mod console2;
mod demands;
mod enterprises;
mod errors;
mod events;
mod files;
mod idempotency;
mod import;
mod inspections;
mod limits;
mod operations;
mod oversight;
mod pages;
mod people;
mod policies;
mod privacy;
mod reports;
mod sms;
mod visits;
