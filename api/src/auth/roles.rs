//! This replica's short-lived copy of each person's active roles and ended sign-ins, read on every request by the
//! `AuthUser` extractor (see `copies`): a grant or a revocation shows at once on the replica
//! that made it and within `copies::TTL` on the others.
use crate::copies::{Copies, Writes};

/// Grant writes made by this process.
pub static GRANT_WRITES: Writes = Writes::new();

/// To be called after any change of a person's grants, sign-ins (or of the person).
pub fn changed() {
    GRANT_WRITES.bump();
}

/// `None`: no such person, or deleted.
pub type RoleCache = Copies<Option<std::sync::Arc<crate::service::people::Standing>>>;

pub fn cache() -> RoleCache {
    Copies::new(&GRANT_WRITES)
}
