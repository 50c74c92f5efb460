//! People and role grants (admins).
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Access, AuthUser, Owner};
use crate::domain::access::ADMINS;
use crate::domain::phone;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::people::{self, Profile};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, encode_cursor, local_time};
use entity::codes::BindingStatus;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(get_user)
        .service(update_user)
        .service(grant_role)
        .service(revoke_role);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleGrantResponse {
    pub id: Id,
    pub role: Role,
    pub enterprise_id: Option<Id>,
    pub enterprise_name: Option<String>,
    pub unit_id: Option<Id>,
    pub unit_name: Option<String>,
    /// Last day of the term (appointments).
    pub term_ends: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseRef {
    pub id: Id,
    pub name: String,
    pub uscc: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingBinding {
    pub id: Id,
    pub enterprise_name: String,
    pub status: BindingStatus,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub id: Id,
    pub nickname: Option<String>,
    /// Masked (`138****5678`) except for its owner and admins.
    pub phone: Option<String>,
    /// Active grants only.
    pub roles: Vec<RoleGrantResponse>,
    /// The enterprise the person is a member of.
    pub enterprise: Option<EnterpriseRef>,
    pub pending_binding: Option<PendingBinding>,
    /// The hotline extension the phone system knows a staff member by (to admins and oneself).
    pub extension: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

fn role_grants(grants: Vec<people::GrantView>) -> Vec<RoleGrantResponse> {
    grants
        .into_iter()
        .map(|g| RoleGrantResponse {
            id: Id(g.grant.id),
            role: g.grant.role,
            enterprise_id: g.grant.enterprise_id.map(Id),
            enterprise_name: g.enterprise_name,
            unit_id: g.grant.unit_id.map(Id),
            unit_name: g.unit_name,
            term_ends: g.grant.term_ends,
        })
        .collect()
}

impl UserResponse {
    pub fn from_profile(p: Profile, reveal_phone: bool) -> Self {
        Self {
            id: Id(p.user.id),
            nickname: p.user.nickname,
            phone: p.user.phone.map(|ph| if reveal_phone { ph } else { phone::mask(&ph) }),
            roles: role_grants(p.grants),
            enterprise: p.enterprise.map(|e| EnterpriseRef {
                id: Id(e.id),
                name: e.name,
                uscc: e.uscc,
            }),
            pending_binding: p.pending_binding.map(|(r, name)| PendingBinding {
                id: Id(r.id),
                enterprise_name: name,
                status: r.status,
                created_at: local_time(r.created_at),
            }),
            extension: p.user.extension.filter(|_| reveal_phone),
            created_at: local_time(p.user.created_at),
        }
    }
}

/// Whether `viewer` sees the whole phone number of person `owner_id` (PIPL).
pub fn reveals_phone(viewer: &AuthUser, owner_id: i64) -> bool {
    viewer.id == owner_id || viewer.is_admin()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: Id,
    pub nickname: Option<String>,
    pub phone: Option<String>,
    /// Active grants.
    pub roles: Vec<RoleGrantResponse>,
    pub extension: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    /// Part of a nickname, a phone (whole or its last digits), or a whole openid.
    pub q: Option<String>,
    /// Only people who hold this role today (e.g. `officer` for an assignment).
    pub role: Option<Role>,
}

/// People, newest first, each with their roles (admins).
#[utoipa::path(tag = "people", params(UserListQuery), responses((status = 200, body = Page<UserSummary>), (status = 403, body = ErrorBody)))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<UserListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let query = query.parse()?;
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    let limit = page.limit()?;
    let mut rows = people::list(&state.db, query.q.as_deref(), query.role, page.after_id()?, limit).await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|u| encode_cursor(u.id))
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for u in rows {
        let p = people::profile(&state.db, u).await?;
        items.push(UserSummary {
            id: Id(p.user.id),
            nickname: p.user.nickname,
            phone: p.user.phone,
            roles: role_grants(p.grants),
            extension: p.user.extension,
            created_at: local_time(p.user.created_at),
        });
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// The hotline extension the phone system knows the person by: at most 32 characters of
    /// `0-9 A-Z a-z * # _ -`; `""` clears it.
    pub extension: Option<String>,
}

/// Change a person's extension (admins).
#[utoipa::path(tag = "people", params(("id" = String, Path)), request_body = UpdateUserRequest, responses(
    (status = 200, body = UserResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, description = "`extension` `invalid` or `taken`", body = ErrorBody),
))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let id = id.into_inner();
    let mut user = people::get(&state.db, id).await?;
    if let Some(ext) = b.extension.as_deref().map(str::trim) {
        let fits = ext.chars().count() <= 32 && ext.chars().all(|c| c.is_ascii_alphanumeric() || "*#_-".contains(c));
        if !fits {
            return Err(ApiError::invalid_field(
                "extension",
                "invalid",
                "分机号最多 32 个字符，只能包含数字、字母和 * # _ -",
            ));
        }
        user = people::set_extension(&state.db, id, (!ext.is_empty()).then(|| ext.to_owned())).await?;
    }
    let profile = people::profile(&state.db, user).await?;
    Ok(HttpResponse::Ok().json(UserResponse::from_profile(profile, true)))
}

/// One person with their active roles (admins, or the person themself).
#[utoipa::path(tag = "people", params(("id" = String, Path)), responses((status = 200, body = UserResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/users/{id}")]
pub async fn get_user(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    auth.require(
        &[Access::Admin, Access::Itself],
        &Owner {
            user_id: Some(id),
            ..Owner::default()
        },
    )?;
    let user = people::get(&state.db, id).await?;
    let profile = people::profile(&state.db, user).await?;
    Ok(HttpResponse::Ok().json(UserResponse::from_profile(profile, reveals_phone(&auth, id))))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrantRoleRequest {
    pub role: Role,
    /// Required for `enterprise`.
    pub enterprise_id: Option<Id>,
    /// Required for `handler`.
    pub unit_id: Option<Id>,
    /// Last day of the term; required for `officer`, `media`, `supervisor`.
    pub term_ends: Option<NaiveDate>,
}

/// Grant a role (admins).
#[utoipa::path(tag = "people", params(("id" = String, Path)), request_body = GrantRoleRequest, responses(
    (status = 201, body = UserResponse),
    (status = 403, body = ErrorBody),
    (status = 409, description = "`role_already_granted`, `already_bound`", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/users/{id}/roles")]
pub async fn grant_role(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<GrantRoleRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let id = id.into_inner();
    let body = body.parse()?;
    people::grant_role(
        &state.db,
        auth.id,
        id,
        people::NewGrant {
            role: body.role,
            enterprise_id: body.enterprise_id.map(|i| i.0),
            unit_id: body.unit_id.map(|i| i.0),
            term_ends: body.term_ends,
        },
    )
    .await?;
    let profile = people::profile(&state.db, people::get(&state.db, id).await?).await?;
    Ok(HttpResponse::Created().json(UserResponse::from_profile(profile, true)))
}

/// Revoke a role grant (admins).
#[utoipa::path(tag = "people", params(("id" = String, Path), ("grantId" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`last_admin`: the only admin", body = ErrorBody)))]
#[delete("/users/{id}/roles/{grantId}")]
pub async fn revoke_role(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let (id, grant_id) = path.into_inner();
    people::revoke_role(&state.db, auth.id, id, grant_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
