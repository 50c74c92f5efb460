//! The admin dashboard: one endpoint per panel, each over `?from=&to=` (default: the last 30
//! days, today included), and the unit league table with every rate's sample size.
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::answers::Answer;
use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::callback::Figures as CallbackFigures;
use crate::domain::demand::{Channel, Environment};
use crate::domain::event::EventKind;
use crate::domain::report::Programs;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::routes::stats::{Figures, Group};
use crate::service::dashboard::{self, PolicyReach, WeekCount};
use crate::service::media::PublicityFigures;
use crate::service::stats::{self, Counts, GroupBy};
use crate::service::{callbacks, media, plans, reports};
use crate::state::AppState;
use crate::types::today;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(demand_panel)
        .service(program_panel)
        .service(policy_panel)
        .service(callback_panel)
        .service(plan_panel)
        .service(publicity_panel)
        .service(unit_league);
}

/// The longest period a panel covers.
const MAX_DAYS: i64 = 400;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day (default: 30 days before `to`).
    pub from: Option<NaiveDate>,
    /// Last day, inclusive (default: today).
    pub to: Option<NaiveDate>,
}

impl RangeQuery {
    pub(crate) fn range(&self) -> ApiResult<(NaiveDate, NaiveDate)> {
        let to = self.to.unwrap_or_else(today);
        let from = self.from.unwrap_or(to - Duration::days(30));
        if from > to {
            return Err(ApiError::invalid_field(
                "from",
                "invalid_range",
                "开始日期不能晚于结束日期",
            ));
        }
        if (to - from).num_days() > MAX_DAYS {
            return Err(ApiError::invalid_field(
                "from",
                "range_too_long",
                "统计区间不能超过 400 天",
            ));
        }
        Ok((from, to))
    }
}

fn admin(auth: &AuthUser) -> ApiResult<()> {
    Ok(auth.require_role(ADMINS)?)
}

