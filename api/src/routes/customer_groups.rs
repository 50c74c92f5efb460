//! Customer groups (客户群) for admins and their butlers, the confirmed mass-sends that reach
//! them, the butler's sidebar in WeCom's chat toolbar (signed in with WeCom's web OAuth), and
//! the mini-program's visits from a group card.
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use entity::codes::{CustomerGroupStatus, MassSendGroupState, MassSendState};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::{ADMINS, BUTLERS, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::customer_groups::{self as groups, GroupView, Scope, TaskView, WaitingView};
use crate::service::{console_login, group_visits, people};
use crate::state::AppState;
use crate::types::{Id, local_time, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_customer_groups)
        .service(sync_customer_groups)
        .service(link_enterprises)
        .service(kf_link)
        .service(list_mass_sends)
        .service(sidebar_group)
        .service(sidebar_send)
        .service(js_config)
        .service(wecom_authorize)
        .service(wecom_sign_in)
        .service(enter_group);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamedRef {
    pub id: Id,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupFigures {
    /// Mini-program visits from a card in the group.
    pub visits: u64,
    /// Policies read in those visits.
    pub reads: u64,
    /// Demands filed in those visits.
    pub demands: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerGroup {
    pub id: Id,
    pub chat_id: String,
    pub name: String,
    /// The owner's WeCom userid (a butler).
    pub owner_userid: String,
    /// The owner's name, when their WeCom id is bound to a person.
    pub owner_name: Option<String>,
    pub status: CustomerGroupStatus,
    pub member_count: i32,
    /// Members who are WeChat users.
    pub external_count: i32,
    pub enterprises: Vec<NamedRef>,
    /// Enterprises of members whose unionid is a bound person's, not linked yet.
    pub suggested: Vec<NamedRef>,
    pub figures: GroupFigures,
    /// Policies waiting for the group's next digest.
    pub waiting: u64,
    /// Why they have not gone yet.
    pub wait_reason: Option<String>,
    /// The 微信客服 link with the group's scene.
    pub kf_link: Option<String>,
    pub synced_at: DateTime<FixedOffset>,
}

fn named(list: Vec<(i64, String)>) -> Vec<NamedRef> {
    list.into_iter()
        .map(|(id, name)| NamedRef { id: Id(id), name })
        .collect()
}

fn group_response(v: GroupView) -> CustomerGroup {
    CustomerGroup {
        id: Id(v.group.id),
        chat_id: v.group.chat_id,
        name: v.group.name,
        owner_userid: v.group.owner_userid,
        owner_name: v.owner_name,
        status: v.group.status,
        member_count: v.group.member_count,
        external_count: v.group.external_count,
        enterprises: named(v.enterprises),
        suggested: named(v.suggested),
        figures: GroupFigures {
            visits: v.visits,
            reads: v.reads,
            demands: v.demands,
        },
        waiting: v.waiting,
        wait_reason: v.wait_reason,
        kf_link: v.group.kf_link,
        synced_at: local_time(v.group.synced_at),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerGroupList {
    pub items: Vec<CustomerGroup>,
}

/// Whose groups the caller sees: admins all, butlers those they own (by their bound WeCom id).
async fn scope(state: &AppState, auth: &Principal) -> ApiResult<Scope> {
    auth.require_role(BUTLERS)?;
    Ok(if auth.is_admin() {
        Scope::All
    } else {
        Scope::Owners(groups::wecom_ids(&state.db, auth.id).await?)
    })
}

/// The customer groups: all for admins, a butler's own for a butler.
#[utoipa::path(tag = "customer-groups", responses((status = 200, body = CustomerGroupList), (status = 403, body = ErrorBody)))]
#[get("/customer-groups")]
pub async fn list_customer_groups(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let scope = scope(&state, &auth).await?;
    let items = groups::list(&state.db, &scope).await?;
    Ok(HttpResponse::Ok().json(CustomerGroupList {
        items: items.into_iter().map(group_response).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerGroupSync {
    pub groups: usize,
    pub members: usize,
}

/// Sync the customer groups of every butler and admin bound to a WeCom id from WeCom (admins).
#[utoipa::path(tag = "customer-groups", responses(
    (status = 200, body = CustomerGroupSync), (status = 400, description = "`wecom_not_configured`", body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 503, description = "`wecom_unavailable`, `wecom_refused`", body = ErrorBody)))]
#[post("/customer-groups/sync")]
pub async fn sync_customer_groups(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let (groups, members) = groups::sync_all(&state.db, &state.wecom).await?;
    Ok(HttpResponse::Ok().json(CustomerGroupSync { groups, members }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkEnterprisesRequest {
    pub enterprise_ids: Vec<Id>,
}

/// Link a customer group to exactly these enterprises (admins).
#[utoipa::path(tag = "customer-groups", params(("id" = String, Path)), request_body = LinkEnterprisesRequest, responses(
    (status = 200, body = CustomerGroup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/customer-groups/{id}/enterprises")]
pub async fn link_enterprises(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<LinkEnterprisesRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    if b.enterprise_ids.len() > 200 {
        return Err(ApiError::invalid_field(
            "enterpriseIds",
            "too_many",
            "一个群最多关联200家企业",
        ));
    }
    let g = groups::get(&state.db, id.into_inner()).await?;
    let ids: Vec<i64> = b.enterprise_ids.iter().map(|i| i.0).collect();
    groups::link(&state.db, g.id, &ids).await?;
    Ok(HttpResponse::Ok().json(group_response(groups::view(&state.db, g).await?)))
}

/// Make the group's 微信客服 link (`kf/add_contact_way` with the group's scene), for its welcome
/// message and the sidebar (admins).
#[utoipa::path(tag = "customer-groups", params(("id" = String, Path)), responses(
    (status = 200, body = CustomerGroup), (status = 400, description = "`kf_not_configured`, `wecom_not_configured`", body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[post("/customer-groups/{id}/kf-link")]
pub async fn kf_link(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let g = groups::get(&state.db, id.into_inner()).await?;
    let g = groups::make_kf_link(&state.db, &state.wecom, state.settings.wecom.kf_open_kfid.as_deref(), g).await?;
    Ok(HttpResponse::Ok().json(group_response(groups::view(&state.db, g).await?)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MassSendGroupRef {
    pub id: Id,
    pub name: String,
    pub state: MassSendGroupState,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRef {
    pub id: Id,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MassSend {
    pub id: Id,
    pub day: NaiveDate,
    pub owner_userid: String,
    pub owner_name: Option<String>,
    /// `awaiting`: created in WeCom, the butler has not confirmed it yet.
    pub state: MassSendState,
    pub groups: Vec<MassSendGroupRef>,
    pub policies: Vec<PolicyRef>,
    pub reminded_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitingPush {
    pub group_id: Id,
    pub group_name: String,
    pub policy_id: Id,
    pub policy_title: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MassSendList {
    pub items: Vec<MassSend>,
    /// Policies waiting for a group's digest, and why.
    pub waiting: Vec<WaitingPush>,
}

fn task_response(t: TaskView) -> MassSend {
    MassSend {
        id: Id(t.task.id),
        day: t.task.day,
        owner_userid: t.task.owner_userid,
        owner_name: t.owner_name,
        state: t.task.state,
        groups: t
            .groups
            .into_iter()
            .map(|(id, name, state)| MassSendGroupRef {
                id: Id(id),
                name,
                state,
            })
            .collect(),
        policies: t
            .policies
            .into_iter()
            .map(|(id, title)| PolicyRef { id: Id(id), title })
            .collect(),
        reminded_at: t.task.reminded_at.map(local_time),
        created_at: local_time(t.task.created_at),
    }
}

fn waiting_response(w: WaitingView) -> WaitingPush {
    WaitingPush {
        group_id: Id(w.group_id),
        group_name: w.group_name,
        policy_id: Id(w.policy_id),
        policy_title: w.policy_title,
        reason: w.reason,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MassSendQuery {
    /// `unconfirmed` (not yet created, or waiting for the butler) or `all` (default).
    pub state: Option<String>,
}

/// The confirmed-send tasks (all for admins, a butler's own) and the policies waiting.
#[utoipa::path(tag = "customer-groups", params(MassSendQuery), responses(
    (status = 200, body = MassSendList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/mass-sends")]
pub async fn list_mass_sends(
    state: web::Data<AppState>,
    auth: AuthUser,
    q: crate::extract::Query<MassSendQuery>,
) -> ApiResult<HttpResponse> {
    let scope = scope(&state, &auth).await?;
    let unconfirmed = match q.parse()?.state.as_deref() {
        None | Some("all") => false,
        Some("unconfirmed") => true,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "state",
                "invalid",
                "state 只能是 unconfirmed 或 all",
            ));
        }
    };
    let (items, waiting) = groups::tasks(&state.db, &scope, unconfirmed).await?;
    Ok(HttpResponse::Ok().json(MassSendList {
        items: items.into_iter().map(task_response).collect(),
        waiting: waiting.into_iter().map(waiting_response).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SidebarPolicy {
    pub id: Id,
    pub title: String,
    pub issuer: String,
    pub for_whom: String,
    pub apply_by: Option<NaiveDate>,
    /// The mini-program page the card opens.
    pub page: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SidebarDemand {
    pub id: Id,
    pub number: String,
    pub title: String,
    pub status: entity::codes::Status,
    pub status_label: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SidebarGroup {
    /// The mini-program's AppID (the cards open it).
    pub app_id: String,
    pub group: CustomerGroup,
    /// Matched to the group's enterprises and not yet sent there.
    pub policies: Vec<SidebarPolicy>,
    /// The group's open demands.
    pub demands: Vec<SidebarDemand>,
}

/// The sidebar's view of the current group (`ww.getCurExternalChat`): its owner or an admin.
#[utoipa::path(tag = "customer-groups", params(("chatId" = String, Path)), responses(
    (status = 200, body = SidebarGroup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/customer-groups/by-chat/{chatId}")]
pub async fn sidebar_group(
    state: web::Data<AppState>,
    auth: AuthUser,
    chat_id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let scope = scope(&state, &auth).await?;
    let g = groups::by_chat(&state.db, &chat_id)
        .await?
        .ok_or_else(|| ApiError::not_found("not_found", "客户群不存在，请管理员先同步客户群"))?;
    let g = groups::get_in(&state.db, &scope, g.id).await?;
    let (policies, demands) = groups::sidebar(&state.db, &g, today()).await?;
    Ok(HttpResponse::Ok().json(SidebarGroup {
        app_id: state.wechat.app_id().unwrap_or_default().to_owned(),
        group: group_response(groups::view(&state.db, g).await?),
        policies: policies
            .into_iter()
            .map(|p| SidebarPolicy {
                page: format!("subpackages/policy/detail/index.html?id={}", p.id),
                id: Id(p.id),
                title: p.title,
                issuer: p.issuer,
                for_whom: p.for_whom,
                apply_by: p.apply_by,
            })
            .collect(),
        demands: demands
            .into_iter()
            .map(|d| SidebarDemand {
                id: Id(d.id),
                number: d.number,
                title: d.title,
                status: d.status,
                status_label: d.status.label().to_owned(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SidebarSendRequest {
    pub policy_id: Id,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SidebarSent {
    pub sent: bool,
}

/// The butler sent a policy's card into the group from the sidebar (`ww.sendChatMessage`):
/// recorded, so it leaves the sidebar's list and the group's digest. 409 `already_sent`.
#[utoipa::path(tag = "customer-groups", params(("id" = String, Path)), request_body = SidebarSendRequest, responses(
    (status = 200, body = SidebarSent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`already_sent`", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/customer-groups/{id}/sidebar-sends")]
pub async fn sidebar_send(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<SidebarSendRequest>,
) -> ApiResult<HttpResponse> {
    let scope = scope(&state, &auth).await?;
    let g = groups::get_in(&state.db, &scope, id.into_inner()).await?;
    groups::sent_from_sidebar(&state.db, g.id, body.parse()?.policy_id.0).await?;
    Ok(HttpResponse::Ok().json(SidebarSent { sent: true }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JsSignatureQuery {
    /// The page's URL (what follows `#` is not signed).
    pub url: String,
    /// `agent` (`wx.agentConfig`, default) or `corp` (`wx.config`).
    pub kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JsSignature {
    pub corp_id: String,
    pub agent_id: String,
    pub timestamp: i64,
    pub nonce_str: String,
    pub signature: String,
}

/// The JS-SDK signature for the sidebar page (butlers, admins).
#[utoipa::path(tag = "customer-groups", params(JsSignatureQuery), responses(
    (status = 200, body = JsSignature), (status = 400, description = "`wecom_not_configured`", body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[get("/wecom/js-signature")]
pub async fn js_config(
    state: web::Data<AppState>,
    auth: AuthUser,
    q: crate::extract::Query<JsSignatureQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let q = q.parse()?;
    let agent = match q.kind.as_deref() {
        None | Some("agent") => true,
        Some("corp") => false,
        Some(_) => return Err(ApiError::invalid_field("kind", "invalid", "kind 只能是 agent 或 corp")),
    };
    if !(q.url.starts_with("https://") || q.url.starts_with("http://")) || q.url.len() > 2000 {
        return Err(ApiError::invalid_field("url", "invalid", "请提供当前页面的完整网址"));
    }
    let signed = groups::js_signature(&state.wecom, agent, &q.url).await?;
    Ok(HttpResponse::Ok().json(JsSignature {
        corp_id: state.settings.wecom.corp_id.clone(),
        agent_id: state.settings.wecom.agent_id.clone().unwrap_or_default(),
        signature: signed.signature,
        timestamp: signed.timestamp,
        nonce_str: signed.nonce,
    }))
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuthorizeQuery {
    /// Where WeCom sends the person back with `?code=`: a page of the console (`…/console/…`).
    pub redirect: String,
}

/// Start WeCom's web sign-in (OAuth, `snsapi_base`) for the sidebar: 302 to WeCom, which comes
/// back to `redirect` with a code for `POST /auth/wecom`.
#[utoipa::path(tag = "auth", params(AuthorizeQuery), responses((status = 302), (status = 422, body = ErrorBody)))]
#[get("/auth/wecom/authorize")]
pub async fn wecom_authorize(
    state: web::Data<AppState>,
    q: crate::extract::Query<AuthorizeQuery>,
) -> ApiResult<HttpResponse> {
    let redirect = q.parse()?.redirect;
    let console_page = url::Url::parse(&redirect)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.path().starts_with("/console/"));
    if console_page.is_none() {
        return Err(ApiError::invalid_field("redirect", "invalid", "只能回到控制台的页面"));
    }
    let w = &state.settings.wecom;
    let location = format!(
        "https://open.weixin.qq.com/connect/oauth2/authorize?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state=sidebar&agentid={}#wechat_redirect",
        enc(&w.corp_id),
        enc(&redirect),
        enc(w.agent_id.as_deref().unwrap_or_default()),
    );
    Ok(HttpResponse::Found()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WecomSignInRequest {
    /// The code WeCom's web sign-in gave (in development mode also `dev:<WeCom userid>`).
    pub code: String,
}

/// Sign the sidebar in with WeCom's web sign-in: the corp member behind the code, bound to a
/// butler or admin (with 「绑定」), gets a console session.
#[utoipa::path(tag = "auth", request_body = WecomSignInRequest, responses(
    (status = 200, body = crate::routes::console_auth::ConsoleSessionResponse),
    (status = 401, description = "`wecom_code_invalid`", body = ErrorBody),
    (status = 403, description = "`not_staff`", body = ErrorBody),
    (status = 503, body = ErrorBody)))]
#[post("/auth/wecom")]
pub async fn wecom_sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<WecomSignInRequest>,
) -> ApiResult<HttpResponse> {
    let code = body.parse()?.code;
    let code = code.trim();
    let invalid = || ApiError::unauthorized("wecom_code_invalid", "企业微信登录凭证无效或已过期，请重新打开侧边栏");
    if code.is_empty() || code.len() > 512 {
        return Err(invalid());
    }
    let userid = match code.strip_prefix("dev:") {
        Some(id) if state.settings.wechat.dev_mode => Some(id.to_owned()),
        Some(_) => None,
        None => groups::wecom_user_of_code(&state.wecom, code).await?,
    };
    let userid = userid.ok_or_else(invalid)?;
    let user_id = crate::service::wecom::bound_user(&state.db, &userid)
        .await?
        .ok_or_else(console_login::not_staff)?;
    let roles = people::active_roles(&state.db, user_id).await?.unwrap_or_default();
    let who = Principal { id: user_id, roles };
    if who.require_role(BUTLERS).is_err() {
        return Err(console_login::not_staff());
    }
    crate::routes::console_auth::signed_in(&state, &req, user_id).await
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupEntryRequest {
    /// From `wx.getGroupEnterInfo`.
    pub encrypted_data: String,
    pub iv: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupEntryGroup {
    pub id: Id,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupEntry {
    /// Send it with a demand (`groupVisitId`) or a policy read (`groupVisit`).
    pub visit_id: Id,
    /// The customer group, when it is one of the administration's.
    pub group: Option<GroupEntryGroup>,
}

/// The mini-program was opened from a card in a group: the data of `wx.getGroupEnterInfo`,
/// opened with the session key of the caller's last sign-in. 422 `group_entry_invalid`: sign
/// in again and retry.
#[utoipa::path(tag = "customer-groups", request_body = GroupEntryRequest, responses(
    (status = 201, body = GroupEntry), (status = 401, body = ErrorBody), (status = 422, description = "`group_entry_invalid`", body = ErrorBody)))]
#[post("/me/group-entries")]
pub async fn enter_group(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<GroupEntryRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.parse()?;
    if b.encrypted_data.len() > 8192 || b.iv.len() > 64 {
        return Err(group_visits::entry_invalid());
    }
    let (visit, group) = group_visits::enter(
        &state.db,
        &state.settings,
        &state.wecom,
        state.wechat.app_id(),
        auth.id,
        &b.encrypted_data,
        &b.iv,
    )
    .await?;
    Ok(HttpResponse::Created().json(GroupEntry {
        visit_id: Id(visit.id),
        group: group.map(|g| GroupEntryGroup {
            id: Id(g.id),
            name: g.name,
        }),
    }))
}
