//! Demands: file one, list what the caller may see, read one with its timeline (`response`),
//! and every move of the state machine (`moves`). Writes take `Idempotency-Key`.
mod desk;
mod moves;
mod response;

pub use desk::*;
pub use moves::*;
pub use response::{DemandResponse, detail};

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::answers::Answer;
use crate::auth::AuthUser;
use crate::domain::access::DESK_STAFF;
use crate::domain::demand::{Channel, Environment, Kind, Status};
use crate::domain::phone;
use crate::domain::queue::Tab;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, required_text};
use crate::service::demands::{self, Filing, ListFilter, PageStart};
use crate::service::files::FileRefs;
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, encode_position};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // The fixed paths come before `/demands/{id}`.
    cfg.service(create_demand)
        .service(list_demands)
        .service(queue_counts)
        .service(bulk_accept)
        .service(bulk_assign)
        .service(get_demand)
        .service(note_presence)
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
    /// Hotline: the call (`GET /calls`) it is filed from: its number becomes `callerPhone` when
    /// none is given, and the call is linked to the demand. 404 `call_not_found`.
    pub call_id: Option<Id>,
    /// The visit from a customer group (`POST /me/group-entries`) the person files in: the
    /// demand is attributed to the group. 422 `not_found` for another person's visit.
    pub group_visit_id: Option<Id>,
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
    body: Json<CreateDemandRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 50, &mut errors);
    let content = required_text(&b.content, "content", 2000, &mut errors);
    no_errors(errors)?;
    let caller_phone = match b.caller_phone.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(
            phone::parse(p)
                .ok_or_else(|| ApiError::invalid_field("callerPhone", "invalid_phone", "电话号码格式不正确"))?,
        ),
        None => None,
    };
    let filing = Filing {
        kind: b.kind,
        environment: b.environment,
        title,
        content,
        anonymous: b.anonymous,
        attachments: FileRefs::list("attachments", &FileId::ids(&b.attachments)),
        channel: b.channel,
        enterprise_id: b.enterprise_id.map(|i| i.0),
        caller_phone,
        // The demand keeps the key too: a retry after a crash between its commit and the
        // key's answer finds it instead of filing it twice.
        request_key: crate::idempotent::key(&req),
        call_id: b.call_id.map(|i| i.0),
        group_visit: b.group_visit_id.map(|i| i.0),
    };
    let created = demands::file(
        &state.db,
        &state.settings,
        state.calendar().await?,
        &state.wechat,
        &auth,
        filing,
    )
    .await?;
    let shown = detail(
        &auth,
        demands::detail(&state.db, state.calendar().await?, &auth, created).await?,
    );
    Ok(HttpResponse::Created().json(shown))
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
    /// A tab of the console's queue, limited to what the caller works on (a butler: the
    /// enterprises served; a handler: the units; admins: all): `to_accept`, `to_assign`,
    /// `to_sign`, `in_progress`, `to_rate`, `due_soon`, `overdue`, `to_call_back`.
    pub tab: Option<String>,
    /// `demand`, `problem`, `suggestion`.
    pub kind: Option<String>,
    /// Filed on or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Filed on or before this day.
    pub to: Option<String>,
    /// `new` (the default: newest first) or `deadline` (the next deadline first).
    pub sort: Option<String>,
}

fn parse_day(value: Option<&str>, field: &str, errors: &mut Vec<FieldError>) -> Option<chrono::NaiveDate> {
    let v = value.filter(|v| !v.is_empty())?;
    let parsed = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(field, "invalid_date", "日期格式应为 YYYY-MM-DD"));
    }
    parsed
}

