//! Demand figures.
use actix_web::{HttpResponse, get, web};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::answers::Answer;
use crate::auth::AuthUser;
use crate::domain::access::BUTLERS;
use crate::domain::calendar::end_of_day;
use crate::domain::demand::{Channel, Environment};
use crate::error::{ApiResult, ErrorBody, FieldError};
use crate::routes::no_errors;
use crate::service::demands;
use crate::service::stats::{self, Counts, GroupBy, mean_hours, rate};
use crate::state::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(demand_stats);
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// First day, `YYYY-MM-DD` (Asia/Shanghai).
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// `unit`, `environment` or `channel`.
    pub group_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DemandFigures)]
pub struct Figures {
    pub received: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub dispatched: i64,
    pub closed: i64,
    pub replied: i64,
    pub rated: i64,
    pub satisfied: i64,
    /// Flagged unreasonable: counted here, left out of the satisfaction rate.
    pub unreasonable: i64,
    pub returns: i64,
    /// Hours demands spent with a unit before it returned them (charged to dispatch).
    pub bounced_hours: f64,
    pub extensions: i64,
    pub overdue: i64,
    /// Signed within the limit ÷ dispatched.
    pub response_rate: Option<f64>,
    /// Closed ÷ (received − merged duplicates).
    pub completion_rate: Option<f64>,
    /// Satisfied ÷ rated (unrated never counts; unreasonable ones are left out).
    pub satisfaction_rate: Option<f64>,
    /// Replied by the deadline ÷ replied.
    pub on_time_rate: Option<f64>,
    pub mean_hours_to_accept: Option<f64>,
    pub mean_hours_to_sign: Option<f64>,
    /// From dispatch (not from signing) to the reply.
    pub mean_hours_to_reply: Option<f64>,
}

impl From<&Counts> for Figures {
    fn from(c: &Counts) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let bounced_hours = (c.bounced_secs as f64 / 360.0).round() / 10.0;
        Figures {
            received: c.received,
            accepted: c.accepted,
            rejected: c.rejected,
            dispatched: c.dispatched,
            closed: c.closed,
            replied: c.replied,
            rated: c.rated,
            satisfied: c.satisfied,
            unreasonable: c.unreasonable,
            returns: c.returns,
            bounced_hours,
            extensions: c.extensions,
            overdue: c.overdue,
            response_rate: rate(c.signed_in_time, c.dispatched),
            completion_rate: rate(c.closed, c.received - c.merged),
            satisfaction_rate: rate(c.satisfied, c.rated),
            on_time_rate: rate(c.replied_in_time, c.replied),
            mean_hours_to_accept: mean_hours(c.accept_secs_sum, c.accept_n),
            mean_hours_to_sign: mean_hours(c.sign_secs_sum, c.sign_n),
            mean_hours_to_reply: mean_hours(c.reply_secs_sum, c.reply_n),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Unit id, environment or channel code; null for "no unit".
    pub key: Option<String>,
    pub label: String,
    pub figures: Figures,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatsResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Figures,
    pub groups: Vec<Group>,
}

/// Demand figures for the demands received from `from` to `to` (inclusive).
///
/// Definitions: **received** demands filed in the period; **accepted** accepted at some point;
/// **dispatched** assigned to a unit at least once; **response rate** = signed within the sign
/// limit ÷ dispatched; **completion rate (办结率)** = closed ÷ (received − merged duplicates);
/// **satisfaction rate (满意率)** = rated satisfied ÷ rated, where a demand closed without a
/// rating is never counted as satisfied and demands flagged unreasonable are left out of both
/// and counted in `unreasonable`; **on-time rate** = replied by the reply deadline ÷ replied;
/// mean hours to accept (from filing), to sign and to reply (both from dispatch — the reply
/// clock starts at dispatch, not at signing); **returns** and the hours demands spent with a
/// unit before being returned; **overdue** demands currently flagged overdue.
#[utoipa::path(tag = "demands", params(StatsQuery), responses((status = 200, body = StatsResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/stats/demands")]
pub async fn demand_stats(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: actix_web::HttpRequest,
    query: crate::extract::Query<StatsQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let q = query.parse()?;
    let mut errors = Vec::new();
    if q.to < q.from {
        errors.push(FieldError::new("to", "before_from", "结束日期不能早于开始日期"));
    }
    let group_by = match q.group_by.as_deref() {
        None | Some("") => None,
        Some(g) => match GroupBy::parse(g) {
            Some(g) => Some(g),
            None => {
                errors.push(FieldError::new(
                    "groupBy",
                    "invalid_choice",
                    "分组应为 unit、environment 或 channel",
                ));
                None
            }
        },
    };
    no_errors(errors)?;
    let from = end_of_day(q.from - Duration::days(1)) + Duration::seconds(1);
    let to = end_of_day(q.to) + Duration::seconds(1);
    let (st, days) = (state.get_ref().clone(), (q.from, q.to));
    let read = move || async move {
        // One scan: grouped when asked, the total summed from the groups.
        let rows = stats::demand_counts(&st.db, from, to, group_by).await?;
        let total = Figures::from(&Counts::sum(&rows));
        let groups = match group_by {
            None => Vec::new(),
            Some(g) => {
                let units = if g == GroupBy::Unit {
                    demands::unit_names(&st.db, rows.iter().filter_map(|r| r.key.as_deref()?.parse().ok())).await?
                } else {
                    Default::default()
                };
                rows.iter()
                    .map(|r| {
                        let label = match (g, r.key.as_deref()) {
                            (_, None) => "未派单".to_owned(),
                            (GroupBy::Unit, Some(k)) => k
                                .parse()
                                .ok()
                                .and_then(|id: i64| units.get(&id).cloned())
                                .unwrap_or_default(),
                            (GroupBy::Environment, Some(k)) => {
                                Environment::parse(k).map_or(k, |e| e.label()).to_owned()
                            }
                            (GroupBy::Channel, Some(k)) => Channel::parse(k).map_or(k, |c| c.label()).to_owned(),
                            (GroupBy::ChannelEnvironment, Some(k)) => k.to_owned(),
                        };
                        Group {
                            key: r.key.clone(),
                            label,
                            figures: Figures::from(r),
                        }
                    })
                    .collect()
            }
        };
        Answer::json(&StatsResponse {
            from: days.0,
            to: days.1,
            total,
            groups,
        })
    };
    crate::answers::answer(&state, &auth, &req, read).await
}
