//! Events: created as drafts by admins, published to their audience (roles and/or invited
//! enterprises), opened and closed at their window's times by a job, then archived.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{event, event_invite, role_grant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::access::Principal;
use crate::domain::event::{EventKind, EventMove, EventStatus};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::notify::{self, Notice};

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: EventKind,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience_roles: Vec<Role>,
    pub invited: Vec<i64>,
    pub form_template_id: Option<i64>,
}

pub fn status(e: &event::Model) -> EventStatus {
    e.status
}

pub fn audience_roles(e: &event::Model) -> Vec<Role> {
    e.audience_roles
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().and_then(Role::parse)).collect())
        .unwrap_or_default()
}

pub async fn invited(db: &impl ConnectionTrait, event_id: i64) -> ApiResult<Vec<i64>> {
    Ok(event_invite::Entity::find()
        .filter(event_invite::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.enterprise_id)
        .collect())
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    created_by: i64,
    new: NewEvent,
) -> ApiResult<event::Model> {
    let now = Utc::now();
    let txn = crate::service::begin_write(db).await?;
    let e = event::ActiveModel {
        kind: Set(new.kind),
        title: Set(new.title),
        theme: Set(new.theme),
        description: Set(new.description),
        opens_at: Set(new.opens_at),
        closes_at: Set(new.closes_at),
        status: Set(EventStatus::Draft),
        audience_roles: Set(serde_json::json!(
            new.audience_roles.iter().map(|r| r.code()).collect::<Vec<_>>()
        )),
        form_template_id: Set(new.form_template_id),
        created_by: Set(Some(created_by)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let invites: HashSet<i64> = new.invited.into_iter().collect();
    if !invites.is_empty() {
        event_invite::Entity::insert_many(invites.into_iter().map(|id| event_invite::ActiveModel {
            event_id: Set(e.id),
            enterprise_id: Set(id),
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(e)
}

fn not_draft() -> ApiError {
    ApiError::conflict("event_not_draft", "活动已发布，不能再修改或删除")
}

/// Replaces a draft's fields and invitations (a published event keeps what its audience saw).
pub async fn replace_draft<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: i64,
    new: NewEvent,
) -> ApiResult<event::Model> {
    let txn = crate::service::begin_write(db).await?;
    let changed = event::Entity::update_many()
        .col_expr(event::Column::Title, Expr::value(new.title))
        .col_expr(event::Column::Theme, Expr::value(new.theme))
        .col_expr(event::Column::Description, Expr::value(new.description))
        .col_expr(event::Column::OpensAt, Expr::value(new.opens_at))
        .col_expr(event::Column::ClosesAt, Expr::value(new.closes_at))
        .col_expr(
            event::Column::AudienceRoles,
            Expr::value(serde_json::json!(
                new.audience_roles.iter().map(|r| r.code()).collect::<Vec<_>>()
            )),
        )
        .col_expr(event::Column::FormTemplateId, Expr::value(new.form_template_id))
        .col_expr(event::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(event::Column::Id.eq(id))
        .filter(event::Column::Status.eq(EventStatus::Draft))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        get(&txn, id).await?;
        return Err(not_draft());
    }
    event_invite::Entity::delete_many()
        .filter(event_invite::Column::EventId.eq(id))
        .exec(&txn)
        .await?;
    let invites: HashSet<i64> = new.invited.into_iter().collect();
    if !invites.is_empty() {
        event_invite::Entity::insert_many(invites.into_iter().map(|e| event_invite::ActiveModel {
            event_id: Set(id),
            enterprise_id: Set(e),
        }))
        .exec(&txn)
        .await?;
    }
    let e = get(&txn, id).await?;
    txn.commit().await?;
    Ok(e)
}

/// Deletes a draft with its invitations, targets and assignments.
pub async fn delete_draft<C: ConnectionTrait + TransactionTrait>(db: &C, id: i64) -> ApiResult<()> {
    let e = get(db, id).await?;
    if e.status != EventStatus::Draft {
        return Err(not_draft());
    }
    let txn = crate::service::begin_write(db).await?;
    entity::ms_assignment::Entity::delete_many()
        .filter(entity::ms_assignment::Column::EventId.eq(id))
        .exec(&txn)
        .await?;
    entity::ms_target::Entity::delete_many()
        .filter(entity::ms_target::Column::EventId.eq(id))
        .exec(&txn)
        .await?;
    event_invite::Entity::delete_many()
        .filter(event_invite::Column::EventId.eq(id))
        .exec(&txn)
        .await?;
    let gone = event::Entity::delete_many()
        .filter(event::Column::Id.eq(id))
        .filter(event::Column::Status.eq(EventStatus::Draft))
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Err(not_draft());
    }
    txn.commit().await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<event::Model> {
    event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("event_not_found", "活动不存在"))
}

/// Whether `auth` belongs to the event's audience (admins always do).
pub async fn in_audience(db: &impl ConnectionTrait, auth: &Principal, e: &event::Model) -> ApiResult<bool> {
    if auth.is_admin() {
        return Ok(true);
    }
    let roles = audience_roles(e);
    if auth.roles.iter().any(|r| roles.contains(&r.role)) {
        return Ok(true);
    }
    let invited = invited(db, e.id).await?;
    Ok(auth.enterprise_ids().any(|id| invited.contains(&id)))
}

/// Whether `auth` keeps the event's wall clean: butlers moderate every complaint day (they
/// hide what breaks the rules) without being in its audience.
pub fn moderates(auth: &Principal, e: &event::Model) -> bool {
    auth.has_role(Role::Butler) && e.kind == EventKind::ComplaintDay
}

/// Whether `auth` sees the event: its audience and its moderators.
async fn sees(db: &impl ConnectionTrait, auth: &Principal, e: &event::Model) -> ApiResult<bool> {
    Ok(moderates(auth, e) || in_audience(db, auth, e).await?)
}

/// The event if `auth` may see it; 404 otherwise, so outsiders learn nothing of it.
pub async fn visible(db: &impl ConnectionTrait, auth: &Principal, id: i64) -> ApiResult<event::Model> {
    let e = get(db, id).await?;
    let shown = auth.is_admin() || (crate::domain::event::is_visible(status(&e)) && sees(db, auth, &e).await?);
    if shown {
        Ok(e)
    } else {
        Err(ApiError::not_found("event_not_found", "活动不存在"))
    }
}

/// Events `auth` may see, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    auth: &Principal,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<event::Model>> {
    // Few events exist (dozens a year): filter the audience in code, page by id.
    let mut q = event::Entity::find().order_by_desc(event::Column::Id);
    if let Some(after) = after_id {
        q = q.filter(event::Column::Id.lt(after));
    }
    if !auth.is_admin() {
        q = q.filter(
            event::Column::Status.is_in(
                EventStatus::ALL
                    .iter()
                    .filter(|s| crate::domain::event::is_visible(**s))
                    .map(|s| s.code())
                    .collect::<Vec<_>>(),
            ),
        );
    }
    let mut out = Vec::new();
    for e in q.all(db).await? {
        if sees(db, auth, &e).await? {
            out.push(e);
            if out.len() as u64 > limit {
                break;
            }
        }
    }
    Ok(out)
}

/// People in the audience: holders of the audience roles and members of invited enterprises.
pub async fn audience_people(db: &impl ConnectionTrait, e: &event::Model) -> ApiResult<Vec<i64>> {
    let roles: Vec<&str> = audience_roles(e).iter().map(|r| r.code()).collect();
    let invited = invited(db, e.id).await?;
    let mut q = role_grant::Entity::find().filter(role_grant::Column::RevokedAt.is_null());
    q = q.filter(
        sea_orm::Condition::any()
            .add(role_grant::Column::Role.is_in(roles))
            .add(
                sea_orm::Condition::all()
                    .add(role_grant::Column::Role.eq(Role::Enterprise))
                    .add(role_grant::Column::EnterpriseId.is_in(invited)),
            ),
    );
    let today = crate::types::today();
    let mut ids: Vec<i64> = q
        .all(db)
        .await?
        .into_iter()
        .filter(|g| g.term_ends.is_none_or(|d| d >= today))
        .map(|g| g.user_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// A status move; publishing tells the audience (in-app) in the same transaction.
pub async fn apply<C: ConnectionTrait + TransactionTrait>(db: &C, id: i64, m: EventMove) -> ApiResult<event::Model> {
    let e = get(db, id).await?;
    let from = status(&e);
    let to = crate::domain::event::apply(from, m).ok_or_else(|| ApiError::Conflict {
        code: "invalid_transition",
        message: format!("活动当前状态为「{}」，不能进行此操作", from.label()).into(),
    })?;
    let now = Utc::now();
    let txn = crate::service::begin_write(db).await?;
    let mut update = event::Entity::update_many()
        .col_expr(event::Column::Status, Expr::value(to.code()))
        .col_expr(event::Column::UpdatedAt, Expr::value(now))
        .filter(event::Column::Id.eq(id))
        .filter(event::Column::Status.eq(from));
    if m == EventMove::Publish {
        update = update.col_expr(event::Column::PublishedAt, Expr::value(now));
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        txn.rollback().await?;
        return Err(ApiError::conflict(
            "concurrent_update",
            "活动刚被他人修改，请刷新后重试",
        ));
    }
    if m == EventMove::Publish {
        let kind = e.kind.label();
        for user_id in audience_people(&txn, &e).await? {
            notify::enqueue(
                &txn,
                None,
                Notice {
                    user_id,
                    kind: "event_published",
                    title: format!("{kind}：{}", e.title),
                    body: format!(
                        "{}开始，欢迎参与",
                        crate::types::local_time(e.opens_at).format("%m月%d日 %H:%M")
                    ),
                    demand_id: None,
                    page: Some(format!("subpackages/event/detail/index?id={}", e.id)),
                    dedup_key: format!("event:{}:published:u{user_id}", e.id),
                    wechat: None,
                },
            )
            .await?;
        }
        // The group chats hear of events open to enterprises: all groups when every enterprise
        // is invited by role, else the groups of the invited enterprises.
        let everyone = audience_roles(&e).contains(&Role::Enterprise);
        let invited = invited(&txn, e.id).await?;
        if everyone || !invited.is_empty() {
            let markdown = format!(
                "### {kind}：{}\n> 时间：{} 至 {}\n{}\n小程序「亲清」→ 活动 参与",
                e.title,
                crate::types::local_time(e.opens_at).format("%m月%d日 %H:%M"),
                crate::types::local_time(e.closes_at).format("%m月%d日 %H:%M"),
                e.description
                    .as_deref()
                    .map(|d| bot::dialogue::clip(d, 200))
                    .unwrap_or_default(),
            );
            crate::service::groups::enqueue_event(&txn, e.id, (!everyone).then_some(invited.as_slice()), &markdown)
                .await?;
        }
    }
    txn.commit().await?;
    get(db, id).await
}

/// Opens and closes events at their window's times. Returns (opened, closed).
pub async fn run_schedule<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> ApiResult<(usize, usize)> {
    let due_open: Vec<i64> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::Status.eq(EventStatus::Published))
        .filter(event::Column::OpensAt.lte(now))
        .into_tuple()
        .all(db)
        .await?;
    let mut opened = 0;
    for id in due_open {
        if apply(db, id, EventMove::Open).await.is_ok() {
            opened += 1;
        }
    }
    let due_close: Vec<i64> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::Status.eq(EventStatus::Open))
        .filter(event::Column::ClosesAt.lte(now))
        .into_tuple()
        .all(db)
        .await?;
    let mut closed = 0;
    for id in due_close {
        if apply(db, id, EventMove::Close).await.is_ok() {
            closed += 1;
        }
    }
    Ok((opened, closed))
}
