//! People and their role grants.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{binding_request, enterprise, role_grant, unit, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::domain::access::ActiveRole;
use crate::domain::role::{Role, RoleRules};
use crate::error::{ApiError, ApiResult};
use crate::service::is_unique_violation;
use crate::types::today;

/// A grant counts while it is not revoked and its term (if any) has not ended.
fn is_active(grant: &role_grant::Model, today: NaiveDate) -> bool {
    grant.revoked_at.is_none() && grant.term_ends.is_none_or(|end| end >= today)
}

/// The person's active roles, or `None` when there is no such person (or they deleted their
/// account: their tokens stop working at once).
pub async fn active_roles(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<Option<Vec<ActiveRole>>> {
    match user::Entity::find_by_id(user_id).one(db).await? {
        None => return Ok(None),
        Some(u) if u.deleted_at.is_some() => return Ok(None),
        Some(_) => {}
    }
    let today = today();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .filter(role_grant::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    Ok(Some(
        grants
            .into_iter()
            .filter(|g| is_active(g, today))
            .map(|g| ActiveRole {
                role: g.role,
                enterprise_id: g.enterprise_id,
                unit_id: g.unit_id,
            })
            .collect(),
    ))
}

/// Writes of grants, sign-ins and people made by this process: the copies of people's
/// standing (`auth::roles`) taken before one are not used after it.
pub static GRANT_WRITES: crate::copies::Writes = crate::copies::Writes::new();

/// To be called after any change of a person's grants or sign-ins (or of the person).
pub fn grants_changed() {
    GRANT_WRITES.bump();
}

/// What the access rules need of a person on every request: their roles today, and the
/// sign-ins they ended recently (whose access tokens are refused).
#[derive(Debug, Clone)]
pub struct Standing {
    pub roles: Vec<ActiveRole>,
    pub ended_sessions: Vec<String>,
}

/// The person's standing (`None`: no such person, or deleted); sign-ins ended before `since`
/// are left out, their access tokens having expired.
pub async fn standing(
    db: &impl ConnectionTrait,
    user_id: i64,
    since: chrono::DateTime<Utc>,
) -> ApiResult<Option<std::sync::Arc<Standing>>> {
    let Some(roles) = active_roles(db, user_id).await? else {
        return Ok(None);
    };
    let ended_sessions = crate::service::sessions::ended_since(db, user_id, since).await?;
    Ok(Some(std::sync::Arc::new(Standing { roles, ended_sessions })))
}

/// Which of `users` hold `role` today.
pub async fn holding(
    db: &impl ConnectionTrait,
    role: Role,
    users: &[i64],
) -> ApiResult<std::collections::HashSet<i64>> {
    if users.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    let today = today();
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::UserId.is_in(users.to_vec()))
        .filter(role_grant::Column::Role.eq(role))
        .filter(role_grant::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|g| is_active(g, today))
        .map(|g| g.user_id)
        .collect())
}

/// Finds or creates the person with this openid; keeps the unionid when WeChat sends one.
/// Safe when the same person signs in twice at once: the loser of the insert race reads
/// the winner's row.
pub async fn sign_in(db: &impl ConnectionTrait, openid: &str, unionid: Option<&str>) -> ApiResult<user::Model> {
    let now = Utc::now();
    if let Some(existing) = find_by_openid(db, openid).await? {
        let mut active: user::ActiveModel = existing.clone().into();
        active.last_login_at = Set(Some(now));
        if existing.unionid.is_none()
            && let Some(u) = unionid
        {
            active.unionid = Set(Some(u.to_owned()));
        }
        return Ok(active.update(db).await?);
    }
    let insert = user::ActiveModel {
        openid: Set(openid.to_owned()),
        unionid: Set(unionid.map(str::to_owned)),
        last_login_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match insert {
        Ok(user) => Ok(user),
        Err(err) if is_unique_violation(&err) => find_by_openid(db, openid)
            .await?
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("user vanished after a unique violation"))),
        Err(err) => Err(err.into()),
    }
}

pub async fn find_by_openid(db: &impl ConnectionTrait, openid: &str) -> ApiResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Openid.eq(openid))
        .one(db)
        .await?)
}

/// How a person is named to others: their nickname; a deleted account is not named.
pub fn shown_name(u: &user::Model) -> String {
    name_shown(u.deleted_at.is_some(), u.nickname.as_deref())
}

/// `shown_name` of a person read in parts (a list reads them joined to its rows).
pub fn name_shown(deleted: bool, nickname: Option<&str>) -> String {
    match (deleted, nickname) {
        (true, _) => "已注销用户".to_owned(),
        (false, Some(n)) => n.to_owned(),
        (false, None) => "未设置昵称".to_owned(),
    }
}

/// People's names by id, as `shown_name` gives them.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<std::collections::HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|u| (u.id, shown_name(u)))
        .collect())
}

pub async fn get(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<user::Model> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("user_not_found", "用户不存在"))
}