/// The filters of a list query (the queue's counts take the same).
fn filter_of(q: &DemandListQuery) -> ApiResult<ListFilter> {
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
        q: q.q.clone(),
        mine_to_act: q.todo.unwrap_or(false),
        tab: parse_opt(q.tab.as_deref(), "tab", Tab::parse, &mut errors),
        kind: parse_opt(q.kind.as_deref(), "kind", Kind::parse, &mut errors),
        from: parse_day(q.from.as_deref(), "from", &mut errors),
        to: parse_day(q.to.as_deref(), "to", &mut errors),
        by_deadline: parse_opt(
            q.sort.as_deref(),
            "sort",
            |s| match s {
                "new" => Some(false),
                "deadline" => Some(true),
                _ => None,
            },
            &mut errors,
        )
        .unwrap_or(false),
    };
    no_errors(errors)?;
    Ok(filter)
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
    req: HttpRequest,
    query: crate::extract::Query<DemandListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let filter = filter_of(&q)?;
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    // Newest first pages by the last id; the deadline order by the place in it.
    let start = if filter.by_deadline {
        page.after::<1>("queue")?
            .map_or(PageStart::First, |[n]| PageStart::Offset(u64::try_from(n).unwrap_or(0)))
    } else {
        page.after_id()?.map_or(PageStart::First, PageStart::AfterId)
    };
    let (st, who) = (state.get_ref().clone(), auth.clone());
    let read = move || async move {
        let listed = demands::page(&st.db, st.calendar().await?, &who, &filter, start, limit).await?;
        let more = listed.rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        let (names, clock) = (&listed.names, &listed.clock);
        let mut page = Page::from_rows(
            listed.rows,
            limit,
            |d| d.id,
            |d| response::listed(&who, d, names, clock),
        );
        if filter.by_deadline {
            let offset = match start {
                PageStart::Offset(n) => n,
                _ => 0,
            };
            let next = i64::try_from(offset + limit).unwrap_or(i64::MAX);
            page.next_cursor = more.then(|| encode_position("queue", &[next]));
        }
        Ok(Answer::json(&page)?.revealing(listed.revealed))
    };
    crate::answers::answer(&state, &auth, &req, read).await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueCountsResponse {
    pub to_accept: u64,
    pub to_assign: u64,
    pub to_sign: u64,
    pub in_progress: u64,
    pub to_rate: u64,
    pub due_soon: u64,
    pub overdue: u64,
    pub to_call_back: u64,
}

/// How many demands each tab of the caller's queue holds, under the list's filters (`tab`,
/// `sort`, `cursor` and `limit` are ignored). Butlers, unit handlers, admins.
#[utoipa::path(tag = "demands", params(DemandListQuery), responses((status = 200, body = QueueCountsResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/demands/queue-counts")]
pub async fn queue_counts(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: crate::extract::Query<DemandListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DESK_STAFF)?;
    let filter = ListFilter {
        tab: None,
        ..filter_of(&query.parse()?)?
    };
    let (st, who) = (state.get_ref().clone(), auth.clone());
    let read = move || async move {
        let counts = demands::queue_counts(&st.db, st.calendar().await?, &who, &filter).await?;
        let n = |tab: Tab| counts.iter().find(|(t, _)| *t == tab).map_or(0, |(_, n)| *n);
        Answer::json(&QueueCountsResponse {
            to_accept: n(Tab::ToAccept),
            to_assign: n(Tab::ToAssign),
            to_sign: n(Tab::ToSign),
            in_progress: n(Tab::InProgress),
            to_rate: n(Tab::ToRate),
            due_soon: n(Tab::DueSoon),
            overdue: n(Tab::Overdue),
            to_call_back: n(Tab::ToCallBack),
        })
    };
    crate::answers::answer(&state, &auth, &req, read).await
}

/// One demand with its timeline.
#[utoipa::path(tag = "demands", params(("id" = String, Path)), responses((status = 200, body = DemandResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/demands/{id}")]
pub async fn get_demand(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (st, who, id) = (state.get_ref().clone(), auth.clone(), id.into_inner());
    let read = move || async move {
        let d = demands::readable(&st.db, &who, id).await?;
        let read = demands::reading::detail_unaudited(&st.db, st.calendar().await?, &who, d).await?;
        let revealed = read.revealed.clone();
        Ok(Answer::json(&detail(&who, read))?.revealing(revealed))
    };
    crate::answers::answer(&state, &auth, &req, read).await
}
