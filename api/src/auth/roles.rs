//! This replica's short-lived copy of each person's active roles and ended sign-ins, read on every request by the
//! `AuthUser` extractor (see `copies`): a grant or a revocation shows at once on the replica
//! that made it and within `copies::TTL` on the others.
use crate::copies::Copies;
use crate::service::people::GRANT_WRITES;

/// `None`: no such person, or deleted.
pub type RoleCache = Copies<Option<std::sync::Arc<crate::service::people::Standing>>>;

pub fn cache() -> RoleCache {
    Copies::new(&GRANT_WRITES)
}