/// Makes the person an admin unless they already are (bootstrap admins).
pub async fn ensure_admin(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<()> {
    let roles = active_roles(db, user_id).await?.unwrap_or_default();
    if roles.iter().any(|r| r.role == Role::Admin) {
        return Ok(());
    }
    insert_grant(db, user_id, Role::Admin, None, None, None, None).await?;
    tracing::warn!(user_id, "bootstrap admin granted");
    Ok(())
}

async fn insert_grant(
    db: &impl ConnectionTrait,
    user_id: i64,
    role: Role,
    enterprise_id: Option<i64>,
    unit_id: Option<i64>,
    term_ends: Option<NaiveDate>,
    granted_by: Option<i64>,
) -> ApiResult<role_grant::Model> {
    Ok(role_grant::ActiveModel {
        user_id: Set(user_id),
        role: Set(role),
        enterprise_id: Set(enterprise_id),
        unit_id: Set(unit_id),
        term_ends: Set(term_ends),
        granted_by: Set(granted_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .inspect(|_| crate::service::people::grants_changed())?)
}

/// A role grant as asked for; checked against the role's needs before it is stored.
#[derive(Debug, Clone)]
pub struct NewGrant {
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub term_ends: Option<NaiveDate>,
}

pub async fn grant_role(
    db: &impl ConnectionTrait,
    granted_by: i64,
    user_id: i64,
    grant: NewGrant,
) -> ApiResult<role_grant::Model> {
    get(db, user_id).await?;
    let mut fields = Vec::new();
    use crate::error::FieldError;
    match (grant.role.needs_enterprise(), grant.enterprise_id) {
        (true, None) => fields.push(FieldError::new("enterpriseId", "required", "企业成员角色须指定企业")),
        (false, Some(_)) => fields.push(FieldError::new("enterpriseId", "not_allowed", "该角色不关联企业")),
        _ => {}
    }
    match (grant.role.needs_unit(), grant.unit_id) {
        (true, None) => fields.push(FieldError::new("unitId", "required", "单位经办人角色须指定单位")),
        (false, Some(_)) => fields.push(FieldError::new("unitId", "not_allowed", "该角色不关联单位")),
        _ => {}
    }
    match (grant.role.is_appointment(), grant.term_ends) {
        (true, None) => fields.push(FieldError::new("termEnds", "required", "聘任类角色须填写任期截止日期")),
        (_, Some(end)) if end < today() => {
            fields.push(FieldError::new("termEnds", "in_the_past", "任期截止日期不能早于今天"))
        }
        _ => {}
    }
    if let Some(id) = grant.enterprise_id
        && enterprise::Entity::find_by_id(id).one(db).await?.is_none()
    {
        fields.push(FieldError::new("enterpriseId", "not_found", "企业不存在"));
    }
    if let Some(id) = grant.unit_id
        && unit::Entity::find_by_id(id).one(db).await?.is_none()
    {
        fields.push(FieldError::new("unitId", "not_found", "单位不存在"));
    }
    if !fields.is_empty() {
        return Err(ApiError::invalid(fields));
    }
    let existing = active_roles(db, user_id).await?.unwrap_or_default();
    if existing
        .iter()
        .any(|r| r.role == grant.role && r.enterprise_id == grant.enterprise_id && r.unit_id == grant.unit_id)
    {
        return Err(ApiError::conflict("role_already_granted", "该用户已拥有此角色"));
    }
    if grant.role == Role::Enterprise && existing.iter().any(|r| r.role == Role::Enterprise) {
        return Err(ApiError::conflict("already_bound", "该用户已绑定其他企业，请先解除"));
    }
    insert_grant(
        db,
        user_id,
        grant.role,
        grant.enterprise_id,
        grant.unit_id,
        grant.term_ends,
        Some(granted_by),
    )
    .await
}

pub async fn revoke_role(db: &impl ConnectionTrait, revoked_by: i64, user_id: i64, grant_id: i64) -> ApiResult<()> {
    let grant = role_grant::Entity::find_by_id(grant_id)
        .one(db)
        .await?
        .filter(|g| g.user_id == user_id)
        .ok_or_else(|| ApiError::not_found("role_grant_not_found", "角色授予记录不存在"))?;
    if grant.revoked_at.is_some() {
        return Ok(());
    }
    if grant.role == Role::Admin {
        let others = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Admin))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::Id.ne(grant.id))
            .filter(role_grant::Column::UserId.ne(user_id))
            .count(db)
            .await?;
        if others == 0 {
            return Err(ApiError::conflict(
                "last_admin",
                "这是唯一的管理员，请先任命其他管理员再撤销",
            ));
        }
    }
    let mut active: role_grant::ActiveModel = grant.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.revoked_by = Set(Some(revoked_by));
    active.update(db).await?;
    crate::service::people::grants_changed();
    Ok(())
}

pub async fn set_phone(db: &impl ConnectionTrait, user_id: i64, phone: &str) -> ApiResult<user::Model> {
    let mut active: user::ActiveModel = get(db, user_id).await?.into();
    let now = Utc::now();
    active.phone = Set(Some(phone.to_owned()));
    active.phone_bound_at = Set(Some(now));
    active.updated_at = Set(now);
    Ok(active.update(db).await?)
}

