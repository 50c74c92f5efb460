//! Publishing a policy and the daily digest: in-app notices and subscribe messages to the
//! members of the enterprises it fits, and the group chats.

use super::{EnterpriseProfile, conditions, current, get, indexed, matched_ids, profiles};
use chrono::{NaiveDate, Utc};
use entity::{enterprise, policy, policy_delivery, role_grant};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession, TransactionTrait,
};

use crate::domain::policy::{Conditions, evaluate};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::search::PolicyIndex;
use crate::service::enterprises::labels;
use crate::service::notify::{self, Notice, WechatFields};
use crate::settings::SubscribeTemplate;
use entity::codes::{DeliveryVia, PolicyStatus};

/// Publishes a draft (the publication date defaults to `today`) and, in the same transaction,
/// delivers it to every member of every matched enterprise and queues it for their groups.
pub async fn publish<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &PolicyIndex,
    template: Option<&SubscribeTemplate>,
    id: i64,
    today: NaiveDate,
) -> ApiResult<Published> {
    let txn = crate::service::begin_write(db).await?;
    let current = get(&txn, id).await?;
    if current.status != PolicyStatus::Draft {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    if current.expires_on.is_some_and(|d| d < today) {
        return Err(ApiError::conflict("policy_expired", "政策已过有效期，不能发布"));
    }
    let published_on = current.published_on.unwrap_or(today);
    // Only one publisher wins a race: the status moves from draft exactly once.
    let moved = policy::Entity::update_many()
        .col_expr(policy::Column::Status, Expr::value(PolicyStatus::Published))
        .col_expr(policy::Column::PublishedOn, Expr::value(Some(published_on)))
        .col_expr(policy::Column::PublishedAt, Expr::value(Some(Utc::now())))
        .col_expr(policy::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(policy::Column::Revision, Expr::col(policy::Column::Revision).add(1))
        .filter(policy::Column::Id.eq(id))
        .filter(policy::Column::Status.eq(PolicyStatus::Draft))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    let p = get(&txn, id).await?;
    let enterprise_ids = matched_ids(&txn, &p, None, today).await?;
    let mut reached = 0;
    for (user_id, enterprise_id) in members_of(&txn, &enterprise_ids).await? {
        if deliver(&txn, &p, user_id, Some(enterprise_id), DeliveryVia::Publish).await? {
            notify::enqueue(
                &txn,
                template,
                Notice {
                    user_id,
                    kind: "policy",
                    title: format!("新政策：{}", p.title),
                    body: format!("适用对象：{}", p.for_whom),
                    demand_id: None,
                    page: Some(format!("subpackages/policy/detail/index?id={}", p.id)),
                    dedup_key: format!("policy:{}:u{user_id}", p.id),
                    wechat: Some(WechatFields {
                        title: p.title.clone(),
                        status: "新政策".into(),
                        time: Utc::now(),
                        note: p.for_whom.clone(),
                    }),
                },
            )
            .await?;
            reached += 1;
        }
    }
    let groups = crate::service::groups::enqueue_policy(&txn, &p, &enterprise_ids).await?;
    let customer_groups = crate::service::customer_groups::enqueue_policy(&txn, p.id, &enterprise_ids).await?;
    txn.commit().await?;
    indexed(index, &p)?;
    Ok(Published {
        policy: p,
        reached,
        groups,
        customer_groups,
    })
}

/// A policy just published and how far it went.
pub struct Published {
    pub policy: policy::Model,
    /// People it was delivered to.
    pub reached: usize,
    /// Group chats it was queued for.
    pub groups: usize,
    /// Customer groups it waits for (their next daily digest).
    pub customer_groups: usize,
}

/// Active members of these enterprises: (person, enterprise).
pub async fn members_of(db: &impl ConnectionTrait, enterprise_ids: &[i64]) -> ApiResult<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for chunk in enterprise_ids.chunks(500) {
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Enterprise))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::EnterpriseId.is_in(chunk.to_vec()))
            .order_by_asc(role_grant::Column::Id)
            .all(db)
            .await?;
        out.extend(
            grants
                .into_iter()
                .filter_map(|g| g.enterprise_id.map(|e| (g.user_id, e))),
        );
    }
    out.sort_unstable();
    out.dedup_by_key(|(user, _)| *user);
    Ok(out)
}

/// Records the delivery of a policy to a person; false when they had it already.
pub(super) async fn deliver(
    db: &impl ConnectionTrait,
    p: &policy::Model,
    user_id: i64,
    enterprise_id: Option<i64>,
    via: DeliveryVia,
) -> ApiResult<bool> {
    let row = policy_delivery::ActiveModel {
        policy_id: Set(p.id),
        user_id: Set(user_id),
        enterprise_id: Set(enterprise_id),
        via: Set(via),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        acked_at: Set(None),
        ..Default::default()
    };
    let inserted = policy_delivery::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([policy_delivery::Column::PolicyId, policy_delivery::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(_)))
}

/// The daily digest: every member gets, in one notice, the published policies that match their
/// enterprise and have not reached them yet (new members, changed profiles, new enterprises).
/// Returns (people notified, deliveries recorded).
pub async fn digest<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    template: Option<&SubscribeTemplate>,
    today: NaiveDate,
) -> ApiResult<(usize, usize)> {
    let published = policy::Entity::find()
        .filter(policy::Column::Status.eq(PolicyStatus::Published))
        .filter(current(today))
        .order_by_asc(policy::Column::Id)
        .all(db)
        .await?;
    if published.is_empty() {
        return Ok((0, 0));
    }
    let compiled: Vec<(Conditions, Vec<String>)> = published.iter().map(|p| (conditions(p), labels(&p.tags))).collect();
    let delivered: std::collections::HashSet<(i64, i64)> = policy_delivery::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.policy_id, d.user_id))
        .collect();
    let enterprises: std::collections::HashMap<i64, EnterpriseProfile> = profiles(enterprise::Entity::find())
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, EnterpriseProfile::from(e)))
        .collect();
    let ids: Vec<i64> = enterprises.keys().copied().collect();
    let (mut people, mut deliveries) = (0, 0);
    for (user_id, enterprise_id) in members_of(db, &ids).await? {
        let Some(e) = enterprises.get(&enterprise_id) else {
            continue;
        };
        let profile = e.profile();
        let fresh: Vec<&policy::Model> = published
            .iter()
            .zip(&compiled)
            .filter(|(p, _)| !delivered.contains(&(p.id, user_id)))
            .filter(|(_, (c, t))| evaluate(c, t, &profile, today).matched)
            .map(|(p, _)| p)
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let txn = crate::service::begin_write(db).await?;
        let mut titles = Vec::new();
        for p in &fresh {
            if deliver(&txn, p, user_id, Some(enterprise_id), DeliveryVia::Digest).await? {
                titles.push(p.title.clone());
            }
        }
        if !titles.is_empty() {
            let title = format!("{}条新政策与贵企业相符", titles.len());
            notify::enqueue(
                &txn,
                template,
                Notice {
                    user_id,
                    kind: "policy_digest",
                    title: title.clone(),
                    body: titles.join("\n"),
                    demand_id: None,
                    page: Some("subpackages/policy/feed/index".into()),
                    dedup_key: format!("policy-digest:{today}:u{user_id}"),
                    wechat: Some(WechatFields {
                        title,
                        status: "新政策".into(),
                        time: Utc::now(),
                        note: titles.join("；"),
                    }),
                },
            )
            .await?;
            people += 1;
            deliveries += titles.len();
        }
        txn.commit().await?;
    }
    Ok((people, deliveries))
}
