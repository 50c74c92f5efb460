//! 「企业之声」 reports: loads what a period needs, composes the report (`domain::report`),
//! stores it numbered within its kind, and queues its summary for the administration's group.
//! Regenerating a period rewrites its figures under the same number.
use std::collections::HashMap;

use crate::domain::report as spec;
use chrono::{DateTime, Utc};
use entity::{complaint, complaint_metoo, demand, demand_event, event, form_submission, report};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::demand::{Action, Channel, Environment, Status};
use crate::domain::report::{DemandFact, EventFact, Inputs, Period, Programs, ReportData, ReportKind, Voice};
use crate::domain::topics::top_words;
use crate::error::{ApiError, ApiResult};
use crate::service::{callbacks, demands, groups};
use chrono::NaiveDate;

#[derive(Debug, FromQueryResult)]
struct FactRow {
    id: i64,
    number: String,
    title: String,
    channel: Channel,
    environment: Environment,
    unit_id: Option<i64>,
    status: Status,
    created_at: DateTime<Utc>,
    accept_due_at: Option<DateTime<Utc>>,
    accepted_at: Option<DateTime<Utc>>,
    sign_due_at: Option<DateTime<Utc>>,
    signed_at: Option<DateTime<Utc>>,
    reply_due_at: Option<DateTime<Utc>>,
    replied_at: Option<DateTime<Utc>>,
    reply_late: Option<bool>,
    closed_at: Option<DateTime<Utc>>,
    rated_at: Option<DateTime<Utc>>,
    rating_satisfied: Option<bool>,
    unreasonable: bool,
}

impl From<FactRow> for DemandFact {
    fn from(r: FactRow) -> Self {
        DemandFact {
            id: r.id,
            number: r.number,
            title: r.title,
            channel: r.channel,
            environment: r.environment,
            unit_id: r.unit_id,
            status: r.status,
            created_at: r.created_at,
            accept_due_at: r.accept_due_at,
            accepted_at: r.accepted_at,
            sign_due_at: r.sign_due_at,
            signed_at: r.signed_at,
            reply_due_at: r.reply_due_at,
            replied_at: r.replied_at,
            reply_late: r.reply_late,
            closed_at: r.closed_at,
            rated_at: r.rated_at,
            rating_satisfied: r.rating_satisfied,
            unreasonable: r.unreasonable,
        }
    }
}

/// Demands filed from `since` to `end`, and older ones still open at `end`, each as it stood
/// at `end` (those moved since are replayed from their timeline).
pub async fn facts(db: &impl ConnectionTrait, since: DateTime<Utc>, end: DateTime<Utc>) -> ApiResult<Vec<DemandFact>> {
    use demand::Column as C;
    let scope = || {
        Condition::all().add(C::CreatedAt.lt(end)).add(
            Condition::any()
                .add(C::CreatedAt.gte(since))
                .add(C::ClosedAt.is_null())
                .add(C::ClosedAt.gte(end)),
        )
    };
    let rows = demand::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::Number,
            C::Title,
            C::Channel,
            C::Environment,
            C::UnitId,
            C::Status,
            C::CreatedAt,
            C::AcceptDueAt,
            C::AcceptedAt,
            C::SignDueAt,
            C::SignedAt,
            C::ReplyDueAt,
            C::RepliedAt,
            C::ReplyLate,
            C::ClosedAt,
            C::RatedAt,
            C::RatingSatisfied,
            C::Unreasonable,
        ])
        .filter(scope())
        .order_by_asc(C::Id)
        .into_model::<FactRow>()
        .all(db)
        .await?;
    // The demands of the scope that moved at or after `end`, and their timelines before it.
    use demand_event::Column as E;
    use sea_orm::ExprTrait;
    let moved_since = || {
        Query::select()
            .distinct()
            .column(E::DemandId)
            .from(demand_event::Entity)
            .and_where(Expr::col(E::CreatedAt).gte(end))
            .and_where(
                Expr::col(E::DemandId).in_subquery(
                    Query::select()
                        .column(C::Id)
                        .from(demand::Entity)
                        .cond_where(scope())
                        .take(),
                ),
            )
            .take()
    };
    type Row = (i64, Action, Status, DateTime<Utc>, Option<serde_json::Value>);
    let events: Vec<Row> = demand_event::Entity::find()
        .select_only()
        .columns([E::DemandId, E::Action, E::ToStatus, E::CreatedAt, E::Data])
        .filter(E::DemandId.in_subquery(moved_since()))
        .filter(E::CreatedAt.lt(end))
        .order_by_asc(E::DemandId)
        .order_by_asc(E::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut timelines: HashMap<i64, Vec<EventFact>> = HashMap::new();
    for (demand_id, action, to_status, at, data) in events {
        timelines.entry(demand_id).or_default().push(EventFact {
            action,
            to_status,
            at,
            data,
        });
    }
    let moved: std::collections::HashSet<i64> = db
        .query_all(&moved_since())
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .map(DemandFact::from)
        .map(|d| {
            if moved.contains(&d.id) {
                d.as_of(timelines.get(&d.id).map_or(&[][..], Vec::as_slice))
            } else {
                d
            }
        })
        .collect())
}

