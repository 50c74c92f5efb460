//! Who is calling and what they may do: JWT access tokens, rotating refresh tokens, the
//! `AuthUser` extractor and the declarative access rules.
pub mod extractor;
pub mod jwt;
pub mod policy;
pub mod roles;

pub use extractor::AuthUser;
pub use policy::{Access, Owner, Principal};
