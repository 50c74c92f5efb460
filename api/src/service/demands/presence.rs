//! Who has a demand open at their desk: each open console says so every 15 seconds, and is
//! shown to the others for 30, so two butlers do not answer the same demand twice. Advisory:
//! kept in the cache (shared by replicas), read and written without a lock (a lost write hides
//! a viewer for one beat).
use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::cache::Cache;
use crate::error::{ApiError, ApiResult};

/// How long a desk counts as looking after it last said so.
const FRESH_SECS: i64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    /// The role the viewer acts under on this demand (`butler`, `handler`, `admin`).
    pub role: String,
    /// Since when they have it open.
    pub since: DateTime<Utc>,
    /// When they last said so.
    pub seen: DateTime<Utc>,
}

fn key(demand_id: i64) -> String {
    format!("presence:demand:{demand_id}")
}

/// Records that `me` has the demand open now and returns the others who do.
pub async fn note(cache: &Cache, demand_id: i64, me: Viewer) -> ApiResult<Vec<Viewer>> {
    let now = me.seen;
    let stored = cache.get(&key(demand_id)).await?;
    let mut viewers: BTreeMap<i64, Viewer> = stored
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    viewers.retain(|_, v| (now - v.seen).num_seconds() < FRESH_SECS);
    let since = viewers.get(&me.id).map_or(me.since, |v| v.since);
    viewers.insert(me.id, Viewer { since, ..me.clone() });
    let text = serde_json::to_string(&viewers).map_err(ApiError::internal)?;
    cache.set(&key(demand_id), &text, Duration::from_secs(120)).await?;
    Ok(viewers.into_values().filter(|v| v.id != me.id).collect())
}
