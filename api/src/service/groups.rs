//! Enterprise group chats and the pushes to them through each group's robot webhook. Pushes
//! wait in an outbox (`bot_pushes`) and leave at most `webhook_per_window` per webhook in any
//! window, counted in the cache (Redis when configured, so replicas share the count). 45009
//! backs off and retries; 93000 fails for good and flags the group; each piece is sent once.
use std::sync::LazyLock;
use std::time::Duration;

use bot::dialogue::clip;
use bot::webhook::{self, Outcome};
use chrono::{DateTime, Utc};
use entity::{bot_group, bot_group_enterprise, bot_group_policy, bot_push, policy};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::domain::policy::admits;
use crate::error::{ApiError, ApiResult};
use crate::service::enterprises::labels;
use crate::service::policies::EnterpriseProfile;
use crate::state::AppState;

pub const ACTIVE: &str = "active";
pub const BAD_KEY: &str = "bad_key";

const PENDING: &str = "pending";
const SENDING: &str = "sending";
/// Claimed by a worker that died while sending: it may or may not have reached the group.
/// A webhook message has no idempotency key, so it is not sent again on its own (that could
/// post it twice); an admin checks the group and resends it if it is missing.
pub const UNCERTAIN: &str = "uncertain";
const SENT: &str = "sent";
const FAILED: &str = "failed";
const MAX_ATTEMPTS: i32 = 6;

/// Shows the end of a key only: `…1a2b`.
pub fn key_hint(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

#[derive(Debug, Clone, Default)]
pub struct GroupPatch {
    pub name: Option<String>,
    pub webhook_key: Option<String>,
    pub chat_id: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub enterprise_ids: Option<Vec<i64>>,
}

/// A group and the enterprises it serves.
pub type Group = (bot_group::Model, Vec<i64>);

async fn enterprises_of(db: &impl ConnectionTrait, group_id: i64) -> ApiResult<Vec<i64>> {
    Ok(bot_group_enterprise::Entity::find()
        .filter(bot_group_enterprise::Column::GroupId.eq(group_id))
        .order_by_asc(bot_group_enterprise::Column::EnterpriseId)
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.enterprise_id)
        .collect())
}

