//! Demands: file one, list what the caller may see, read one with its timeline, and every
//! move of the state machine at `POST /demands/{id}/{action}`. Writes take `Idempotency-Key`.
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, Utc};
use entity::{demand, demand_event, enterprise, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Access, AuthUser};
use crate::domain::demand::{Action, Channel, Deadline, Environment, Kind, Origin, RatingSource, Status};
use crate::domain::phone;
use crate::domain::role::{Role, RoleRules};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract;
use crate::routes::{idempotent, no_errors, required_text};
use crate::service::demands::{self, Actor, Context, DemandFiles, ListFilter, Move, NewDemand};
use crate::service::files::FileRefs;
use crate::service::{content, enterprises};
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_demand)
        .service(list_demands)
        .service(get_demand)
        .service(accept)
        .service(reject)
        .service(assign)
        .service(sign)
        .service(return_demand)
        .service(reply)
        .service(rate)
        .service(callback_rating)
        .service(extend)
        .service(approve_extension)
        .service(flag_unreasonable)
        .service(merge)
        .service(supervise)
        .service(comment);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    pub id: Id,
    pub name: String,
}

/// Where a demand came from: a complaint, a scorecard submission, a mystery-shopper report,
/// a supervision activity.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemandOrigin {
    #[serde(rename = "type")]
    pub kind: Origin,
    pub id: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rating {
    pub satisfied: bool,
    pub comment: Option<String>,
    pub rated_at: Option<DateTime<FixedOffset>>,
    pub source: Option<RatingSource>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionRequest {
    pub working_days: i32,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DemandEventResponse)]
pub struct EventResponse {
    pub id: Id,
    pub action: Action,
    pub action_label: &'static str,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// `system` for scheduled jobs.
    pub actor_role: String,
    pub actor_unit: Option<Named>,
    /// Shown to staff only, never a handler's name to an enterprise.
    pub actor_name: Option<String>,
    pub note: Option<String>,
    pub data: Option<serde_json::Value>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemandResponse {
    pub id: Id,
    /// `SQ20261128-0007`
    pub number: String,
    pub kind: Kind,
    pub environment: Environment,
    pub channel: Channel,
    pub origin: Option<DemandOrigin>,
    pub title: String,
    pub content: String,
    pub anonymous: bool,
    pub status: Status,
    pub status_label: &'static str,
    /// Hidden (null) from those an anonymous demand is hidden from.
    pub enterprise: Option<Named>,
    pub submitter: Option<Named>,
    /// Masked except for admins.
    pub caller_phone: Option<String>,
    pub unit: Option<Named>,
    pub accept_due_at: Option<DateTime<FixedOffset>>,
    pub sign_due_at: Option<DateTime<FixedOffset>>,
    pub reply_due_at: Option<DateTime<FixedOffset>>,
    pub accepted_at: Option<DateTime<FixedOffset>>,
    pub assigned_at: Option<DateTime<FixedOffset>>,
    pub signed_at: Option<DateTime<FixedOffset>>,
    pub replied_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub reply_content: Option<String>,
    pub rating: Option<Rating>,
    pub unreasonable: bool,
    pub merged_into: Option<Id>,
    pub overdue: bool,
    pub overdue_kind: Option<Deadline>,
    pub extension_pending: Option<ExtensionRequest>,
    pub extensions: i32,
    pub returns: i32,
    pub reopen_count: i32,
    /// File ids; read them at `/api/v1/files/{id}`.
    pub attachments: Vec<Id>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// Detail only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<EventResponse>>,
}

/// Names the list or detail needs, fetched once per response.
#[derive(Default)]
struct Names {
    units: HashMap<i64, String>,
    enterprises: HashMap<i64, String>,
    users: HashMap<i64, String>,
}

async fn names(state: &AppState, rows: &[demand::Model], events: &[demand_event::Model]) -> ApiResult<Names> {
    let units = demands::unit_names(
        &state.db,
        rows.iter()
            .filter_map(|d| d.unit_id)
            .chain(events.iter().filter_map(|e| e.actor_unit_id)),
    )
    .await?;
    let ent_ids: Vec<i64> = rows.iter().filter_map(|d| d.enterprise_id).collect();
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ent_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let user_ids: Vec<i64> = rows
        .iter()
        .filter_map(|d| d.submitter_id)
        .chain(events.iter().filter_map(|e| e.actor_id))
        .collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| {
            let name = match (u.deleted_at, u.nickname) {
                (Some(_), _) => "已注销用户".to_owned(),
                (None, Some(n)) => n,
                (None, None) => "未设置昵称".to_owned(),
            };
            (u.id, name)
        })
        .collect();
    Ok(Names {
        units,
        enterprises,
        users,
    })
}