/// The most frequent words of what the period's demands say.
async fn hot_topics(db: &impl ConnectionTrait, period: Period) -> ApiResult<Vec<(String, usize)>> {
    let texts: Vec<(String, String)> = demand::Entity::find()
        .select_only()
        .columns([demand::Column::Title, demand::Column::Content])
        .filter(demand::Column::CreatedAt.gte(period.start()))
        .filter(demand::Column::CreatedAt.lt(period.end()))
        .order_by_asc(demand::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let joined: Vec<String> = texts.into_iter().map(|(t, c)| format!("{t}。{c}")).collect();
    Ok(top_words(joined.iter().map(String::as_str), spec::TOPICS))
}

/// The period's complaint-day posts with the most 同感 given by its end.
async fn voices(db: &impl ConnectionTrait, period: Period) -> ApiResult<Vec<Voice>> {
    let posts = complaint::Entity::find()
        .filter(complaint::Column::CreatedAt.gte(period.start()))
        .filter(complaint::Column::CreatedAt.lt(period.end()))
        .filter(complaint::Column::Hidden.eq(false))
        .all(db)
        .await?;
    let ids: Vec<i64> = posts.iter().map(|c| c.id).collect();
    let mut counts: Vec<(i64, i64)> = Vec::new();
    // In chunks: a busy complaint day brings thousands of posts, more than SQLite binds at once.
    for chunk in ids.chunks(500) {
        counts.extend(
            complaint_metoo::Entity::find()
                .select_only()
                .column(complaint_metoo::Column::ComplaintId)
                .column_as(complaint_metoo::Column::UserId.count(), "n")
                .filter(complaint_metoo::Column::ComplaintId.is_in(chunk.to_vec()))
                .filter(complaint_metoo::Column::CreatedAt.lt(period.end()))
                .group_by(complaint_metoo::Column::ComplaintId)
                .into_tuple::<(i64, i64)>()
                .all(db)
                .await?,
        );
    }
    let counts: HashMap<i64, u64> = counts
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect();
    let mut out: Vec<Voice> = posts
        .into_iter()
        .filter_map(|c| {
            let metoo = counts.get(&c.id).copied().filter(|n| *n > 0)?;
            Some(Voice {
                id: c.id.to_string(),
                content: bot::dialogue::clip(&c.content, 60),
                environment: c.environment.label().to_owned(),
                metoo,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.metoo
            .cmp(&a.metoo)
            .then_with(|| a.id.parse::<i64>().ok().cmp(&b.id.parse::<i64>().ok()))
    });
    out.truncate(spec::CASES);
    Ok(out)
}

/// The engagement programs between two instants.
pub async fn programs(db: &impl ConnectionTrait, start: DateTime<Utc>, end: DateTime<Utc>) -> ApiResult<Programs> {
    let events = event::Entity::find()
        .filter(event::Column::PublishedAt.is_not_null())
        .filter(event::Column::OpensAt.lt(end))
        .filter(event::Column::ClosesAt.gte(start))
        .count(db)
        .await?;
    let submissions = form_submission::Entity::find()
        .filter(form_submission::Column::CreatedAt.gte(start))
        .filter(form_submission::Column::CreatedAt.lt(end))
        .count(db)
        .await?;
    let complaints = complaint::Entity::find()
        .filter(complaint::Column::CreatedAt.gte(start))
        .filter(complaint::Column::CreatedAt.lt(end))
        .count(db)
        .await?;
    let metoos = complaint_metoo::Entity::find()
        .filter(complaint_metoo::Column::CreatedAt.gte(start))
        .filter(complaint_metoo::Column::CreatedAt.lt(end))
        .count(db)
        .await?;
    Ok(Programs {
        events,
        submissions,
        complaints,
        metoos,
    })
}

/// Everything a period's report says; `number` is the one it is stored under.
pub async fn compose(db: &impl ConnectionTrait, period: Period, number: i32) -> ApiResult<ReportData> {
    let since = period
        .trailing(spec::TREND_PERIODS)
        .first()
        .map_or_else(|| period.start(), |p| p.start());
    let demands = facts(db, since, period.end()).await?;
    let units = demands::unit_names(db, demands.iter().filter_map(|d| d.unit_id)).await?;
    Ok(spec::compose(Inputs {
        period,
        number,
        demands: &demands,
        units: &units,
        hot_topics: hot_topics(db, period).await?,
        voices: voices(db, period).await?,
        programs: programs(db, period.start(), period.end()).await?,
        callbacks: callbacks::figures(db, period.from, period.to).await?,
    }))
}

/// A report: its row, and what it says. The figures are stored as JSON text and read from it
/// straight into `ReportData`, never through a `serde_json::Value` tree: a province's weekly
/// report lists tens of thousands of overdue demands, and each such tree, or a copy of it,
/// took tens of megabytes.
#[derive(Debug, Clone)]
pub struct Report {
    pub head: Head,
    pub data: ReportData,
}

/// A report's row without its figures.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Head {
    pub id: i64,
    pub kind: ReportKind,
    pub number: i32,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub generated_at: DateTime<Utc>,
}

const HEAD: [report::Column; 6] = [
    report::Column::Id,
    report::Column::Kind,
    report::Column::Number,
    report::Column::PeriodFrom,
    report::Column::PeriodTo,
    report::Column::GeneratedAt,
];

/// Writes the report of the last complete period of `kind` before `now` and queues its
/// summary for the groups tagged `tag`; the report and the groups it went to.
pub async fn write_last(
    db: &impl ConnectionTrait,
    kind: ReportKind,
    now: DateTime<Utc>,
    tag: &str,
) -> ApiResult<(Report, usize)> {
    let period = Period::last_complete(kind, crate::types::local_time(now).date_naive());
    let report = generate(db, period, now).await?;
    let groups = push(db, &report, tag).await?;
    Ok((report, groups))
}

/// One report, with its figures.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<Report> {
    struct Stored(Head, String);
    impl FromQueryResult for Stored {
        fn from_query_result(row: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
            Ok(Stored(Head::from_query_result(row, pre)?, row.try_get(pre, "text")?))
        }
    }
    let Stored(head, text) = report::Entity::find_by_id(id)
        .select_only()
        .columns(HEAD)
        .column_as(Expr::cust("CAST(data AS TEXT)"), "text")
        .into_model::<Stored>()
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("report_not_found", "报告不存在"))?;
    let data = serde_json::from_str(&text).map_err(ApiError::internal)?;
    Ok(Report { head, data })
}

