//! What the console's desk adds to the demand routes: moves made on many demands at once, each
//! reported on its own, and who else has a demand open.
use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::{BUTLERS, DESK_STAFF};
use crate::domain::demand::{Action, Status};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::demands::presence::{self as open_at, Viewer};
use crate::service::demands::{self, Actor, Move};
use crate::service::people;
use crate::state::AppState;
use crate::types::{Id, local_time};

/// At most this many demands in one bulk move.
const MAX_BULK: usize = 50;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkAcceptRequest {
    /// 1 to 50 demands.
    pub ids: Vec<Id>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkAssignRequest {
    /// 1 to 50 demands.
    pub ids: Vec<Id>,
    pub unit_id: Id,
    /// Reply deadline; by default the configured working days after dispatch.
    pub due_at: Option<DateTime<Utc>>,
}

/// One demand's outcome: `ok` with its status now, or the refusal's code and message.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub id: Id,
    pub ok: bool,
    pub status: Option<Status>,
    pub error: Option<String>,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResponse {
    /// In the order asked.
    pub results: Vec<BulkResult>,
}

fn ids_of(ids: &[Id]) -> ApiResult<Vec<i64>> {
    if ids.is_empty() || ids.len() > MAX_BULK {
        return Err(ApiError::invalid_field("ids", "out_of_range", "请选择 1 到 50 件诉求"));
    }
    // Each demand once, in the order asked.
    let mut out: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(&id.0) {
            out.push(id.0);
        }
    }
    Ok(out)
}

async fn bulk(state: &AppState, auth: &AuthUser, ids: &[i64], action: Action, mv: Move) -> ApiResult<HttpResponse> {
    let done = demands::moves::act_on_each(
        &state.db,
        &state.settings,
        state.calendar().await?,
        auth,
        ids,
        action,
        &mv,
    )
    .await?;
    let results = done
        .into_iter()
        .map(|(id, r)| match r {
            Ok(d) => BulkResult {
                id: Id(id),
                ok: true,
                status: Some(d.status),
                error: None,
                message: None,
            },
            Err(err) => {
                let body = err.body();
                BulkResult {
                    id: Id(id),
                    ok: false,
                    status: None,
                    error: Some(body.error),
                    message: Some(body.message),
                }
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(BulkResponse { results }))
}

/// Accept several demands at once (butlers, admins): each is tried on its own, one refused
/// does not stop the others.
#[utoipa::path(tag = "demands", request_body = BulkAcceptRequest, responses(
    (status = 200, body = BulkResponse),
    (status = 403, body = ErrorBody),
    (status = 422, description = "`ids` out of range", body = ErrorBody),
))]
#[post("/demands/bulk/accept")]
pub async fn bulk_accept(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<BulkAcceptRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let ids = ids_of(&body.parse()?.ids)?;
    bulk(&state, &auth, &ids, Action::Accept, Move::default()).await
}

/// Dispatch several demands to one unit at once (butlers, admins), each on its own.
#[utoipa::path(tag = "demands", request_body = BulkAssignRequest, responses(
    (status = 200, body = BulkResponse),
    (status = 403, body = ErrorBody),
    (status = 422, description = "`ids` out of range", body = ErrorBody),
))]
#[post("/demands/bulk/assign")]
pub async fn bulk_assign(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<BulkAssignRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let b = body.parse()?;
    let ids = ids_of(&b.ids)?;
    let mv = Move {
        unit_id: Some(b.unit_id.0),
        due_at: b.due_at,
        ..Move::default()
    };
    bulk(&state, &auth, &ids, Action::Assign, mv).await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ViewerResponse {
    pub id: Id,
    pub name: String,
    /// The role they act under on this demand.
    pub role: String,
    pub since: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PresenceResponse {
    /// The other staff who have the demand open (said so within the last 30 seconds).
    pub viewers: Vec<ViewerResponse>,
}

/// Say that the caller has the demand open (every 15 seconds while it is); answers who else
/// has. Staff who may read the demand.
#[utoipa::path(tag = "demands", params(("id" = String, Path)), responses(
    (status = 200, body = PresenceResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[post("/demands/{id}/presence")]
pub async fn note_presence(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(DESK_STAFF)?;
    let d = demands::readable(&state.db, &auth, id.into_inner()).await?;
    let person = people::get(&state.db, auth.id).await?;
    let role = Actor::of(&auth, &d).role.map_or("admin", |r| r.code());
    let now = Utc::now();
    let me = Viewer {
        id: auth.id,
        name: person.nickname.unwrap_or_else(|| format!("#{}", auth.id)),
        role: role.to_owned(),
        since: now,
        seen: now,
    };
    let viewers = open_at::note(&state.cache, d.id, me)
        .await?
        .into_iter()
        .map(|v| ViewerResponse {
            id: Id(v.id),
            name: v.name,
            role: v.role,
            since: local_time(v.since),
        })
        .collect();
    Ok(HttpResponse::Ok().json(PresenceResponse { viewers }))
}