async fn link(db: &impl ConnectionTrait, group_id: i64, enterprise_ids: &[i64]) -> ApiResult<()> {
    bot_group_enterprise::Entity::delete_many()
        .filter(bot_group_enterprise::Column::GroupId.eq(group_id))
        .exec(db)
        .await?;
    let mut ids = enterprise_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        let known = crate::service::enterprises::names(db, &ids).await?;
        if let Some(missing) = ids.iter().find(|id| !known.contains_key(id)) {
            return Err(ApiError::invalid_field(
                "enterpriseIds",
                "not_found",
                &format!("企业 {missing} 不存在"),
            ));
        }
        bot_group_enterprise::Entity::insert_many(ids.iter().map(|&e| bot_group_enterprise::ActiveModel {
            group_id: Set(group_id),
            enterprise_id: Set(e),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    name: String,
    webhook_key: String,
    chat_id: Option<String>,
    tags: Vec<String>,
    enterprise_ids: &[i64],
) -> ApiResult<Group> {
    let txn = crate::service::begin_write(db).await?;
    let now = Utc::now();
    let g = bot_group::ActiveModel {
        name: Set(name),
        webhook_key: Set(webhook_key),
        chat_id: Set(chat_id),
        tags: Set(serde_json::json!(tags)),
        status: Set(ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    link(&txn, g.id, enterprise_ids).await?;
    let linked = enterprises_of(&txn, g.id).await?;
    txn.commit().await?;
    Ok((g, linked))
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<Group> {
    let g = bot_group::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("group_not_found", "群不存在"))?;
    let linked = enterprises_of(db, g.id).await?;
    Ok((g, linked))
}

/// The group a robot chat id belongs to, with its enterprises.
pub async fn by_chat(db: &impl ConnectionTrait, chat_id: &str) -> ApiResult<Option<Group>> {
    let Some(g) = bot_group::Entity::find()
        .filter(bot_group::Column::ChatId.eq(chat_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let linked = enterprises_of(db, g.id).await?;
    Ok(Some((g, linked)))
}

pub async fn list(db: &impl ConnectionTrait) -> ApiResult<Vec<Group>> {
    let groups = bot_group::Entity::find()
        .order_by_asc(bot_group::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let linked = enterprises_of(db, g.id).await?;
        out.push((g, linked));
    }
    Ok(out)
}

/// Changes a group; a new webhook key makes a flagged group active again.
pub async fn update<C: ConnectionTrait + TransactionTrait>(db: &C, id: i64, patch: GroupPatch) -> ApiResult<Group> {
    let txn = crate::service::begin_write(db).await?;
    let (g, _) = get(&txn, id).await?;
    let mut active: bot_group::ActiveModel = g.into();
    if let Some(v) = patch.name {
        active.name = Set(v);
    }
    if let Some(v) = patch.webhook_key {
        active.webhook_key = Set(v);
        active.status = Set(ACTIVE.to_owned());
    }
    if let Some(v) = patch.chat_id {
        active.chat_id = Set(v);
    }
    if let Some(v) = patch.tags {
        active.tags = Set(serde_json::json!(v));
    }
    active.updated_at = Set(Utc::now());
    let g = active.update(&txn).await?;
    if let Some(ids) = patch.enterprise_ids {
        link(&txn, g.id, &ids).await?;
    }
    let linked = enterprises_of(&txn, g.id).await?;
    txn.commit().await?;
    Ok((g, linked))
}

/// Queues a message for a group, split into webhook-sized pieces; a key already queued is
/// not queued again. Returns the pieces queued now.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    group_id: i64,
    kind: &str,
    dedup_key: &str,
    markdown: &str,
) -> ApiResult<usize> {
    let now = Utc::now();
    let mut queued = 0;
    for (i, piece) in webhook::split(markdown, webhook::MAX_MARKDOWN_BYTES)
        .into_iter()
        .enumerate()
    {
        let done = bot_push::Entity::insert(bot_push::ActiveModel {
            group_id: Set(group_id),
            kind: Set(kind.to_owned()),
            dedup_key: Set(format!("{dedup_key}#{i}")),
            content: Set(piece),
            status: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_at: Set(None),
            sent_at: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .on_conflict(OnConflict::column(bot_push::Column::DedupKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
        queued += usize::try_from(done).unwrap_or(0);
    }
    Ok(queued)
}

/// The active groups serving any of these enterprises (all active groups for `None`).
async fn active_groups(db: &impl ConnectionTrait, enterprise_ids: Option<&[i64]>) -> ApiResult<Vec<i64>> {
    let mut q = bot_group::Entity::find()
        .select_only()
        .column(bot_group::Column::Id)
        .filter(bot_group::Column::Status.eq(ACTIVE))
        .order_by_asc(bot_group::Column::Id);
    if let Some(ids) = enterprise_ids {
        let mut group_ids: Vec<i64> = Vec::new();
        for chunk in ids.chunks(500) {
            let found: Vec<i64> = bot_group_enterprise::Entity::find()
                .select_only()
                .column(bot_group_enterprise::Column::GroupId)
                .filter(bot_group_enterprise::Column::EnterpriseId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            group_ids.extend(found);
        }
        group_ids.sort_unstable();
        group_ids.dedup();
        q = q.filter(bot_group::Column::Id.is_in(group_ids));
    }
    Ok(q.into_tuple().all(db).await?)
}

/// Queues an event's announcement for the groups of its enterprises (all groups for `None`).
pub async fn enqueue_event(
    db: &impl ConnectionTrait,
    event_id: i64,
    enterprise_ids: Option<&[i64]>,
    markdown: &str,
) -> ApiResult<usize> {
    let groups = active_groups(db, enterprise_ids).await?;
    for &g in &groups {
        enqueue(db, g, "event", &format!("event:{event_id}:g{g}"), markdown).await?;
    }
    Ok(groups.len())
}

/// Queues a published policy for every active group serving one of the matched enterprises.
/// Returns the groups it goes to.
pub async fn enqueue_policy(db: &impl ConnectionTrait, p: &policy::Model, enterprise_ids: &[i64]) -> ApiResult<usize> {
    let active = active_groups(db, Some(enterprise_ids)).await?;
    let tags = labels(&p.tags);
    let markdown = format!(
        "### 新政策：{}\n> 发布单位：{}\n> 适用对象：{}\n> 支持内容：{}\n{}\n小程序「亲清」→ 政策推荐 查看全文与申报方式",
        p.title,
        p.issuer,
        clip(&p.for_whom, 80),
        clip(&p.benefits, 120),
        if tags.is_empty() {
            String::new()
        } else {
            format!("<font color=\"comment\">{}</font>", tags.join(" · "))
        }
    );
    let mut reached = 0;
    for &g in &active {
        if reach(db, g, p.id).await? {
            enqueue(db, g, "policy", &format!("policy:{}:g{g}", p.id), &markdown).await?;
            reached += 1;
        }
    }
    Ok(reached)
}

/// Records that a policy reached a group; false when it already had.
async fn reach(db: &impl ConnectionTrait, group_id: i64, policy_id: i64) -> ApiResult<bool> {
    let inserted = bot_group_policy::Entity::insert(bot_group_policy::ActiveModel {
        group_id: Set(group_id),
        policy_id: Set(policy_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([bot_group_policy::Column::GroupId, bot_group_policy::Column::PolicyId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// The daily digest for groups: each active group gets one message listing the published
/// policies that fit one of its enterprises and have not reached it yet (a group registered
/// or linked after the publication, an enterprise whose profile changed). Returns (groups told,
/// policies listed).
pub async fn digest<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: chrono::NaiveDate,
) -> ApiResult<(usize, usize)> {
    let published: Vec<policy::Model> = policy::Entity::find()
        .filter(policy::Column::Status.eq(crate::service::policies::PUBLISHED))
        .filter(
            sea_orm::Condition::any()
                .add(policy::Column::ExpiresOn.is_null())
                .add(policy::Column::ExpiresOn.gte(today)),
        )
        .order_by_asc(policy::Column::Id)
        .all(db)
        .await?;
    if published.is_empty() {
        return Ok((0, 0));
    }
    let conditions: Vec<_> = published.iter().map(crate::service::policies::conditions).collect();
    let (mut told, mut listed) = (0, 0);
    for group_id in active_groups(db, None).await? {
        let linked = enterprises_of(db, group_id).await?;
        if linked.is_empty() {
            continue;
        }
        let profiles: Vec<EnterpriseProfile> = entity::enterprise::Entity::find()
            .filter(entity::enterprise::Column::Id.is_in(linked))
            .all(db)
            .await?
            .iter()
            .map(EnterpriseProfile::from)
            .collect();
        let reached: std::collections::HashSet<i64> = bot_group_policy::Entity::find()
            .filter(bot_group_policy::Column::GroupId.eq(group_id))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.policy_id)
            .collect();
        let fresh: Vec<&policy::Model> = published
            .iter()
            .zip(&conditions)
            .filter(|(p, _)| !reached.contains(&p.id))
            .filter(|(_, c)| profiles.iter().any(|e| admits(c, &e.profile(), today)))
            .map(|(p, _)| p)
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let txn = crate::service::begin_write(db).await?;
        let mut lines = vec![format!("### {}条政策与本群企业相符", fresh.len())];
        for p in &fresh {
            if reach(&txn, group_id, p.id).await? {
                lines.push(format!("- **{}**（{}）：{}", p.title, p.issuer, clip(&p.for_whom, 40)));
            }
        }
        if lines.len() > 1 {
            lines.push("小程序「亲清」→ 政策推荐 查看详情".to_owned());
            enqueue(
                &txn,
                group_id,
                "policy_digest",
                &format!("policy-digest:{today}:g{group_id}"),
                &lines.join("\n"),
            )
            .await?;
            told += 1;
            listed += lines.len() - 2;
        }
        txn.commit().await?;
    }
    Ok((told, listed))
}

/// Takes one of the webhook's slots for the window: at most `per` sends in any `window`.
/// Each slot is a key that lives for the window; set-if-absent is atomic in Redis and in
/// process, so replicas never share one.
async fn take_slot(state: &AppState, key: &str) -> ApiResult<bool> {
    let w = &state.settings.wecom;
    let id = hex::encode(&Sha256::digest(key.as_bytes())[..8]);
    for i in 0..w.webhook_per_window {
        if state
            .cache
            .set_nx(
                &format!("webhook-slot:{id}:{i}"),
                "1",
                Duration::from_secs(w.webhook_window_secs),
            )
            .await
            .map_err(ApiError::internal)?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(|| {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default()
});

/// Posts one markdown message; the errcode WeCom answered, or a transport error (without the
/// URL, which holds the key).
async fn post(state: &AppState, key: &str, content: &str) -> Result<i64, String> {
    let url = format!(
        "{}/cgi-bin/webhook/send",
        state.settings.wecom.webhook_base_url.trim_end_matches('/')
    );
    let res = HTTP
        .post(url)
        .query(&[("key", key)])
        .json(&webhook::markdown(content))
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    let status = res.status();
    let body: serde_json::Value = res.json().await.map_err(|e| e.without_url().to_string())?;
    body["errcode"]
        .as_i64()
        .ok_or_else(|| format!("HTTP {status} without errcode"))
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PushReport {
    pub sent: usize,
    /// Waiting for a free slot of their webhook.
    pub waiting: usize,
    pub retried: usize,
    pub failed: usize,
}

async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    status: &str,
    attempts: i32,
    error: Option<String>,
    next: DateTime<Utc>,
) -> ApiResult<()> {
    bot_push::Entity::update_many()
        .set(bot_push::ActiveModel {
            status: Set(status.to_owned()),
            attempts: Set(attempts),
            last_error: Set(error),
            next_attempt_at: Set(next),
            claimed_at: Set(None),
            sent_at: Set((status == SENT).then(Utc::now)),
            ..Default::default()
        })
        .filter(bot_push::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sends what is due, oldest first.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<PushReport> {
    let db = &state.db;
    let mut report = PushReport::default();
    // A claim older than this belongs to a worker that died between its claim, made just
    // before the request, and the outcome: whether the group got the message is unknown.
    let stale = chrono::Duration::seconds(i64::try_from(state.settings.jobs.stale_claim_secs).unwrap_or(120));
    let abandoned = bot_push::Entity::update_many()
        .col_expr(bot_push::Column::Status, Expr::value(UNCERTAIN))
        .col_expr(
            bot_push::Column::LastError,
            Expr::value("发送时进程中断，无法确认是否已送达，请在群内核实后决定是否重发"),
        )
        .filter(bot_push::Column::Status.eq(SENDING))
        .filter(bot_push::Column::ClaimedAt.lt(now - stale))
        .exec(db)
        .await?;
    if abandoned.rows_affected > 0 {
        tracing::warn!(
            pushes = abandoned.rows_affected,
            "group pushes left mid-send by a worker that died are marked uncertain, not resent"
        );
    }
    let due = bot_push::Entity::find()
        .filter(bot_push::Column::Status.eq(PENDING))
        .filter(bot_push::Column::NextAttemptAt.lte(now))
        .order_by_asc(bot_push::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let wait = chrono::Duration::seconds(i64::try_from(state.settings.wecom.webhook_window_secs).unwrap_or(60));
    for push in due {
        // Everything that may stop the send comes before the claim, so a claim is followed at
        // once by the request.
        let Some(group) = bot_group::Entity::find_by_id(push.group_id).one(db).await? else {
            finish(db, push.id, FAILED, push.attempts, Some("群已删除".into()), now).await?;
            report.failed += 1;
            continue;
        };
        if group.status == BAD_KEY {
            finish(
                db,
                push.id,
                FAILED,
                push.attempts,
                Some("webhook key 无效 (93000)".into()),
                now,
            )
            .await?;
            report.failed += 1;
            continue;
        }
        if !take_slot(state, &group.webhook_key).await? {
            // Full for this window: it waits, it is not dropped.
            bot_push::Entity::update_many()
                .col_expr(
                    bot_push::Column::NextAttemptAt,
                    Expr::value(now + chrono::Duration::seconds(5)),
                )
                .filter(bot_push::Column::Id.eq(push.id))
                .filter(bot_push::Column::Status.eq(PENDING))
                .exec(db)
                .await?;
            report.waiting += 1;
            continue;
        }
        let claimed = bot_push::Entity::update_many()
            .col_expr(bot_push::Column::Status, Expr::value(SENDING))
            .col_expr(bot_push::Column::ClaimedAt, Expr::value(Utc::now()))
            .filter(bot_push::Column::Id.eq(push.id))
            .filter(bot_push::Column::Status.eq(PENDING))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let attempts = push.attempts + 1;
        match post(state, &group.webhook_key, &push.content)
            .await
            .map(webhook::outcome)
        {
            Ok(Outcome::Sent) => {
                finish(db, push.id, SENT, attempts, None, now).await?;
                report.sent += 1;
            }
            Ok(Outcome::BadKey) => {
                finish(db, push.id, FAILED, attempts, Some("errcode 93000".into()), now).await?;
                bot_group::Entity::update_many()
                    .col_expr(bot_group::Column::Status, Expr::value(BAD_KEY))
                    .filter(bot_group::Column::Id.eq(group.id))
                    .exec(db)
                    .await?;
                tracing::warn!(group_id = group.id, "webhook key refused (93000); group flagged");
                report.failed += 1;
            }
            Ok(Outcome::RateLimited) => {
                // WeCom counts differently from us (another sender on the same robot): wait a window.
                finish(db, push.id, PENDING, attempts, Some("errcode 45009".into()), now + wait).await?;
                report.retried += 1;
            }
            Ok(Outcome::Other(code)) if attempts < MAX_ATTEMPTS => {
                let next = now + crate::jobs::deliver::backoff(attempts);
                finish(db, push.id, PENDING, attempts, Some(format!("errcode {code}")), next).await?;
                report.retried += 1;
            }
            Err(err) if attempts < MAX_ATTEMPTS => {
                let next = now + crate::jobs::deliver::backoff(attempts);
                finish(db, push.id, PENDING, attempts, Some(err), next).await?;
                report.retried += 1;
            }
            Ok(Outcome::Other(code)) => {
                finish(db, push.id, FAILED, attempts, Some(format!("errcode {code}")), now).await?;
                report.failed += 1;
            }
            Err(err) => {
                finish(db, push.id, FAILED, attempts, Some(err), now).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_show_only_their_end() {
        assert_eq!(key_hint("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"), "…5aaa");
        assert_eq!(key_hint("ab"), "…ab");
    }
}