/// Writes (or rewrites) the report of a period that has ended. A new period takes the next
/// number of its kind; a period written before keeps its number.
pub async fn generate(db: &impl ConnectionTrait, period: Period, now: DateTime<Utc>) -> ApiResult<Report> {
    if period.end() > now {
        return Err(ApiError::invalid_field(
            "periodFrom",
            "period_not_ended",
            "该周期尚未结束，不能生成报告",
        ));
    }
    let kind = period.kind;
    let existing: Option<i32> = report::Entity::find()
        .select_only()
        .column(report::Column::Number)
        .filter(report::Column::Kind.eq(kind))
        .filter(report::Column::PeriodFrom.eq(period.from))
        .into_tuple()
        .one(db)
        .await?;
    let number = match existing {
        Some(n) => n,
        None => {
            let last: Option<Option<i32>> = report::Entity::find()
                .select_only()
                .column_as(report::Column::Number.max(), "n")
                .filter(report::Column::Kind.eq(kind))
                .into_tuple()
                .one(db)
                .await?;
            last.flatten().unwrap_or(0) + 1
        }
    };
    let data = compose(db, period, number).await?;
    let text = serde_json::to_string(&data).map_err(ApiError::internal)?;
    // The text goes in as it is: PostgreSQL's column is `json`, SQLite's is text.
    let stored = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            sea_orm::ExprTrait::cast_as(Expr::val(text), sea_orm::sea_query::Alias::new("json"))
        }
        _ => Expr::val(text),
    };
    use report::Column as C;
    let insert = Query::insert()
        .into_table(report::Entity)
        .columns([
            C::Kind,
            C::Number,
            C::PeriodFrom,
            C::PeriodTo,
            C::Data,
            C::GeneratedAt,
            C::CreatedAt,
        ])
        .values([
            Expr::val(kind.code()),
            Expr::val(number),
            Expr::val(period.from),
            Expr::val(period.to),
            stored,
            Expr::val(now),
            Expr::val(now),
        ])
        .map_err(ApiError::internal)?
        .on_conflict(
            OnConflict::columns([C::Kind, C::PeriodFrom])
                .update_columns([C::Data, C::GeneratedAt])
                .to_owned(),
        )
        .returning_col(C::Id)
        .take();
    let id: i64 = db
        .query_one(&insert)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("report not written")))?
        .try_get_by_index(0)?;
    Ok(Report {
        head: Head {
            id,
            kind,
            number,
            period_from: period.from,
            period_to: period.to,
            generated_at: now,
        },
        data,
    })
}

