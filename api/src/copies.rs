//! This replica's short-lived copies of rows read on the hot paths (a person's roles, an
//! enterprise's profile). A copy is used for at most `TTL`, and not at all once this process
//! has written any row of its kind since the copy was taken (`Writes::bump`), so a change shows
//! at once on the replica that made it and within `TTL` on the others.
//!
//! A copy past half its life is read again in the background by the first request that sees
//! it, while every request (that one too) goes on using it: under load no request waits for the
//! database, and the copies do not all expire at once to send a burst of reads. When there is no
//! copy, one request reads and the others asking for the same thing meanwhile wait for its copy
//! (one read, not one per request: a burst of misses does not become a burst of reads).
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

pub const TTL: Duration = Duration::from_secs(1);
/// Copies kept at most (unless said otherwise); past it the map starts afresh.
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

/// Writes of what the replica's kept answers show (`answers`): demands, their events and files,
/// and policies, counted here by their writers as they write (`service` and `search` sit below
/// `answers`, which publishes the count to the other replicas).
pub static ANSWERED_WRITES: Writes = Writes::new();

/// A value as this replica holds it: when it was read, and under which write count.
struct Held<V> {
    writes: u64,
    taken: Instant,
    /// A background read of it is under way.
    refreshing: bool,
    value: V,
}

/// What a look at the copies found.
enum Look<V> {
    Fresh(V),
    /// Usable, past half its life; this caller reads it again in the background.
    Refresh(V),
    Miss,
}

/// Copies of one kind of row by id (or of anything by a key `K`), invalidated by `writes`.
pub struct Copies<V, K = i64> {
    writes: &'static Writes,
    capacity: usize,
    /// How long a copy serves (`TTL` unless said otherwise).
    life: Duration,
    map: Mutex<HashMap<K, Held<V>>>,
    /// The reads under way for a missing copy, by key: the write count each is kept under, and
    /// a receiver that wakes when it ends (its sender dropped, however the read ended).
    reading: Mutex<HashMap<K, (u64, watch::Receiver<()>)>>,
}

/// What a request missing a copy does: read it, or wait for the read another started.
enum Join<'a, V, K: Hash + Eq> {
    Read(Turn<'a, V, K>),
    Wait(watch::Receiver<()>),
}

/// A read of a missing copy under way; when it ends (or its request is dropped) the requests
/// waiting for it wake.
struct Turn<'a, V, K: Hash + Eq> {
    copies: &'a Copies<V, K>,
    id: K,
    writes: u64,
    _done: watch::Sender<()>,
}

impl<V, K: Hash + Eq> Drop for Turn<'_, V, K> {
    fn drop(&mut self) {
        let mut reading = self.copies.reading.lock().unwrap_or_else(PoisonError::into_inner);
        // A read under a newer count may have taken the key since: that one is not ours.
        if reading.get(&self.id).is_some_and(|(w, _)| *w == self.writes) {
            reading.remove(&self.id);
        }
    }
}

impl<V: Clone + Send + 'static> Copies<V> {
    pub fn new(writes: &'static Writes) -> Self {
        Self::with_capacity(writes, CAPACITY)
    }
}

impl<V: Clone + Send + 'static, K: Hash + Eq + Clone + Send + 'static> Copies<V, K> {
    /// At most `capacity` copies (past it the map starts afresh).
    pub fn with_capacity(writes: &'static Writes, capacity: usize) -> Self {
        Self::with_life(writes, capacity, TTL)
    }

    /// At most `capacity` copies, each serving for `life`.
    pub fn with_life(writes: &'static Writes, capacity: usize, life: Duration) -> Self {
        Self {
            writes,
            capacity,
            life,
            map: Mutex::new(HashMap::new()),
            reading: Mutex::new(HashMap::new()),
        }
    }

    /// The count a copy taken now is kept under: this process's writes, plus `shared` (the
    /// replicas' count of writes, for copies invalidated across replicas).
    pub fn stamp(&self, shared: u64) -> u64 {
        self.writes.count().wrapping_add(shared)
    }

    fn look(&self, id: &K, writes: u64) -> Look<V> {
        let Ok(mut map) = self.map.lock() else {
            return Look::Miss;
        };
        match map.get_mut(id) {
            Some(c) if c.writes == writes && c.taken.elapsed() < self.life => {
                if c.refreshing || c.taken.elapsed() < self.life / 2 {
                    Look::Fresh(c.value.clone())
                } else {
                    c.refreshing = true;
                    Look::Refresh(c.value.clone())
                }
            }
            _ => Look::Miss,
        }
    }