/// A grant with the names it points to.
#[derive(Debug, Clone)]
pub struct GrantView {
    pub grant: role_grant::Model,
    pub enterprise_name: Option<String>,
    pub unit_name: Option<String>,
}

/// A person with everything `/me` and the admin views show.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user: user::Model,
    pub grants: Vec<GrantView>,
    pub enterprise: Option<enterprise::Model>,
    pub pending_binding: Option<(binding_request::Model, String)>,
}

pub async fn profile(db: &impl ConnectionTrait, user: user::Model) -> ApiResult<Profile> {
    let today = today();
    let grants: Vec<role_grant::Model> = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user.id))
        .filter(role_grant::Column::RevokedAt.is_null())
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|g| is_active(g, today))
        .collect();
    let enterprise_ids: Vec<i64> = grants.iter().filter_map(|g| g.enterprise_id).collect();
    let unit_ids: Vec<i64> = grants.iter().filter_map(|g| g.unit_id).collect();
    let enterprises: HashMap<i64, enterprise::Model> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(enterprise_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let units: HashMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let member_of = grants
        .iter()
        .find(|g| g.role == Role::Enterprise)
        .and_then(|g| g.enterprise_id)
        .and_then(|id| enterprises.get(&id).cloned());
    let pending = binding_request::Entity::find()
        .filter(binding_request::Column::UserId.eq(user.id))
        .filter(binding_request::Column::Status.eq("pending"))
        .one(db)
        .await?;
    let pending_binding = match pending {
        Some(req) => {
            let name = enterprise::Entity::find_by_id(req.enterprise_id)
                .one(db)
                .await?
                .map(|e| e.name)
                .unwrap_or_default();
            Some((req, name))
        }
        None => None,
    };
    let grants = grants
        .into_iter()
        .map(|g| GrantView {
            enterprise_name: g
                .enterprise_id
                .and_then(|id| enterprises.get(&id).map(|e| e.name.clone())),
            unit_name: g.unit_id.and_then(|id| units.get(&id).cloned()),
            grant: g,
        })
        .collect();
    Ok(Profile {
        user,
        grants,
        enterprise: member_of,
        pending_binding,
    })
}

/// People, newest first, for admins; `q` finds part of a nickname, a phone (whole or its
/// end), or a whole openid.
pub async fn list(
    db: &impl ConnectionTrait,
    q: Option<&str>,
    role: Option<Role>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<user::Model>> {
    let mut query = user::Entity::find().order_by_desc(user::Column::Id).limit(limit + 1);
    if let Some(after) = after_id {
        query = query.filter(user::Column::Id.lt(after));
    }
    if let Some(role) = role {
        // Holding the role today: not revoked, its term (if any) not over.
        let holders = sea_orm::sea_query::Query::select()
            .column(role_grant::Column::UserId)
            .from(role_grant::Entity)
            .and_where(role_grant::Column::Role.eq(role))
            .and_where(role_grant::Column::RevokedAt.is_null())
            .cond_where(
                sea_orm::Condition::any()
                    .add(role_grant::Column::TermEnds.is_null())
                    .add(role_grant::Column::TermEnds.gte(today())),
            )
            .take();
        query = query.filter(user::Column::Id.in_subquery(holders));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            sea_orm::Condition::any()
                .add(crate::service::contains(user::Column::Nickname, q))
                .add(crate::service::ends_with(user::Column::Phone, q))
                .add(user::Column::Openid.eq(q)),
        );
    }
    Ok(query.all(db).await?)
}

/// Sets (or, with None, clears) the extension the phone system knows a staff member by.
pub async fn set_extension(
    db: &impl ConnectionTrait,
    user_id: i64,
    extension: Option<String>,
) -> ApiResult<user::Model> {
    let current = get(db, user_id).await?;
    let mut a: user::ActiveModel = current.into();
    a.extension = Set(extension);
    a.updated_at = Set(Utc::now());
    match a.update(db).await {
        Ok(u) => Ok(u),
        Err(err) if crate::service::is_unique_violation(&err) => {
            Err(ApiError::invalid_field("extension", "taken", "该分机号已分配给其他人"))
        }
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(term_ends: Option<NaiveDate>, revoked: bool) -> role_grant::Model {
        role_grant::Model {
            id: 1,
            user_id: 1,
            role: Role::Officer,
            enterprise_id: None,
            unit_id: None,
            term_ends,
            granted_by: None,
            created_at: Utc::now(),
            revoked_at: revoked.then(Utc::now),
            revoked_by: None,
        }
    }

    #[test]
    fn a_term_counts_through_its_last_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert!(is_active(&grant(Some(day), false), day));
        assert!(!is_active(&grant(day.pred_opt(), false), day));
        assert!(is_active(&grant(None, false), day));
        assert!(!is_active(&grant(None, true), day));
    }
}