fn named(id: Option<i64>, map: &HashMap<i64, String>) -> Option<Named> {
    id.map(|id| Named {
        id: Id(id),
        name: map.get(&id).cloned().unwrap_or_default(),
    })
}

fn shape(
    auth: &AuthUser,
    d: demand::Model,
    n: &Names,
    attachments: Vec<i64>,
    timeline: Option<Vec<demand_event::Model>>,
) -> DemandResponse {
    let identity = demands::sees_identity(auth, &d);
    let staff_viewer = auth.is_admin() || auth.has_role(Role::Butler) || auth.has_role(Role::Handler);
    let full_viewer = auth.can(&[Access::Admin, Access::EnterpriseButler], &demands::owner(&d));
    let status = d.status;
    let timeline = timeline.map(|events| {
        events
            .into_iter()
            .map(|e| {
                let staff_actor = e.actor_role.is_some_and(|r| r.is_staff());
                let show_name = full_viewer || (staff_viewer && staff_actor);
                EventResponse {
                    id: Id(e.id),
                    action: e.action,
                    action_label: e.action.label(),
                    from_status: e.from_status,
                    to_status: e.to_status,
                    actor_unit: named(e.actor_unit_id, &n.units),
                    actor_name: e
                        .actor_id
                        .filter(|_| show_name)
                        .and_then(|id| n.users.get(&id).cloned()),
                    actor_role: e
                        .actor_role
                        .map_or_else(|| "system".to_owned(), |r| r.code().to_owned()),
                    note: e.note,
                    data: e.data,
                    created_at: local_time(e.created_at),
                }
            })
            .collect()
    });
    DemandResponse {
        id: Id(d.id),
        number: d.number,
        kind: d.kind,
        environment: d.environment,
        channel: d.channel,
        origin: d
            .origin_type
            .zip(d.origin_id.clone())
            .map(|(kind, id)| DemandOrigin { kind, id }),
        title: d.title,
        content: d.content,
        anonymous: d.anonymous,
        status,
        status_label: status.label(),
        enterprise: if identity {
            named(d.enterprise_id, &n.enterprises)
        } else {
            None
        },
        submitter: if identity {
            named(d.submitter_id, &n.users)
        } else {
            None
        },
        caller_phone: if identity {
            d.caller_phone
                .map(|p| if auth.is_admin() { p } else { phone::mask(&p) })
        } else {
            None
        },
        unit: named(d.unit_id, &n.units),
        accept_due_at: d.accept_due_at.map(local_time),
        sign_due_at: d.sign_due_at.map(local_time),
        reply_due_at: d.reply_due_at.map(local_time),
        accepted_at: d.accepted_at.map(local_time),
        assigned_at: d.assigned_at.map(local_time),
        signed_at: d.signed_at.map(local_time),
        replied_at: d.replied_at.map(local_time),
        closed_at: d.closed_at.map(local_time),
        reply_content: d.reply_content,
        rating: d.rating_satisfied.map(|satisfied| Rating {
            satisfied,
            comment: d.rating_comment,
            rated_at: d.rated_at.map(local_time),
            source: d.rating_source,
        }),
        unreasonable: d.unreasonable,
        merged_into: d.merged_into_id.map(Id),
        overdue: d.overdue,
        overdue_kind: d.overdue_kind,
        extension_pending: d.extension_days_pending.map(|days| ExtensionRequest {
            working_days: days,
            reason: d.extension_reason,
        }),
        extensions: d.extensions,
        returns: d.returns,
        reopen_count: d.reopen_count,
        attachments: attachments.into_iter().map(Id).collect(),
        created_at: local_time(d.created_at),
        updated_at: local_time(d.updated_at),
        timeline,
    }
}

