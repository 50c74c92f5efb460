//! Pure types and rules: parsed once at the edge, trusted everywhere after.
pub mod enterprise;
pub mod industry;
pub mod phone;
pub mod role;
pub mod uscc;