/// The rows of the reports of a kind (or all), newest period first, without their figures
/// (`get` reads those, one report at a time).
pub async fn list(db: &impl ConnectionTrait, kind: Option<ReportKind>) -> ApiResult<Vec<Head>> {
    let mut q = report::Entity::find()
        .select_only()
        .columns(HEAD)
        .order_by_desc(report::Column::PeriodFrom)
        .order_by_asc(report::Column::Kind)
        .limit(200);
    if let Some(k) = kind {
        q = q.filter(report::Column::Kind.eq(k));
    }
    Ok(q.into_model::<Head>().all(db).await?)
}

/// Queues the report's summary for every active group tagged `tag`. Once per report.
pub async fn push(db: &impl ConnectionTrait, r: &Report, tag: &str) -> ApiResult<usize> {
    let markdown = crate::render::report_markdown::render(&r.data);
    let mut sent = 0;
    for (g, _) in groups::list(db).await? {
        let tagged = crate::service::enterprises::labels(&g.tags).iter().any(|t| t == tag);
        if g.status == entity::codes::GroupStatus::Active && tagged {
            groups::enqueue(
                db,
                g.id,
                "report",
                &format!("report:{}:g{}", r.head.id, g.id),
                &markdown,
            )
            .await?;
            sent += 1;
        }
    }
    Ok(sent)
}