/// A panel's period: the days asked for and the instants they run between (Asia/Shanghai).
struct Window {
    from: NaiveDate,
    to: NaiveDate,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Every panel's preamble: admins only, the period checked.
/// The period of a panel, read once the caller is known to be an admin.
fn window(auth: &AuthUser, query: crate::extract::Query<RangeQuery>) -> ApiResult<Window> {
    admin(auth)?;
    let (from, to) = query.parse()?.range()?;
    let (start, end) = dashboard::bounds(from, to);
    Ok(Window { from, to, start, end })
}

fn groups(rows: &[Counts], label: impl Fn(&str) -> String) -> Vec<Group> {
    rows.iter()
        .map(|r| Group {
            key: r.key.clone(),
            label: r.key.as_deref().map_or_else(|| "未分类".to_owned(), &label),
            figures: Figures::from(r),
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemandPanel {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Figures,
    pub by_channel: Vec<Group>,
    pub by_environment: Vec<Group>,
    pub by_week: Vec<WeekCount>,
}

/// Demand figures (as `/stats/demands` defines them) by channel, by environment and by week.
#[utoipa::path(tag = "dashboard", params(RangeQuery), responses((status = 200, body = DemandPanel), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/demands")]
pub async fn demand_panel(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: crate::extract::Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    let Window { from, to, start, end } = window(&auth, query)?;
    let st = state.get_ref().clone();
    let read = move || async move {
        // One scan grouped by channel and environment, beside the weekly counts.
        let (pairs, by_week) = tokio::try_join!(
            stats::demand_counts(&st.db, start, end, Some(GroupBy::ChannelEnvironment)),
            dashboard::demands_by_week(&st.db, from, to),
        )?;
        let channels = stats::regroup(&pairs, 0);
        let environments = stats::regroup(&pairs, 1);
        Answer::json(&DemandPanel {
            from,
            to,
            total: Figures::from(&Counts::sum(&channels)),
            by_channel: groups(&channels, |k| Channel::parse(k).map_or(k, |c| c.label()).to_owned()),
            by_environment: groups(&environments, |k| {
                Environment::parse(k).map_or(k, |e| e.label()).to_owned()
            }),
            by_week,
        })
    };
    crate::answers::answer(&state, &auth, &req, read).await
}

/// The engagement programs: events open, checklists and scorecards submitted, complaint-day
/// posts and 同感.
#[utoipa::path(tag = "dashboard", params(RangeQuery), responses((status = 200, body = Programs), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/programs")]
pub async fn program_panel(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    let Window { start, end, .. } = window(&auth, query)?;
    Ok(HttpResponse::Ok().json(reports::programs(&state.db, start, end).await?))
}

/// Policy reach: published, delivered, read, understood.
#[utoipa::path(tag = "dashboard", params(RangeQuery), responses((status = 200, body = PolicyReach), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/policies")]
pub async fn policy_panel(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    let Window { start, end, .. } = window(&auth, query)?;
    Ok(HttpResponse::Ok().json(dashboard::policy_reach(&state.db, start, end).await?))
}

/// New-enterprise call-back coverage, problems found, policy awareness.
#[utoipa::path(tag = "dashboard", params(RangeQuery), responses((status = 200, body = CallbackFigures), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/callbacks")]
pub async fn callback_panel(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    let Window { from, to, .. } = window(&auth, query)?;
    Ok(HttpResponse::Ok().json(callbacks::figures(&state.db, from, to).await?))
}

/// Action-plan items as they stand today, in all and by owner unit.
#[utoipa::path(tag = "dashboard", responses((status = 200, body = plans::Figures), (status = 403, body = ErrorBody)))]
#[get("/dashboard/plans")]
pub async fn plan_panel(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    admin(&auth)?;
    Ok(HttpResponse::Ok().json(plans::figures(&state.db, None, today()).await?))
}

/// Publicity by level and by month.
#[utoipa::path(tag = "dashboard", params(RangeQuery), responses((status = 200, body = PublicityFigures), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/publicity")]
pub async fn publicity_panel(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    let Window { from, to, .. } = window(&auth, query)?;
    Ok(HttpResponse::Ok().json(media::figures(&state.db, from, to).await?))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeagueRow {
    pub unit_id: String,
    pub unit_name: String,
    /// Demands dispatched to the unit in the period: the sample of the response rate.
    pub dispatched: i64,
    /// Signed within the limit ÷ dispatched.
    pub response_rate: Option<f64>,
    /// Received − merged: the sample of the completion rate.
    pub completion_sample: i64,
    pub completion_rate: Option<f64>,
    /// Replied: the sample of the on-time rate.
    pub replied: i64,
    pub on_time_rate: Option<f64>,
    /// Rated (unreasonable ones left out): the sample of the satisfaction rate.
    pub rated: i64,
    pub satisfaction_rate: Option<f64>,
    /// Mean scorecard score (0–100) of the questions assessing the unit, and the submissions.
    pub scorecard_score: Option<f64>,
    pub scorecard_samples: u64,
    /// The same for mystery-shopper reports.
    pub mystery_score: Option<f64>,
    pub mystery_samples: u64,
    /// Fewer than `minSample` dispatched: shown, not ranked.
    pub ranked: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct League {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Units with fewer dispatched demands are listed after the ranked ones, unranked.
    pub min_sample: i64,
    pub items: Vec<LeagueRow>,
}

/// Below this many dispatched demands a unit is not ranked (three demands are not three hundred).
pub const MIN_SAMPLE: i64 = 10;

/// The unit league table for the assessment: per unit, response, completion, on-time and
/// satisfaction rates, scorecard and mystery-shopper scores, each with its sample size. Ranked
/// units (at least `minSample` dispatched) come first by satisfaction, then completion; the
/// others follow, unranked.
#[utoipa::path(tag = "dashboard", params(RangeQuery), responses((status = 200, body = League), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/units")]
pub async fn unit_league(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: crate::extract::Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    let Window { from, to, start, end } = window(&auth, query)?;
    let st = state.get_ref().clone();
    let read = move || async move {
        let (rows, scorecards, mystery, units) = tokio::try_join!(
            stats::demand_counts(&st.db, start, end, Some(GroupBy::Unit)),
            dashboard::unit_scores(&st.db, EventKind::ScorecardRound, start, end),
            dashboard::unit_scores(&st.db, EventKind::MysteryShopperWeek, start, end),
            crate::service::units::all(&st.db),
        )?;
        let by_id: std::collections::HashMap<String, &Counts> =
            rows.iter().filter_map(|r| Some((r.key.clone()?, r))).collect();
        let empty = Counts::default();
        let mut items: Vec<LeagueRow> = units
            .iter()
            .map(|u| {
                let c = by_id.get(&u.id.to_string()).copied().unwrap_or(&empty);
                let f = Figures::from(c);
                let sc = scorecards.get(&u.code);
                let ms = mystery.get(&u.code);
                LeagueRow {
                    unit_id: u.id.to_string(),
                    unit_name: u.name.clone(),
                    dispatched: c.dispatched,
                    response_rate: f.response_rate,
                    completion_sample: c.received - c.merged,
                    completion_rate: f.completion_rate,
                    replied: c.replied,
                    on_time_rate: f.on_time_rate,
                    rated: c.rated,
                    satisfaction_rate: f.satisfaction_rate,
                    scorecard_score: sc.map(|s| s.score),
                    scorecard_samples: sc.map_or(0, |s| s.samples),
                    mystery_score: ms.map(|s| s.score),
                    mystery_samples: ms.map_or(0, |s| s.samples),
                    ranked: c.dispatched >= MIN_SAMPLE,
                }
            })
            .collect();
        let key = |r: &LeagueRow| (r.satisfaction_rate.unwrap_or(-1.0), r.completion_rate.unwrap_or(-1.0));
        items.sort_by(|a, b| {
            b.ranked
                .cmp(&a.ranked)
                .then_with(|| key(b).partial_cmp(&key(a)).unwrap_or(std::cmp::Ordering::Equal))
                .then_with(|| b.dispatched.cmp(&a.dispatched))
                .then_with(|| a.unit_name.cmp(&b.unit_name))
        });
        Answer::json(&League {
            from,
            to,
            min_sample: MIN_SAMPLE,
            items,
        })
    };
    crate::answers::answer(&state, &auth, &req, read).await
}
