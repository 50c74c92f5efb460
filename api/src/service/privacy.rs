//! Personal information (PIPL): the audit log (every admin change, every read of an identity
//! the product otherwise hides), a person's export of their data, and account deletion (the
//! person anonymised and signed out everywhere; their demands stay, under no name).
use chrono::Utc;
use entity::{
    audit_entry, binding_request, complaint, demand, form_submission, media_observation, notification,
    publicity_record, refresh_token, role_grant, user, wecom_binding,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::types::local_time;

fn entry(
    actor: i64,
    action: &str,
    object_type: &str,
    object_id: Option<String>,
    detail: Option<Value>,
) -> audit_entry::ActiveModel {
    audit_entry::ActiveModel {
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        object_type: Set(object_type.to_owned()),
        object_id: Set(object_id),
        detail: Set(detail),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// An admin's change as the audit records it: the route, the path and the answer's status.
#[derive(Debug, Clone)]
pub struct AdminChange {
    pub actor: i64,
    /// `POST /api/v1/demands/{id}/accept`
    pub route: String,
    pub path: String,
    pub status: u16,
}

impl AdminChange {
    /// Writes its entry: after the change (`audit::admin_writes`), or inside the change's own
    /// transaction, so that the two are kept or lost together (a demand's move).
    pub async fn write(&self, db: &impl ConnectionTrait) -> ApiResult<()> {
        audit(
            db,
            self.actor,
            &self.route,
            "request",
            Some(self.path.clone()),
            Some(json!({ "status": self.status })),
        )
        .await
    }
}

/// Writes one audit entry.
pub async fn audit(
    db: &impl ConnectionTrait,
    actor: i64,
    action: &str,
    object_type: &str,
    object_id: Option<String>,
    detail: Option<Value>,
) -> ApiResult<()> {
    audit_entry::Entity::insert(entry(actor, action, object_type, object_id, detail))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Records one person's reads of the identities behind several objects, in one statement (a
/// list page shows up to a page of them).
pub async fn audit_identity_reads(
    db: &impl ConnectionTrait,
    actor: i64,
    object_type: &str,
    ids: &[i64],
) -> ApiResult<()> {
    audit_reads(db, actor, "read_identity", object_type, ids).await
}

/// Records one person's reads of several objects under `action`, in one statement.
pub async fn audit_reads(
    db: &impl ConnectionTrait,
    actor: i64,
    action: &str,
    object_type: &str,
    ids: &[i64],
) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    audit_entry::Entity::insert_many(
        ids.iter()
            .map(|id| entry(actor, action, object_type, Some(id.to_string()), None)),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// What the audit log is filtered by.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<i64>,
    pub object_type: Option<String>,
    /// Part of the action, e.g. `POST /api/v1/policies` or `read_identity`.
    pub action: Option<String>,
    /// Days (Asia/Shanghai), inclusive.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// The discipline staff's entries (reads and reveals of clues) instead of the rest: the
    /// two are kept out of each other's view, since admins may not see clues.
    pub clues: bool,
}

/// The audit log, newest first, filtered.
pub async fn audit_log(
    db: &impl ConnectionTrait,
    f: &AuditFilter,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<audit_entry::Model>> {
    let mut q = audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit + 1);
    let clues = crate::service::clues::AUDITED;
    q = if f.clues {
        q.filter(audit_entry::Column::ObjectType.eq(clues))
    } else {
        q.filter(audit_entry::Column::ObjectType.ne(clues))
    };
    if let Some(a) = f.actor {
        q = q.filter(audit_entry::Column::ActorId.eq(a));
    }
    if let Some(t) = f.object_type.as_deref() {
        q = q.filter(audit_entry::Column::ObjectType.eq(t));
    }
    if let Some(a) = f.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        q = q.filter(crate::service::contains(audit_entry::Column::Action, a));
    }
    if let Some(day) = f.from {
        q = q.filter(audit_entry::Column::CreatedAt.gte(crate::domain::report::start_of_day(day)));
    }
    if let Some(day) = f.to {
        q = q.filter(
            audit_entry::Column::CreatedAt.lt(crate::domain::report::start_of_day(day + chrono::Duration::days(1))),
        );
    }
    if let Some(after) = after_id {
        q = q.filter(audit_entry::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    /// When the export was made.
    pub exported_at: String,
    #[schema(value_type = Object)]
    pub person: Value,
    #[schema(value_type = Vec<Object>)]
    pub roles: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub demands: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub complaints: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub submissions: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub notifications: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub binding_requests: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub wecom_bindings: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub observations: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub publicity: Vec<Value>,
}

fn time(t: chrono::DateTime<Utc>) -> String {
    local_time(t).to_rfc3339()
}

/// Everything the product holds about a person, as they gave it or as it concerns them.
pub async fn export(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<Export> {
    let u = crate::service::people::get(db, user_id).await?;
    let roles = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|g| {
            json!({"role": g.role, "enterpriseId": g.enterprise_id.map(|i| i.to_string()), "unitId": g.unit_id.map(|i| i.to_string()),
                   "termEnds": g.term_ends, "grantedAt": time(g.created_at), "revokedAt": g.revoked_at.map(time)})
        })
        .collect();
    let demands = demand::Entity::find()
        .filter(demand::Column::SubmitterId.eq(user_id))
        .order_by_asc(demand::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            json!({"id": d.id.to_string(), "number": d.number, "title": d.title, "content": d.content, "status": d.status,
                   "anonymous": d.anonymous, "callerPhone": d.caller_phone, "rating": d.rating_satisfied,
                   "ratingComment": d.rating_comment, "createdAt": time(d.created_at)})
        })
        .collect();
    let complaints = complaint::Entity::find()
        .filter(complaint::Column::AuthorId.eq(user_id))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| json!({"id": c.id.to_string(), "eventId": c.event_id.to_string(), "content": c.content, "anonymous": c.anonymous, "createdAt": time(c.created_at)}))
        .collect();
    let submissions = form_submission::Entity::find()
        .filter(form_submission::Column::SubmitterId.eq(user_id))
        .order_by_asc(form_submission::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| json!({"id": s.id.to_string(), "eventId": s.event_id.to_string(), "answers": s.answers, "createdAt": time(s.created_at)}))
        .collect();
    let notifications = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|n| json!({"kind": n.kind, "title": n.title, "body": n.body, "createdAt": time(n.created_at)}))
        .collect();
    let binding_requests = binding_request::Entity::find()
        .filter(binding_request::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| json!({"enterpriseId": b.enterprise_id.to_string(), "status": b.status, "createdAt": time(b.created_at)}))
        .collect();
    let wecom_bindings = wecom_binding::Entity::find()
        .filter(wecom_binding::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| json!({"wecomUserId": b.wecom_user_id, "createdAt": time(b.created_at)}))
        .collect();
    let observations = media_observation::Entity::find()
        .filter(media_observation::Column::AuthorId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| json!({"id": o.id.to_string(), "kind": o.kind, "title": o.title, "content": o.content, "createdAt": time(o.created_at)}))
        .collect();
    let publicity = publicity_record::Entity::find()
        .filter(publicity_record::Column::AuthorId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| json!({"id": p.id.to_string(), "outlet": p.outlet, "title": p.title, "link": p.link, "publishedOn": p.published_on}))
        .collect();
    Ok(Export {
        exported_at: time(Utc::now()),
        person: json!({"id": u.id.to_string(), "openid": u.openid, "unionid": u.unionid, "nickname": u.nickname,
                       "phone": u.phone, "phoneBoundAt": u.phone_bound_at.map(time), "createdAt": time(u.created_at),
                       "lastLoginAt": u.last_login_at.map(time)}),
        roles,
        demands,
        complaints,
        submissions,
        notifications,
        binding_requests,
        wecom_bindings,
        observations,
        publicity,
    })
}

/// Deletes a person's account: the identifying fields are erased (the openid replaced, so
/// signing in again makes a new person), every role and session ends, the WeCom binding goes.
/// Demands, complaints and submissions stay, under no name. The last admin cannot leave.
pub async fn delete_account<C: ConnectionTrait + TransactionTrait>(db: &C, user_id: i64) -> ApiResult<()> {
    let txn = crate::service::begin_write(db).await?;
    let u = crate::service::people::get(&txn, user_id).await?;
    if u.deleted_at.is_some() {
        return Err(ApiError::conflict("account_deleted", "该账号已注销"));
    }
    let admins: Vec<i64> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::UserId)
        .filter(role_grant::Column::Role.eq(Role::Admin))
        .filter(role_grant::Column::RevokedAt.is_null())
        .distinct()
        .into_tuple()
        .all(&txn)
        .await?;
    if admins == [user_id] {
        return Err(ApiError::conflict(
            "last_admin",
            "您是唯一的管理员，请先任命其他管理员再注销账号",
        ));
    }
    let now = Utc::now();
    let mut a: user::ActiveModel = u.into();
    a.openid = Set(format!("deleted:{}", uuid::Uuid::new_v4().simple()));
    a.unionid = Set(None);
    a.nickname = Set(None);
    a.phone = Set(None);
    a.extension = Set(None);
    a.phone_bound_at = Set(None);
    a.deleted_at = Set(Some(now));
    a.updated_at = Set(now);
    a.update(&txn).await?;
    role_grant::Entity::update_many()
        .col_expr(role_grant::Column::RevokedAt, Expr::value(now))
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    wecom_binding::Entity::delete_many()
        .filter(wecom_binding::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    // The sealed session key only opened the person's group tickets.
    entity::wechat_session::Entity::delete_by_id(user_id).exec(&txn).await?;
    crate::service::clues::forget_reporter(&txn, user_id).await?;
    txn.commit().await?;
    crate::service::people::grants_changed();
    Ok(())
}
