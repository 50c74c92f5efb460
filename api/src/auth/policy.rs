//! The access vocabulary for handlers: `domain::access` (the person, the object, the named sets
//! of who may act), re-exported where the handlers look for it.
pub use crate::domain::access::*;
