//! Pure types and rules: parsed once at the edge, trusted everywhere after.
pub mod calendar;
pub mod demand;
pub mod enterprise;
pub mod event;
pub mod form;
pub mod geo;
pub mod industry;
pub mod phone;
pub mod policy;
pub mod registry;
pub mod role;
pub mod topics;
pub mod uscc;
