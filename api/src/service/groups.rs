//! Enterprise group chats (registered with their robot's webhook, tags and enterprises) and
//! what goes to them: policies that fit their enterprises, event announcements, the daily
//! digest, reports. Messages are queued in the outbox (`outbox::webhook` sends them).
use bot::dialogue::clip;
use chrono::Utc;
use entity::codes::{GroupStatus, PolicyStatus};
use entity::{bot_group, bot_group_enterprise, bot_group_policy, policy};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::policy::admits;
use crate::error::{ApiError, ApiResult};
use crate::service::enterprises::labels;
use crate::service::outbox;
use crate::service::policies::EnterpriseProfile;

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
        status: Set(GroupStatus::Active),
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
        active.status = Set(GroupStatus::Active);
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
    let mut queued = 0;
    for m in outbox::webhook::messages(group_id, kind, dedup_key, markdown) {
        queued += usize::from(outbox::enqueue(db, m).await?);
    }
    Ok(queued)
}

/// The active groups serving any of these enterprises (all active groups for `None`).
async fn active_groups(db: &impl ConnectionTrait, enterprise_ids: Option<&[i64]>) -> ApiResult<Vec<i64>> {
    let mut q = bot_group::Entity::find()
        .select_only()
        .column(bot_group::Column::Id)
        .filter(bot_group::Column::Status.eq(GroupStatus::Active))
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
        .filter(policy::Column::Status.eq(PolicyStatus::Published))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_show_only_their_end() {
        assert_eq!(key_hint("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"), "…5aaa");
        assert_eq!(key_hint("ab"), "…ab");
    }
}