/// A demand as its detail endpoint shows it to `auth`.
pub async fn detail(state: &AppState, auth: &AuthUser, d: demand::Model) -> ApiResult<DemandResponse> {
    let events = demands::timeline(&state.db, d.id).await?;
    let files = demands::attachments(&state.db, d.id)
        .await?
        .into_iter()
        .map(|a| a.file_id)
        .collect();
    let n = names(state, std::slice::from_ref(&d), &events).await?;
    audit_identity_reads(state, auth, std::slice::from_ref(&d)).await?;
    Ok(shape(auth, d, &n, files, Some(events)))
}

/// Records every read of the person behind an anonymous demand by someone other than that
/// person (admins and the enterprise's butler see who it was).
async fn audit_identity_reads(state: &AppState, auth: &AuthUser, rows: &[demand::Model]) -> ApiResult<()> {
    let revealed: Vec<i64> = rows
        .iter()
        .filter(|d| d.anonymous && d.submitter_id != Some(auth.id) && demands::sees_identity(auth, d))
        .map(|d| d.id)
        .collect();
    crate::service::privacy::audit_identity_reads(&state.db, auth.id, "demand", &revealed).await
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDemandRequest {
    pub kind: Kind,
    pub environment: Environment,
    /// At most 50 characters.
    pub title: String,
    /// At most 2000 characters.
    pub content: String,
    #[serde(default)]
    pub anonymous: bool,
    /// Files the caller uploaded with `POST /api/v1/files` (at most 9).
    #[serde(default)]
    pub attachments: Vec<FileId>,
    /// Staff filing for an enterprise: the channel (`hotline`, `callback`, ...).
    pub channel: Option<Channel>,
    /// Staff filing for an enterprise: which one.
    pub enterprise_id: Option<Id>,
    /// Hotline: the caller's phone.
    pub caller_phone: Option<String>,
}

/// File a demand.
///
/// An enterprise member files for their enterprise (channel `miniprogram`). Staff (butlers,
/// admins) and supervision-committee members file on an enterprise's behalf with a channel
/// such as `hotline`. Send an `Idempotency-Key` header: a repeat returns the first answer.
#[utoipa::path(tag = "demands", request_body = CreateDemandRequest, params(("Idempotency-Key" = Option<String>, Header)), responses(
    (status = 201, body = DemandResponse),
    (status = 403, body = ErrorBody),
    (status = 422, description = "field errors; `content_risky`; `idempotency_key_reused`", body = ErrorBody),
))]
#[post("/demands")]
pub async fn create_demand(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    // The demand keeps the key too: a retry after a crash between its commit and the key's
    // answer finds it instead of filing it twice.
    let request_key = idempotent::key(&req);
    idempotent::run(&state, &auth, &req, &body, || async {
        let b: CreateDemandRequest = extract::parse(&body)?;
        let mut errors = Vec::new();
        let title = required_text(&b.title, "title", 50, &mut errors);
        let content = required_text(&b.content, "content", 2000, &mut errors);
        no_errors(errors)?;
        let on_behalf = auth.can(
            &[
                Access::Admin,
                Access::AnyWithRole(Role::Butler),
                Access::AnyWithRole(Role::Supervisor),
            ],
            &Default::default(),
        );
        let (enterprise_id, channel) = match (b.enterprise_id, b.channel) {
            (None, None | Some(Channel::Miniprogram)) => {
                let own = auth.enterprise_ids().next().ok_or_else(|| ApiError::Forbidden {
                    code: "no_enterprise",
                    message: "请先绑定企业后再提交诉求".into(),
                })?;
                (Some(own), Channel::Miniprogram)
            }
            (e, c) if on_behalf => {
                let channel = c.filter(|c| *c != Channel::Miniprogram).ok_or_else(|| {
                    ApiError::invalid_field("channel", "required", "代企业提交时请选择渠道（如热线）")
                })?;
                (e.map(|i| i.0), channel)
            }
            _ => return Err(ApiError::forbidden()),
        };
        let butler_id = match enterprise_id {
            Some(id) => {
                enterprises::get(&state.db, id)
                    .await
                    .map_err(|_| ApiError::invalid_field("enterpriseId", "not_found", "企业不存在"))?
                    .butler_user_id
            }
            None => None,
        };
        let caller_phone = match b.caller_phone.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(p) => Some(
                phone::parse(p)
                    .ok_or_else(|| ApiError::invalid_field("callerPhone", "invalid_phone", "电话号码格式不正确"))?,
            ),
            None => None,
        };
        let files = DemandFiles::Uploaded {
            by: auth.id,
            refs: FileRefs::list("attachments", &FileId::ids(&b.attachments)),
        };
        let content_check = content::check(
            &state.db,
            &state.wechat,
            auth.id,
            "content",
            &format!("{title}\n{content}"),
        )
        .await?;
        let ctx = Context::load(&state.db, &state.settings).await?;
        let new = NewDemand {
            kind: b.kind,
            environment: b.environment,
            channel,
            title,
            content,
            anonymous: b.anonymous,
            enterprise_id,
            butler_id,
            submitter_id: Some(auth.id),
            caller_phone,
            origin: None,
            files,
            content_check,
            request_key,
        };
        let created = demands::create(
            &state.db,
            &ctx,
            Actor {
                id: Some(auth.id),
                role: auth.roles.first().map(|r| r.role),
                unit_id: None,
            },
            new,
        )
        .await?;
        let body = detail(&state, &auth, created).await?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(body).map_err(ApiError::internal)?,
        ))
    })
    .await
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DemandListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    pub status: Option<String>,
    pub unit_id: Option<String>,
    pub environment: Option<String>,
    pub channel: Option<String>,
    /// Never matches an anonymous demand for someone from whom its enterprise is hidden.
    pub enterprise_id: Option<String>,
    pub overdue: Option<bool>,
    pub unreasonable: Option<bool>,
    /// Words in the title or content, a whole number `SQ…`, or (where the caller may see who is
    /// behind a demand) part of the enterprise's name or the caller's phone.
    pub q: Option<String>,
    /// `true`: only what waits for the caller's action (the staff workbench).
    pub todo: Option<bool>,
}

