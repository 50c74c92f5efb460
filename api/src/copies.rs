//! This replica's short-lived copies of rows read on the hot paths (a person's roles, an
//! enterprise's profile). A copy is used for at most `TTL`, and not at all once this process
//! has written any row of its kind since the copy was taken (`Writes::bump`), so a change shows
//! at once on the replica that made it and within `TTL` on the others.
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(1);
/// Copies kept at most; past it the map starts afresh.
const CAPACITY: usize = 100_000;

/// The writes this process made to one kind of row.
pub struct Writes(AtomicU64);

impl Writes {
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// To be called after any write of a row of this kind.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
}

impl Default for Writes {
    fn default() -> Self {
        Self::new()
    }
}

struct Copy<V> {
    writes: u64,
    taken: Instant,
    value: V,
}

/// Copies of one kind of row by id, invalidated by `writes`.
pub struct Copies<V> {
    writes: &'static Writes,
    map: Mutex<HashMap<i64, Copy<V>>>,
}

impl<V: Clone> Copies<V> {
    pub fn new(writes: &'static Writes) -> Self {
        Self {
            writes,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// The copy of `id`, when one was taken less than `TTL` ago and no write happened here since.
    pub fn get(&self, id: i64) -> Option<V> {
        let writes = self.writes.count();
        let map = self.map.lock().ok()?;
        map.get(&id)
            .filter(|c| c.writes == writes && c.taken.elapsed() < TTL)
            .map(|c| c.value.clone())
    }

    /// Keeps what was read; `writes` is the count taken before reading the database.
    pub fn put(&self, id: i64, writes: u64, value: V) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(
                id,
                Copy {
                    writes,
                    taken: Instant::now(),
                    value,
                },
            );
        }
    }

    /// The copy of `id`, or what `read` returns (kept when it succeeds).
    pub async fn get_or_read<E, F, Fut>(&self, id: i64, read: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.get(id) {
            return Ok(value);
        }
        let writes = self.writes.count();
        let value = read().await?;
        self.put(id, writes, value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_serves_until_a_write_here() {
        static WRITES: Writes = Writes::new();
        let copies = Copies::new(&WRITES);
        copies.put(7, WRITES.count(), "seven");
        assert_eq!(copies.get(7), Some("seven"));
        assert_eq!(copies.get(8), None);
        WRITES.bump();
        assert_eq!(copies.get(7), None, "a write made here invalidates every copy");
    }

    #[test]
    fn a_copy_read_before_a_write_is_not_kept_as_current() {
        static WRITES: Writes = Writes::new();
        let copies = Copies::new(&WRITES);
        let before = WRITES.count();
        WRITES.bump();
        copies.put(9, before, "nine");
        assert_eq!(copies.get(9), None);
    }

    #[tokio::test]
    async fn a_failed_read_keeps_nothing() {
        static WRITES: Writes = Writes::new();
        let copies: Copies<u32> = Copies::new(&WRITES);
        let failed: Result<u32, &str> = copies.get_or_read(1, || async { Err("down") }).await;
        assert_eq!(failed, Err("down"));
        assert_eq!(copies.get_or_read(1, || async { Ok::<_, &str>(5) }).await, Ok(5));
        assert_eq!(
            copies.get_or_read(1, || async { Ok::<_, &str>(6) }).await,
            Ok(5),
            "the copy serves"
        );
    }
}
