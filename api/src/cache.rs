//! A small key/value cache with expiry: Redis when configured (shared by replicas), an
//! in-process map otherwise (the embedded default). Every key gets the configured prefix.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

/// Leaves the shared cache alone for a while after it failed, so that no request waits for
/// Redis's timeouts while Redis is away or hangs (the rate limits, the kept answers).
pub struct Rest {
    span: Duration,
    /// When it failed, since it last answered.
    failed: Mutex<Option<Instant>>,
}

impl Rest {
    pub const fn new(span: Duration) -> Self {
        Self {
            span,
            failed: Mutex::new(None),
        }
    }

    /// It failed less than `span` ago: do without it.
    pub fn resting(&self) -> bool {
        self.failed
            .lock()
            .ok()
            .and_then(|at| *at)
            .is_some_and(|at| at.elapsed() < self.span)
    }

    /// It failed: true for the first failure since it last answered (to log once).
    pub fn failed(&self) -> bool {
        self.failed
            .lock()
            .map(|mut at| at.replace(Instant::now()).is_none())
            .unwrap_or(false)
    }

    /// It answered: true when it had failed before (to log its return).
    pub fn answered(&self) -> bool {
        self.failed.lock().map(|mut at| at.take().is_some()).unwrap_or(false)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("in-process cache lock poisoned")]
    Poisoned,
}

#[derive(Clone)]
pub enum Cache {
    Memory {
        prefix: String,
        entries: Arc<Mutex<HashMap<String, (String, Instant)>>>,
    },
    Redis {
        prefix: String,
        conn: ConnectionManager,
    },
}

impl Cache {
    pub fn memory(prefix: &str) -> Self {
        Cache::Memory {
            prefix: prefix.to_owned(),
            entries: Arc::default(),
        }
    }