fn parse_opt<T>(
    value: Option<&str>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let v = value.filter(|v| !v.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "invalid_choice", "取值不在允许的范围内"));
    }
    parsed
}

/// Demands the caller may see, newest first: their own, their enterprise's (not anonymous
/// ones of colleagues), those of the enterprises a butler serves, those assigned to a
/// handler's unit; all for admins.
#[utoipa::path(tag = "demands", params(DemandListQuery), responses((status = 200, body = Page<DemandResponse>), (status = 422, body = ErrorBody)))]
#[get("/demands")]
pub async fn list_demands(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<DemandListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let mut errors = Vec::new();
    let id = |s: &str| s.parse::<i64>().ok();
    let filter = ListFilter {
        status: parse_opt(q.status.as_deref(), "status", Status::parse, &mut errors),
        unit_id: parse_opt(q.unit_id.as_deref(), "unitId", id, &mut errors),
        environment: parse_opt(q.environment.as_deref(), "environment", Environment::parse, &mut errors),
        channel: parse_opt(q.channel.as_deref(), "channel", Channel::parse, &mut errors),
        enterprise_id: parse_opt(q.enterprise_id.as_deref(), "enterpriseId", id, &mut errors),
        overdue: q.overdue,
        unreasonable: q.unreasonable,
        q: q.q,
        mine_to_act: q.todo.unwrap_or(false),
    };
    no_errors(errors)?;
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let rows = demands::list(&state.db, &auth, &filter, page.after_id()?, limit).await?;
    let n = names(&state, &rows, &[]).await?;
    let shown = usize::try_from(limit).unwrap_or(usize::MAX).min(rows.len());
    audit_identity_reads(&state, &auth, &rows[..shown]).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |d| d.id,
        |d| shape(&auth, d, &n, Vec::new(), None),
    )))
}

