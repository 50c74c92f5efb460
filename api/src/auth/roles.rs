//! This replica's short-lived copy of each person's active roles, read on every request by the
//! `AuthUser` extractor. A copy is used for at most `TTL`, and not at all once this process
//! has changed any grant since it was taken (`changed`), so a grant or a revocation shows at
//! once on the replica that made it and within `TTL` on the others.
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::extractor::ActiveRole;

pub const TTL: Duration = Duration::from_secs(1);
/// Copies kept at most; past it the map starts afresh.
const CAPACITY: usize = 100_000;

/// Grant writes made by this process.
static GRANT_WRITES: AtomicU64 = AtomicU64::new(0);

/// To be called after any change of a person's grants (or of the person).
pub fn changed() {
    GRANT_WRITES.fetch_add(1, Ordering::AcqRel);
}

struct Copy {
    writes: u64,
    taken: Instant,
    /// `None`: no such person, or deleted.
    roles: Option<Vec<ActiveRole>>,
}

#[derive(Default)]
pub struct RoleCache(Mutex<HashMap<i64, Copy>>);

impl RoleCache {
    pub fn get(&self, user_id: i64) -> Option<Option<Vec<ActiveRole>>> {
        let writes = GRANT_WRITES.load(Ordering::Acquire);
        let map = self.0.lock().ok()?;
        map.get(&user_id)
            .filter(|c| c.writes == writes && c.taken.elapsed() < TTL)
            .map(|c| c.roles.clone())
    }

    /// Keeps what was read; `writes` is the count read before reading the database.
    pub fn put(&self, user_id: i64, writes: u64, roles: Option<Vec<ActiveRole>>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(
                user_id,
                Copy {
                    writes,
                    taken: Instant::now(),
                    roles,
                },
            );
        }
    }

    pub fn writes() -> u64 {
        GRANT_WRITES.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Role;

    #[test]
    fn a_copy_serves_until_a_grant_changes_here() {
        let cache = RoleCache::default();
        let roles = vec![ActiveRole {
            role: Role::Butler,
            enterprise_id: None,
            unit_id: None,
        }];
        cache.put(7, RoleCache::writes(), Some(roles.clone()));
        assert_eq!(cache.get(7), Some(Some(roles)));
        assert_eq!(cache.get(8), None);
        changed();
        assert_eq!(cache.get(7), None, "a change made here invalidates every copy");
    }

    #[test]
    fn a_copy_read_before_a_change_is_not_kept_as_current() {
        let cache = RoleCache::default();
        let before = RoleCache::writes();
        changed();
        cache.put(9, before, None);
        assert_eq!(cache.get(9), None);
    }
}