    pub async fn redis(url: &str, prefix: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(3)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client, config).await?;
        Ok(Cache::Redis {
            prefix: prefix.to_owned(),
            conn,
        })
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Cache::Memory { .. } => "in-process",
            Cache::Redis { .. } => "redis",
        }
    }

    fn key(prefix: &str, key: &str) -> String {
        format!("{prefix}{key}")
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        match self {
            Cache::Memory { prefix, entries } => {
                let mut map = entries.lock().map_err(|_| CacheError::Poisoned)?;
                let k = Self::key(prefix, key);
                match map.get(&k) {
                    Some((value, expires)) if *expires > Instant::now() => Ok(Some(value.clone())),
                    Some(_) => {
                        map.remove(&k);
                        Ok(None)
                    }
                    None => Ok(None),
                }
            }
            Cache::Redis { prefix, conn } => Ok(conn.clone().get(Self::key(prefix, key)).await?),
        }
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        match self {
            Cache::Memory { prefix, entries } => {
                let mut map = entries.lock().map_err(|_| CacheError::Poisoned)?;
                map.insert(Self::key(prefix, key), (value.to_owned(), Instant::now() + ttl));
                Ok(())
            }
            Cache::Redis { prefix, conn } => {
                let secs = ttl.as_secs().max(1);
                let () = conn.clone().set_ex(Self::key(prefix, key), value, secs).await?;
                Ok(())
            }
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), CacheError> {
        match self {
            Cache::Memory { prefix, entries } => {
                entries
                    .lock()
                    .map_err(|_| CacheError::Poisoned)?
                    .remove(&Self::key(prefix, key));
                Ok(())
            }
            Cache::Redis { prefix, conn } => {
                let _: i64 = conn.clone().del(Self::key(prefix, key)).await?;
                Ok(())
            }
        }
    }

    /// Sets `key` only if it is absent (a lease); true when this caller got it.
    pub async fn set_nx(&self, key: &str, value: &str, ttl: Duration) -> Result<bool, CacheError> {
        match self {
            Cache::Memory { prefix, entries } => {
                let mut map = entries.lock().map_err(|_| CacheError::Poisoned)?;
                let k = Self::key(prefix, key);
                let now = Instant::now();
                if map.get(&k).is_some_and(|(_, expires)| *expires > now) {
                    return Ok(false);
                }
                map.insert(k, (value.to_owned(), now + ttl));
                Ok(true)
            }
            Cache::Redis { prefix, conn } => {
                let opts = redis::SetOptions::default()
                    .conditional_set(redis::ExistenceCheck::NX)
                    .with_expiration(redis::SetExpiry::PX(
                        u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1),
                    ));
                let reply: Option<String> = conn.clone().set_options(Self::key(prefix, key), value, opts).await?;
                Ok(reply.is_some())
            }
        }
    }

    /// Deletes `key` only while it still holds `value` (a lease released by its holder, not
    /// one another replica has taken since). True when it was deleted.
    pub async fn delete_if(&self, key: &str, value: &str) -> Result<bool, CacheError> {
        match self {
            Cache::Memory { prefix, entries } => {
                let mut map = entries.lock().map_err(|_| CacheError::Poisoned)?;
                let k = Self::key(prefix, key);
                if map.get(&k).is_some_and(|(v, _)| v == value) {
                    map.remove(&k);
                    return Ok(true);
                }
                Ok(false)
            }
            Cache::Redis { prefix, conn } => {
                let script = redis::Script::new(
                    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
                );
                let deleted: i64 = script
                    .key(Self::key(prefix, key))
                    .arg(value)
                    .invoke_async(&mut conn.clone())
                    .await?;
                Ok(deleted == 1)
            }
        }
    }

    /// Adds one to the count at `key` (kept until deleted); returns the new count.
    pub async fn incr(&self, key: &str) -> Result<u64, CacheError> {
        match self {
            Cache::Memory { prefix, entries } => {
                let mut map = entries.lock().map_err(|_| CacheError::Poisoned)?;
                let k = Self::key(prefix, key);
                let now = Instant::now();
                let count = map
                    .get(&k)
                    .filter(|(_, expires)| *expires > now)
                    .and_then(|(v, _)| v.parse::<u64>().ok())
                    .unwrap_or(0)
                    + 1;
                // In-process: "kept until deleted" is a century.
                let forever = now + Duration::from_secs(100 * 365 * 86_400);
                map.insert(k, (count.to_string(), forever));
                Ok(count)
            }
            Cache::Redis { prefix, conn } => Ok(conn.clone().incr(Self::key(prefix, key), 1).await?),
        }
    }

    /// Counts one hit on `key` in a fixed window that starts with the first hit: returns the
    /// hits so far and the milliseconds left in the window. Atomic in Redis (one transaction),
    /// so replicas share the count.
    pub async fn hit(&self, key: &str, window: Duration) -> Result<(u64, u64), CacheError> {
        let counts = self.hits(&[key], window).await?;
        Ok(counts.first().copied().unwrap_or((0, 0)))
    }

    /// `hit` on each of `keys`, in one round trip: the counts in the order of `keys`.
    pub async fn hits(&self, keys: &[&str], window: Duration) -> Result<Vec<(u64, u64)>, CacheError> {
        let window_ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
        match self {
            Cache::Memory { prefix, entries } => {
                let mut map = entries.lock().map_err(|_| CacheError::Poisoned)?;
                let now = Instant::now();
                let mut counts = Vec::with_capacity(keys.len());
                for key in keys {
                    let k = Self::key(prefix, key);
                    let (count, expires) = match map.get(&k) {
                        Some((value, expires)) if *expires > now => (value.parse::<u64>().unwrap_or(0) + 1, *expires),
                        _ => (1, now + window),
                    };
                    map.insert(k, (count.to_string(), expires));
                    let left = u64::try_from(expires.saturating_duration_since(now).as_millis()).unwrap_or(window_ms);
                    counts.push((count, left));
                }
                Ok(counts)
            }
            Cache::Redis { prefix, conn } => {
                let mut pipe = redis::pipe();
                pipe.atomic();
                for key in keys {
                    let k = Self::key(prefix, key);
                    pipe.cmd("INCR")
                        .arg(&k)
                        .cmd("PEXPIRE")
                        .arg(&k)
                        .arg(window_ms)
                        .arg("NX")
                        .cmd("PTTL")
                        .arg(&k);
                }
                // Three replies a key, read as one tuple each.
                let replies: Vec<(u64, i64, i64)> = pipe.query_async(&mut conn.clone()).await?;
                Ok(replies
                    .into_iter()
                    .map(|(count, _, left)| (count, u64::try_from(left).unwrap_or(window_ms)))
                    .collect())
            }
        }
    }

    /// Reachability, for `/readyz`.
    pub async fn ping(&self) -> Result<(), CacheError> {
        match self {
            Cache::Memory { .. } => Ok(()),
            Cache::Redis { conn, .. } => {
                let _: String = redis::cmd("PING").query_async(&mut conn.clone()).await?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_entries_expire() {
        let cache = Cache::memory("t:");
        cache.set("a", "1", Duration::from_secs(60)).await.unwrap();
        cache.set("b", "2", Duration::from_millis(0)).await.unwrap();
        assert_eq!(cache.get("a").await.unwrap().as_deref(), Some("1"));
        assert_eq!(cache.get("b").await.unwrap(), None);
        cache.delete("a").await.unwrap();
        assert!(cache.set_nx("lock", "x", Duration::from_secs(60)).await.unwrap());
        assert!(!cache.set_nx("lock", "y", Duration::from_secs(60)).await.unwrap());
        assert_eq!(cache.get("a").await.unwrap(), None);
    }

    #[tokio::test]
    async fn hits_count_each_key_in_its_window_and_incr_keeps_counting() {
        let cache = Cache::memory("t:");
        let window = Duration::from_secs(60);
        let first = cache.hits(&["ip", "person"], window).await.unwrap();
        assert_eq!(first.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 1]);
        let second = cache.hits(&["person", "other"], window).await.unwrap();
        assert_eq!(second.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 1]);
        assert!(second.iter().all(|(_, left)| *left > 0 && *left <= 60_000));
        assert_eq!(cache.hit("ip", window).await.unwrap().0, 2);
        assert_eq!(cache.incr("count").await.unwrap(), 1);
        assert_eq!(cache.incr("count").await.unwrap(), 2);
        assert_eq!(cache.get("count").await.unwrap().as_deref(), Some("2"));
    }
}