async fn readable(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<demand::Model> {
    let d = demands::get(&state.db, id).await?;
    let follower = demands::is_follower(&state.db, d.id, auth.id).await?;
    if !demands::can_read(auth, &d, follower) {
        return Err(ApiError::forbidden());
    }
    Ok(d)
}

/// One demand with its timeline.
#[utoipa::path(tag = "demands", params(("id" = String, Path)), responses((status = 200, body = DemandResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/demands/{id}")]
pub async fn get_demand(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let d = readable(&state, &auth, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(detail(&state, &auth, d).await?))
}

/// Which move a route makes: a rating `staff_rating` is one staff record for a caller.
struct MoveRoute {
    action: Action,
    staff_rating: bool,
}

/// Runs one move: check the caller may make it, parse the body, make the move, answer with the
/// demand.
async fn run_move<B: serde::de::DeserializeOwned>(
    state: &AppState,
    auth: &AuthUser,
    req: &HttpRequest,
    body: &[u8],
    id: i64,
    route: MoveRoute,
    to_move: impl FnOnce(B) -> Move,
) -> ApiResult<HttpResponse> {
    let d = demands::get(&state.db, id).await?;
    let follower = demands::is_follower(&state.db, d.id, auth.id).await?;
    let MoveRoute { action, staff_rating } = route;
    if !demands::may_attempt(auth, &d, action, follower, staff_rating) {
        return Err(ApiError::forbidden());
    }
    idempotent::run(state, auth, req, body, || async {
        let parsed: B = if body.iter().all(u8::is_ascii_whitespace) {
            extract::parse(b"{}")?
        } else {
            extract::parse(body)?
        };
        let mv = to_move(parsed);
        let ctx = Context::load(&state.db, &state.settings).await?;
        let d = demands::act(&state.db, &ctx, Some(auth), id, action, mv).await?;
        let out = detail(state, auth, d).await?;
        Ok((StatusCode::OK, serde_json::to_value(out).map_err(ApiError::internal)?))
    })
    .await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EmptyBody {}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignBody {
    pub unit_id: Id,
    /// Reply deadline; by default the configured working days after dispatch.
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplyBody {
    pub content: String,
    /// Files the handler uploaded (at most 9).
    #[serde(default)]
    pub attachments: Vec<FileId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateBody {
    pub satisfied: bool,
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtendBody {
    /// 1 to 10 working days.
    pub working_days: u32,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergeBody {
    /// The demand that survives.
    pub into_id: Id,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteBody {
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommentBody {
    pub content: String,
}

/// One handler per move, each documented with its body; all share `run_move`.
macro_rules! move_route {
    ($name:ident, $path:literal, $action:expr, staff_rating: $staff:expr, $body:ty, $doc:literal, |$b:ident| $to_move:expr) => {
        #[doc = $doc]
        #[utoipa::path(tag = "demands", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = $body, responses(
            (status = 200, body = DemandResponse),
            (status = 403, description = "the caller's role may not make this move on this demand", body = ErrorBody),
            (status = 409, description = "`invalid_transition` (names the state), `concurrent_update`, a rule of the move", body = ErrorBody),
            (status = 422, body = ErrorBody),
        ))]
        #[post($path)]
        pub async fn $name(state: web::Data<AppState>, auth: AuthUser, req: HttpRequest, id: web::Path<i64>, body: web::Bytes) -> ApiResult<HttpResponse> {
            run_move(&state, &auth, &req, &body, id.into_inner(), MoveRoute { action: $action, staff_rating: $staff }, |$b: $body| $to_move).await
        }
    };
}

move_route!(
    accept,
    "/demands/{id}/accept",
    Action::Accept,
    staff_rating: false,
    EmptyBody,
    "Accept (butler of the enterprise, admin).",
    |_b| Move::default()
);
move_route!(
    reject,
    "/demands/{id}/reject",
    Action::Reject,
    staff_rating: false,
    ReasonBody,
    "Reject with a reason (butler, admin).",
    |b| Move {
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    assign,
    "/demands/{id}/assign",
    Action::Assign,
    staff_rating: false,
    AssignBody,
    "Dispatch to a unit: the reply clock starts now (butler, admin).",
    |b| Move {
        unit_id: Some(b.unit_id.0),
        due_at: b.due_at,
        ..Move::default()
    }
);
move_route!(
    sign,
    "/demands/{id}/sign",
    Action::Sign,
    staff_rating: false,
    EmptyBody,
    "Sign for a dispatched demand (handler of its unit).",
    |_b| Move::default()
);
move_route!(
    return_demand,
    "/demands/{id}/return",
    Action::Return,
    staff_rating: false,
    ReasonBody,
    "Return a misrouted demand within 2 working days of dispatch, with a reason (handler).",
    |b| Move {
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    reply,
    "/demands/{id}/reply",
    Action::Reply,
    staff_rating: false,
    ReplyBody,
    "Reply (handler of its unit).",
    |b| Move {
        content: Some(b.content),
        files: FileRefs::list("attachments", &FileId::ids(&b.attachments)),
        ..Move::default()
    }
);
move_route!(
    rate,
    "/demands/{id}/rate",
    Action::Rate,
    staff_rating: false,
    RateBody,
    "Rate the reply (submitter): satisfied closes it; unsatisfied reopens it to the same unit with a fresh clock.",
    |b| Move {
        satisfied: Some(b.satisfied),
        note: b.comment,
        ..Move::default()
    }
);
move_route!(
    callback_rating,
    "/demands/{id}/callback-rating",
    Action::Rate,
    staff_rating: true,
    RateBody,
    "Record the caller's rating taken on a hotline call-back (the enterprise's butler, admins). It counts like a rating in the mini-program, once: a demand already rated is `invalid_transition`.",
    |b| Move {
        satisfied: Some(b.satisfied),
        note: b.comment,
        source: Some(entity::codes::RatingSource::Hotline),
        ..Move::default()
    }
);
move_route!(
    extend,
    "/demands/{id}/extend",
    Action::Extend,
    staff_rating: false,
    ExtendBody,
    "Ask for an extension before the deadline, up to 10 working days (handler).",
    |b| Move {
        working_days: Some(b.working_days),
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    approve_extension,
    "/demands/{id}/approve-extension",
    Action::ApproveExtension,
    staff_rating: false,
    EmptyBody,
    "Approve the pending extension: the deadline moves (butler, admin).",
    |_b| Move::default()
);
move_route!(
    flag_unreasonable,
    "/demands/{id}/flag-unreasonable",
    Action::FlagUnreasonable,
    staff_rating: false,
    ReasonBody,
    "Flag as unreasonable (audited; excluded from the satisfaction rate, counted apart).",
    |b| Move {
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    merge,
    "/demands/{id}/merge",
    Action::Merge,
    staff_rating: false,
    MergeBody,
    "Merge this duplicate into another demand; both submitters follow the survivor.",
    |b| Move {
        into_id: Some(b.into_id.0),
        ..Move::default()
    }
);
move_route!(
    supervise,
    "/demands/{id}/supervise",
    Action::Supervise,
    staff_rating: false,
    NoteBody,
    "Supervise (督办): a note to the unit and the butler (butler, admin).",
    |b| Move {
        note: Some(b.note),
        ..Move::default()
    }
);
move_route!(
    comment,
    "/demands/{id}/comment",
    Action::Comment,
    staff_rating: false,
    CommentBody,
    "Comment (anyone who may read the demand).",
    |b| Move {
        note: Some(b.content),
        ..Move::default()
    }
);
