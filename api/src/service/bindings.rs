//! Binding a person to their enterprise: at once with the enterprise's invite code, or by a
//! request that the enterprise's butler (or an admin) approves.
use chrono::Utc;
use entity::{binding_request, enterprise, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::role::Role;
use crate::domain::uscc::Uscc;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::{enterprises, people};

use entity::codes::BindingStatus;

pub enum Outcome {
    Bound(enterprise::Model),
    Pending(binding_request::Model, enterprise::Model),
}

async fn member_grant(db: &impl ConnectionTrait, decided_by: i64, user_id: i64, enterprise_id: i64) -> ApiResult<()> {
    people::grant_role(
        db,
        decided_by,
        user_id,
        people::NewGrant {
            role: Role::Enterprise,
            enterprise_id: Some(enterprise_id),
            unit_id: None,
            term_ends: None,
        },
    )
    .await
    .map(|_| ())
}

pub async fn request<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user_id: i64,
    uscc: &Uscc,
    invite_code: Option<&str>,
) -> ApiResult<Outcome> {
    let enterprise = enterprises::find_by_uscc(db, uscc).await?.ok_or_else(|| {
        ApiError::not_found(
            "enterprise_not_found",
            "未找到该统一社会信用代码对应的企业，请联系企业服务管家登记",
        )
    })?;
    let roles = people::active_roles(db, user_id).await?.unwrap_or_default();
    if roles.iter().any(|r| r.role == Role::Enterprise) {
        return Err(ApiError::conflict("already_bound", "您已绑定企业"));
    }
    if let Some(code) = invite_code.map(str::trim).filter(|c| !c.is_empty()) {
        let matches = enterprise
            .invite_code
            .as_deref()
            .is_some_and(|own| own.eq_ignore_ascii_case(code));
        if !matches {
            return Err(ApiError::invalid(vec![FieldError::new(
                "inviteCode",
                "invalid_invite_code",
                "邀请码不正确或已失效",
            )]));
        }
        let txn = crate::service::begin_write(db).await?;
        member_grant(&txn, user_id, user_id, enterprise.id).await?;
        // A pending request for the same person is settled by the invite.
        binding_request::Entity::update_many()
            .col_expr(
                binding_request::Column::Status,
                sea_orm::sea_query::Expr::value(BindingStatus::Approved),
            )
            .col_expr(
                binding_request::Column::DecidedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(binding_request::Column::UserId.eq(user_id))
            .filter(binding_request::Column::Status.eq(BindingStatus::Pending))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Ok(Outcome::Bound(enterprise));
    }
    let pending = binding_request::Entity::find()
        .filter(binding_request::Column::UserId.eq(user_id))
        .filter(binding_request::Column::Status.eq(BindingStatus::Pending))
        .one(db)
        .await?;
    if pending.is_some() {
        return Err(ApiError::conflict("binding_pending", "您已有待审核的绑定申请"));
    }
    let req = binding_request::ActiveModel {
        user_id: Set(user_id),
        enterprise_id: Set(enterprise.id),
        status: Set(BindingStatus::Pending),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Outcome::Pending(req, enterprise))
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<binding_request::Model> {
    binding_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("binding_request_not_found", "绑定申请不存在"))
}

/// Approves or rejects a pending request.
pub async fn decide<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    decided_by: i64,
    req: binding_request::Model,
    approve: bool,
    reason: Option<String>,
) -> ApiResult<binding_request::Model> {
    if req.status != BindingStatus::Pending {
        return Err(ApiError::conflict("binding_already_decided", "该申请已处理"));
    }
    let txn = crate::service::begin_write(db).await?;
    // Guarded update: of two staff deciding at once, only one wins.
    let updated = binding_request::Entity::update_many()
        .col_expr(
            binding_request::Column::Status,
            sea_orm::sea_query::Expr::value(if approve {
                BindingStatus::Approved
            } else {
                BindingStatus::Rejected
            }),
        )
        .col_expr(
            binding_request::Column::DecidedBy,
            sea_orm::sea_query::Expr::value(decided_by),
        )
        .col_expr(
            binding_request::Column::DecidedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(binding_request::Column::Reason, sea_orm::sea_query::Expr::value(reason))
        .filter(binding_request::Column::Id.eq(req.id))
        .filter(binding_request::Column::Status.eq(BindingStatus::Pending))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        txn.rollback().await?;
        return Err(ApiError::conflict("binding_already_decided", "该申请已处理"));
    }
    if approve {
        member_grant(&txn, decided_by, req.user_id, req.enterprise_id).await?;
    }
    txn.commit().await?;
    get(db, req.id).await
}

pub struct RequestView {
    pub request: binding_request::Model,
    pub enterprise: enterprise::Model,
    pub user: user::Model,
}

/// Requests for the enterprises a butler serves (or all, for admins), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    served_by: Option<i64>,
    status: Option<BindingStatus>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<RequestView>> {
    let mut query = binding_request::Entity::find()
        .order_by_desc(binding_request::Column::Id)
        .limit(limit + 1);
    if let Some(status) = status {
        query = query.filter(binding_request::Column::Status.eq(status));
    }
    if let Some(after) = after_id {
        query = query.filter(binding_request::Column::Id.lt(after));
    }
    if let Some(butler) = served_by {
        let served: Vec<i64> = enterprise::Entity::find()
            .select_only()
            .column(enterprise::Column::Id)
            .filter(enterprise::Column::ButlerUserId.eq(butler))
            .into_tuple()
            .all(db)
            .await?;
        query = query.filter(binding_request::Column::EnterpriseId.is_in(served));
    }
    let requests = query.all(db).await?;
    let mut out = Vec::with_capacity(requests.len());
    for request in requests {
        let enterprise = enterprises::get(db, request.enterprise_id).await?;
        let user = people::get(db, request.user_id).await?;
        out.push(RequestView {
            request,
            enterprise,
            user,
        });
    }
    Ok(out)
}
