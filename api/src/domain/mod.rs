//! Pure types and rules: parsed once at the edge, trusted everywhere after. Uses nothing of the
//! crate outside `domain` (a test holds it to that).
use serde::Serialize;
use utoipa::ToSchema;

pub mod access;
pub mod calendar;
pub mod callback;
pub mod clue;
pub mod customer_group;
pub mod demand;
pub mod enterprise;
pub mod event;
pub mod figures;
pub mod form;
mod fuzz;
pub mod geo;
pub mod image;
pub mod industry;
pub mod inspection;
pub mod leniency;
pub mod media;
pub mod moves;
pub mod phone;
pub mod plan;
pub mod policy;
pub mod queue;
pub mod registry;
pub mod report;
pub mod role;
pub mod sealed;
pub mod sheet;
pub mod time;
pub mod topics;
pub mod uscc;
pub mod user_agent;
pub mod visit;

/// A problem with one input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `uscc` or `items[2].name`.
    pub field: String,
    /// Stable code, e.g. `required`, `invalid_check_digit`.
    pub code: String,
    /// 中文说明.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}