    /// The copy of `id`, when one was taken less than `TTL` ago and no write happened here since.
    pub fn get(&self, id: K) -> Option<V> {
        self.held(&id, self.writes.count())
    }

    /// The copy of `id` kept under `writes`, while it serves.
    fn held(&self, id: &K, writes: u64) -> Option<V> {
        let map = self.map.lock().ok()?;
        map.get(id)
            .filter(|c| c.writes == writes && c.taken.elapsed() < self.life)
            .map(|c| c.value.clone())
    }

    /// The copy of `id` however old (for a read that may find it still current).
    pub fn peek(&self, id: K) -> Option<V> {
        self.map.lock().ok()?.get(&id).map(|c| c.value.clone())
    }

    /// Keeps what was read; `writes` is the count taken before reading the database.
    pub fn put(&self, id: K, writes: u64, value: V) {
        self.keep(id, writes, Instant::now(), value);
    }

    /// Keeps what a read started at `taken` returned: its life runs from the read's start.
    fn keep(&self, id: K, writes: u64, taken: Instant, value: V) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= self.capacity {
                map.clear();
            }
            map.insert(
                id,
                Held {
                    writes,
                    taken,
                    refreshing: false,
                    value,
                },
            );
        }
    }

    /// A background read failed: the next look may try again.
    fn abandon(&self, id: &K) {
        if let Ok(mut map) = self.map.lock()
            && let Some(c) = map.get_mut(id)
        {
            c.refreshing = false;
        }
    }

    /// Joins the read of `id` under `writes` under way, or starts it.
    fn join(&self, id: &K, writes: u64) -> Join<'_, V, K> {
        let mut reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
        match reading.get(id) {
            Some((w, done)) if *w == writes => Join::Wait(done.clone()),
            _ => {
                let (tx, rx) = watch::channel(());
                reading.insert(id.clone(), (writes, rx));
                Join::Read(Turn {
                    copies: self,
                    id: id.clone(),
                    writes,
                    _done: tx,
                })
            }
        }
    }

    /// The copy of `id`, or what `read` returns (kept when it succeeds). Past half the copy's
    /// life, `read` runs in the background (on the current Tokio runtime) and the copy is
    /// answered. Without a copy, one caller reads and the others meanwhile wait for its copy; if
    /// its read fails (or its request is dropped), each of them reads for itself.
    pub async fn get_or_read<E, F, Fut>(self: &Arc<Self>, id: K, read: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
        E: Send + 'static,
    {
        self.get_or_read_at(id, self.stamp(0), read).await
    }

    /// `get_or_read` for copies kept under `stamp` (see `stamp`).
    pub async fn get_or_read_at<E, F, Fut>(self: &Arc<Self>, id: K, writes: u64, read: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
        E: Send + 'static,
    {
        let started = Instant::now();
        match self.look(&id, writes) {
            Look::Fresh(value) => Ok(value),
            Look::Refresh(value) => {
                let copies = Arc::clone(self);
                let reading = read();
                tokio::spawn(async move {
                    match reading.await {
                        Ok(fresh) => copies.keep(id, writes, started, fresh),
                        Err(_) => copies.abandon(&id),
                    }
                });
                Ok(value)
            }
            Look::Miss => {
                let turn = match self.join(&id, writes) {
                    Join::Read(turn) => turn,
                    Join::Wait(mut done) => {
                        // Never sent to: returns when the read's sender is dropped.
                        let _ = done.changed().await;
                        if let Some(value) = self.held(&id, writes) {
                            return Ok(value);
                        }
                        let value = read().await?;
                        self.keep(id, writes, started, value.clone());
                        return Ok(value);
                    }
                };
                let value = read().await?;
                // Kept before the turn ends, so those waiting find it.
                self.keep(id, writes, started, value.clone());
                drop(turn);
                Ok(value)
            }
        }
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
        let copies: Arc<Copies<u32>> = Arc::new(Copies::new(&WRITES));
        let failed: Result<u32, &str> = copies.get_or_read(1, || async { Err("down") }).await;
        assert_eq!(failed, Err("down"));
        assert_eq!(copies.get_or_read(1, || async { Ok::<_, &str>(5) }).await, Ok(5));
        assert_eq!(
            copies.get_or_read(1, || async { Ok::<_, &str>(6) }).await,
            Ok(5),
            "the copy serves"
        );
    }

    /// Lets the background reads run until `done` holds (or a hundred turns passed).
    async fn settle(done: impl Fn() -> bool) {
        for _ in 0..100 {
            if done() {
                return;
            }
            tokio::task::yield_now().await;
        }
    }

    /// Ages the copy of `id` by `by`.
    fn age(copies: &Copies<u32>, id: i64, by: Duration) {
        let mut map = copies.map.lock().unwrap();
        let c = map.get_mut(&id).unwrap();
        c.taken = c.taken.checked_sub(by).unwrap();
    }

    #[tokio::test]
    async fn past_half_its_life_a_copy_is_read_again_once_in_the_background() {
        static WRITES: Writes = Writes::new();
        let copies: Arc<Copies<u32>> = Arc::new(Copies::new(&WRITES));
        copies.put(1, WRITES.count(), 5);
        age(&copies, 1, TTL / 2 + Duration::from_millis(10));
        let reads = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&reads);
        let first = copies
            .get_or_read(1, move || async move {
                counted.fetch_add(1, Ordering::SeqCst);
                Ok::<_, &str>(6)
            })
            .await;
        assert_eq!(first, Ok(5), "the copy answers while it is read again");
        // While the read is under way, others use the copy and start no read of their own.
        let counted = Arc::clone(&reads);
        let second = copies
            .get_or_read(1, move || async move {
                counted.fetch_add(1, Ordering::SeqCst);
                Err::<u32, _>("a second read")
            })
            .await;
        assert_eq!(second, Ok(5));
        settle(|| copies.get(1) == Some(6)).await;
        assert_eq!(copies.get(1), Some(6), "the background read replaced the copy");
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    /// Asks for copy 1 under `stamp` in a task of its own, with a read that counts itself in
    /// `reads`, waits for `gate` to open and returns `result`.
    fn ask(
        copies: &Arc<Copies<u32>>,
        stamp: u64,
        reads: &Arc<AtomicU64>,
        gate: &watch::Receiver<bool>,
        result: Result<u32, &'static str>,
    ) -> tokio::task::JoinHandle<Result<u32, &'static str>> {
        let (copies, reads, mut gate) = (Arc::clone(copies), Arc::clone(reads), gate.clone());
        tokio::spawn(async move {
            copies
                .get_or_read_at(1, stamp, move || async move {
                    reads.fetch_add(1, Ordering::SeqCst);
                    let _ = gate.wait_for(|open| *open).await;
                    result
                })
                .await
        })
    }

    #[tokio::test]
    async fn requests_missing_the_same_copy_meanwhile_wait_for_one_read() {
        static WRITES: Writes = Writes::new();
        let copies: Arc<Copies<u32>> = Arc::new(Copies::new(&WRITES));
        let reads = Arc::new(AtomicU64::new(0));
        let (open, gate) = watch::channel(false);
        let stamp = copies.stamp(0);
        let asking: Vec<_> = (0..8).map(|_| ask(&copies, stamp, &reads, &gate, Ok(5))).collect();
        settle(|| false).await;
        assert_eq!(reads.load(Ordering::SeqCst), 1, "one read, not one per request");
        // Under a newer count (a write since), a request does not wait for the older read.
        let (_opened, open_gate) = watch::channel(true);
        let newer = ask(&copies, stamp + 1, &reads, &open_gate, Ok(6));
        assert_eq!(newer.await.unwrap(), Ok(6));
        open.send(true).unwrap();
        for a in asking {
            assert_eq!(a.await.unwrap(), Ok(5));
        }
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        assert!(copies.reading.lock().unwrap().is_empty(), "no read is left under way");
    }

    #[tokio::test]
    async fn when_the_read_they_wait_for_fails_or_is_dropped_each_reads_for_itself() {
        static WRITES: Writes = Writes::new();
        let copies: Arc<Copies<u32>> = Arc::new(Copies::new(&WRITES));
        let reads = Arc::new(AtomicU64::new(0));
        let stamp = copies.stamp(0);
        // The first read fails: the others are not given its error.
        let (open, gate) = watch::channel(false);
        let failing = ask(&copies, stamp, &reads, &gate, Err("down"));
        settle(|| reads.load(Ordering::SeqCst) == 1).await;
        let (_never, shut) = watch::channel(false);
        let (open_later, later) = watch::channel(false);
        let waiting: Vec<_> = (0..3).map(|_| ask(&copies, stamp, &reads, &later, Ok(7))).collect();
        settle(|| false).await;
        assert_eq!(reads.load(Ordering::SeqCst), 1, "they wait");
        open.send(true).unwrap();
        assert_eq!(failing.await.unwrap(), Err("down"));
        open_later.send(true).unwrap();
        for w in waiting {
            assert_eq!(w.await.unwrap(), Ok(7));
        }
        assert_eq!(
            reads.load(Ordering::SeqCst),
            4,
            "after the failure each read for itself"
        );
        // A request dropped while reading (its client gone) does not leave the others waiting.
        WRITES.bump();
        let stamp = copies.stamp(0);
        let dropped = ask(&copies, stamp, &reads, &shut, Ok(8));
        settle(|| reads.load(Ordering::SeqCst) == 5).await;
        let waiter = ask(&copies, stamp, &reads, &gate, Ok(9));
        settle(|| false).await;
        assert_eq!(reads.load(Ordering::SeqCst), 5, "it waits");
        dropped.abort();
        assert_eq!(waiter.await.unwrap(), Ok(9));
        assert!(copies.reading.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_failed_background_read_is_tried_again_by_a_later_request() {
        static WRITES: Writes = Writes::new();
        let copies: Arc<Copies<u32>> = Arc::new(Copies::new(&WRITES));
        copies.put(1, WRITES.count(), 5);
        age(&copies, 1, TTL / 2 + Duration::from_millis(10));
        let failed = copies.get_or_read(1, || async { Err::<u32, _>("down") }).await;
        assert_eq!(failed, Ok(5));
        let refreshing = || copies.map.lock().unwrap()[&1].refreshing;
        settle(|| !refreshing()).await;
        assert!(!refreshing());
        let next = copies.get_or_read(1, || async { Ok::<_, &str>(7) }).await;
        assert_eq!(next, Ok(5));
        settle(|| copies.get(1) == Some(7)).await;
        assert_eq!(copies.get(1), Some(7));
    }

    #[tokio::test]
    async fn a_copy_kept_under_a_shared_count_serves_only_while_that_count_holds() {
        static WRITES: Writes = Writes::new();
        let copies: Arc<Copies<u32, String>> = Arc::new(Copies::with_capacity(&WRITES, 10));
        let read = |n: u32| move || async move { Ok::<_, &str>(n) };
        let key = || "7 list".to_owned();
        assert_eq!(copies.get_or_read_at(key(), copies.stamp(3), read(1)).await, Ok(1));
        assert_eq!(copies.get_or_read_at(key(), copies.stamp(3), read(2)).await, Ok(1));
        // Another replica wrote: the shared count moved.
        assert_eq!(copies.get_or_read_at(key(), copies.stamp(4), read(3)).await, Ok(3));
        // This process wrote.
        WRITES.bump();
        assert_eq!(copies.get_or_read_at(key(), copies.stamp(4), read(4)).await, Ok(4));
        assert_eq!(
            copies
                .get_or_read_at("8 list".to_owned(), copies.stamp(4), read(5))
                .await,
            Ok(5)
        );
    }

    #[test]
    fn past_its_capacity_the_map_starts_afresh() {
        static WRITES: Writes = Writes::new();
        let copies: Copies<u32, String> = Copies::with_capacity(&WRITES, 2);
        copies.put("a".to_owned(), WRITES.count(), 1);
        copies.put("b".to_owned(), WRITES.count(), 2);
        copies.put("c".to_owned(), WRITES.count(), 3);
        assert_eq!(copies.get("a".to_owned()), None);
        assert_eq!(copies.get("c".to_owned()), Some(3));
    }

    #[test]
    fn a_copy_past_its_life_is_not_used() {
        static WRITES: Writes = Writes::new();
        let copies = Copies::new(&WRITES);
        copies.put(1, WRITES.count(), 5);
        age(&copies, 1, TTL);
        assert_eq!(copies.get(1), None);
    }
}
