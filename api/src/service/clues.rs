//! Conduct clues (问题线索) for discipline staff: reporting and referral from a demand, the
//! handling (受理 → 初核 → 处置), the audited reveal of a reporter, a problem fed back to a unit
//! as a demand, typical cases, the figures and the periodic bulletin.
//!
//! Who may call what is checked by the routes (`DISCIPLINE`); every read of a clue made here is
//! written to the audit log, and the reporter is read from `clue_reporters` only where the
//! clue is named, or through `reveal`.
use chrono::{DateTime, NaiveDate, Utc};
use entity::{clue, clue_bulletin, clue_case, clue_event, clue_reporter, demand};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use crate::domain::clue::{
    self as rules, ClueAction, ClueCategory, ClueFact, ClueFigures, ClueOutcome, ClueSource, ClueStatus, Disposal,
    Stage,
};
use crate::domain::demand::{Action, Channel, ContentCheck, Environment, Kind};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, Move, NewDemand};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::service::{notify, privacy};
use crate::settings::Settings;

/// The audit log's object type for clues (and their bulletins): entries of this type are
/// discipline staff's, kept out of the admins' view of the log.
pub const AUDITED: &str = "clue";

fn not_found() -> ApiError {
    ApiError::not_found("clue_not_found", "线索不存在")
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<clue::Model> {
    clue::Entity::find_by_id(id).one(db).await?.ok_or_else(not_found)
}

/// A clue as reported.
pub struct NewClue {
    pub category: ClueCategory,
    pub unit_id: Option<i64>,
    pub official: Option<String>,
    pub content: String,
    pub happened_on: Option<NaiveDate>,
    pub anonymous: bool,
    pub files: FileRefs,
}

/// How a clue came to be written: its source, the reporter (kept apart) and the first line of
/// its history.
struct Filed {
    source: ClueSource,
    demand_id: Option<i64>,
    file_ids: Vec<i64>,
    reporter_id: Option<i64>,
    reporter_phone: Option<String>,
    action: ClueAction,
    actor_id: Option<i64>,
    due_at: DateTime<Utc>,
}

/// Writes a clue, its reporter (apart) and the first line of its history.
async fn insert(db: &impl ConnectionTrait, c: NewClue, f: Filed) -> ApiResult<clue::Model> {
    let now = Utc::now();
    let saved = clue::Entity::insert(clue::ActiveModel {
        category: Set(c.category),
        unit_id: Set(c.unit_id),
        official: Set(c.official),
        content: Set(c.content),
        happened_on: Set(c.happened_on),
        anonymous: Set(c.anonymous),
        source: Set(f.source),
        demand_id: Set(f.demand_id),
        file_ids: Set(crate::types::ids_json(&f.file_ids)),
        status: Set(ClueStatus::Received),
        fast_track: Set(false),
        due_at: Set(f.due_at),
        outcome: Set(None),
        persons: Set(None),
        created_at: Set(now),
        accepted_at: Set(None),
        closed_at: Set(None),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    clue_reporter::Entity::insert(clue_reporter::ActiveModel {
        clue_id: Set(saved.id),
        user_id: Set(f.reporter_id),
        phone: Set(f.reporter_phone),
    })
    .exec_without_returning(db)
    .await?;
    add_event(db, saved.id, f.action, f.actor_id, None).await?;
    Ok(saved)
}

async fn add_event(
    db: &impl ConnectionTrait,
    clue_id: i64,
    action: ClueAction,
    actor_id: Option<i64>,
    note: Option<String>,
) -> ApiResult<()> {
    clue_event::Entity::insert(clue_event::ActiveModel {
        clue_id: Set(clue_id),
        action: Set(action),
        actor_id: Set(actor_id),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A signed-in person reports an official's conduct, by name or anonymously.
pub async fn report<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    reporter: i64,
    c: NewClue,
) -> ApiResult<clue::Model> {
    let claim = files::check(db, Uploader::Person(reporter), &c.files, MAX_FILES, None).await?;
    let calendar = crate::service::calendar::load(db).await?;
    let due = rules::accept_due(&calendar, Utc::now());
    let txn = crate::service::begin_write(db).await?;
    let filed = Filed {
        source: ClueSource::Report,
        demand_id: None,
        file_ids: claim.ids().to_vec(),
        reporter_id: Some(reporter),
        reporter_phone: None,
        action: ClueAction::Report,
        actor_id: None,
        due_at: due,
    };
    let saved = insert(&txn, c, filed).await?;
    claim.attach(&txn, AttachedTo::Clue(saved.id)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Staff refer a demand that turns out to be about conduct (线索移送): a clue is made of it,
/// its filer the reporter (anonymous if the demand was). Nothing is written on the demand, so
/// its unit learns nothing. Who may refer (the demand's butler, admins) is checked by the
/// caller; once per demand.
pub async fn refer<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    referrer: i64,
    d: &demand::Model,
    category: ClueCategory,
    note: Option<String>,
) -> ApiResult<clue::Model> {
    let referred = || ApiError::conflict("already_referred", "该诉求已移送纪检监察");
    if referred_from(db, d.id).await? {
        return Err(referred());
    }
    let attached: Vec<i64> = demands::attachments(db, d.id)
        .await?
        .iter()
        .map(|a| a.file_id)
        .collect();
    let mut content = format!("【诉求移送】{}（{}）\n{}", d.title, d.number, d.content);
    if let Some(n) = note {
        content.push_str(&format!("\n移送说明：{n}"));
    }
    let calendar = crate::service::calendar::load(db).await?;
    let due = rules::accept_due(&calendar, Utc::now());
    let txn = crate::service::begin_write(db).await?;
    let c = NewClue {
        category,
        unit_id: d.unit_id,
        official: None,
        content,
        happened_on: None,
        anonymous: d.anonymous,
        files: FileRefs::default(),
    };
    let filed = Filed {
        source: ClueSource::Referral,
        demand_id: Some(d.id),
        file_ids: attached,
        reporter_id: d.submitter_id,
        reporter_phone: d.caller_phone.clone(),
        action: ClueAction::Refer,
        actor_id: Some(referrer),
        due_at: due,
    };
    let saved = insert(&txn, c, filed)
        .await
        // Two referrals at once: the unique demand id lets one through.
        .map_err(|e| match e {
            ApiError::Conflict {
                code: "already_exists", ..
            } => referred(),
            e => e,
        })?;
    txn.commit().await?;
    Ok(saved)
}

/// Records that `actor` read these clues.
async fn audit_reads(db: &impl ConnectionTrait, actor: i64, ids: &[i64]) -> ApiResult<()> {
    privacy::audit_reads(db, actor, "read_clue", AUDITED, ids).await
}

/// What the queue is filtered by.
#[derive(Debug, Clone, Default)]
pub struct ClueFilter {
    pub status: Option<ClueStatus>,
    pub category: Option<ClueCategory>,
    pub fast_track: Option<bool>,
    /// Past the current stage's deadline and not closed.
    pub overdue: bool,
}

/// The discipline queue, newest first; each clue shown is an audited read.
pub async fn list(
    db: &impl ConnectionTrait,
    reader: i64,
    f: &ClueFilter,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<clue::Model>> {
    let mut q = clue::Entity::find().order_by_desc(clue::Column::Id).limit(limit + 1);
    if let Some(s) = f.status {
        q = q.filter(clue::Column::Status.eq(s));
    }
    if let Some(c) = f.category {
        q = q.filter(clue::Column::Category.eq(c));
    }
    if let Some(fast) = f.fast_track {
        q = q.filter(clue::Column::FastTrack.eq(fast));
    }
    if f.overdue {
        q = q
            .filter(clue::Column::Status.ne(ClueStatus::Closed))
            .filter(clue::Column::DueAt.lt(Utc::now()));
    }
    if let Some(after) = after_id {
        q = q.filter(clue::Column::Id.lt(after));
    }
    let rows = q.all(db).await?;
    let shown: Vec<i64> = rows
        .iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|c| c.id)
        .collect();
    audit_reads(db, reader, &shown).await?;
    Ok(rows)
}

/// The person behind a clue.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
}

async fn identity(db: &impl ConnectionTrait, clue_id: i64) -> ApiResult<Option<Identity>> {
    let Some(r) = clue_reporter::Entity::find_by_id(clue_id).one(db).await? else {
        return Ok(None);
    };
    let person = match r.user_id {
        Some(id) => Some(crate::service::people::get(db, id).await?),
        None => None,
    };
    Ok(Some(Identity {
        user_id: r.user_id,
        name: person.as_ref().and_then(|p| p.nickname.clone()),
        phone: r.phone.or_else(|| person.and_then(|p| p.phone)),
    }))
}

/// A clue as discipline staff read it.
pub struct Detail {
    pub clue: clue::Model,
    /// The reporter of a named clue; None for an anonymous one (see `reveal`).
    pub reporter: Option<Identity>,
    pub events: Vec<clue_event::Model>,
}

/// One clue, its named reporter and its history; an audited read.
pub async fn detail(db: &impl ConnectionTrait, reader: i64, id: i64) -> ApiResult<Detail> {
    let c = get(db, id).await?;
    audit_reads(db, reader, &[c.id]).await?;
    let reporter = if c.anonymous { None } else { identity(db, c.id).await? };
    let events = clue_event::Entity::find()
        .filter(clue_event::Column::ClueId.eq(c.id))
        .order_by_asc(clue_event::Column::Id)
        .all(db)
        .await?;
    Ok(Detail {
        clue: c,
        reporter,
        events,
    })
}

/// The identity behind an anonymous clue, for a stated reason: the reveal and its reason are
/// in the audit log and on the clue's history.
pub async fn reveal<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    reader: i64,
    id: i64,
    reason: String,
) -> ApiResult<Identity> {
    let c = get(db, id).await?;
    let txn = crate::service::begin_write(db).await?;
    privacy::audit(
        &txn,
        reader,
        "reveal_reporter",
        AUDITED,
        Some(c.id.to_string()),
        Some(json!({"reason": reason})),
    )
    .await?;
    add_event(&txn, c.id, ClueAction::Reveal, Some(reader), Some(reason)).await?;
    let who = identity(&txn, c.id).await?.unwrap_or(Identity {
        user_id: None,
        name: None,
        phone: None,
    });
    txn.commit().await?;
    Ok(who)
}

/// What a stage carries.
#[derive(Debug, Clone, Default)]
pub struct StageInput {
    /// On acceptance: the fast track (问题速处).
    pub fast_track: bool,
    pub note: Option<String>,
    /// On disposal.
    pub disposal: Option<Disposal>,
}

/// Takes the clue through one stage of its handling; the disposal tells the reporter, in
/// general terms.
pub async fn advance<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: i64,
    id: i64,
    stage: Stage,
    input: StageInput,
) -> ApiResult<clue::Model> {
    let c = get(db, id).await?;
    let to = rules::next_status(c.status, stage).map_err(|e| ApiError::Conflict {
        code: "invalid_transition",
        message: format!("线索当前状态为「{}」，不能{}", e.from.label(), e.stage.action().label()).into(),
    })?;
    if stage == Stage::Dispose {
        let Some(d) = input.disposal else {
            return Err(ApiError::invalid_field("outcome", "required", "请选择处置结果"));
        };
        rules::check_disposal(d).map_err(|(field, code, message)| ApiError::invalid_field(field, code, message))?;
    }
    let now = Utc::now();
    let calendar = crate::service::calendar::load(db).await?;
    let txn = crate::service::begin_write(db).await?;
    let mut a = clue::Entity::update_many()
        .col_expr(clue::Column::Status, Expr::value(to))
        .filter(clue::Column::Id.eq(c.id))
        // A stage taken meanwhile refuses this one.
        .filter(clue::Column::Status.eq(c.status));
    match stage {
        Stage::Accept => {
            a = a
                .col_expr(clue::Column::FastTrack, Expr::value(input.fast_track))
                .col_expr(clue::Column::AcceptedAt, Expr::value(Some(now)))
                .col_expr(
                    clue::Column::DueAt,
                    Expr::value(rules::dispose_due(&calendar, now, input.fast_track)),
                );
        }
        Stage::Check => {}
        Stage::Dispose => {
            let d = input.disposal.unwrap_or(Disposal {
                outcome: ClueOutcome::Dismissed,
                persons: None,
            });
            a = a
                .col_expr(clue::Column::Outcome, Expr::value(Some(d.outcome)))
                .col_expr(clue::Column::Persons, Expr::value(d.persons))
                .col_expr(clue::Column::ClosedAt, Expr::value(Some(now)));
        }
    }
    if a.exec(&txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(
            "concurrent_update",
            "线索刚被他人处理，请刷新后重试",
        ));
    }
    let mut note = input.note;
    if stage == Stage::Accept && input.fast_track {
        note = Some(format!(
            "问题速处{}",
            note.map(|n| format!("：{n}")).unwrap_or_default()
        ));
    }
    if let (Stage::Dispose, Some(d)) = (stage, input.disposal) {
        let persons = d.persons.map(|n| format!("（{n} 人）")).unwrap_or_default();
        note = Some(format!(
            "{}{persons}{}",
            d.outcome.label(),
            note.map(|n| format!("：{n}")).unwrap_or_default()
        ));
        tell_reporter(&txn, c.id, d.outcome).await?;
    }
    add_event(&txn, c.id, stage.action(), Some(actor), note).await?;
    txn.commit().await?;
    get(db, c.id).await
}

/// The reporter hears the outcome in general terms, in their notices.
async fn tell_reporter(db: &impl ConnectionTrait, clue_id: i64, outcome: ClueOutcome) -> ApiResult<()> {
    let Some(user_id) = clue_reporter::Entity::find_by_id(clue_id)
        .one(db)
        .await?
        .and_then(|r| r.user_id)
    else {
        return Ok(());
    };
    notify::enqueue(
        db,
        None,
        notify::Notice {
            user_id,
            kind: "clue_closed",
            title: "您反映的问题线索已办结".into(),
            body: rules::told_to_reporter(outcome).into(),
            demand_id: None,
            page: Some("subpackages/clue/mine/index".into()),
            dedup_key: format!("clue:{clue_id}:closed"),
            wechat: None,
        },
    )
    .await
}

/// A problem discipline staff send to a unit (突出问题反馈).
pub struct Feedback {
    pub unit_id: i64,
    pub environment: Environment,
    pub title: String,
    pub content: String,
}

/// Sends a problem found through a clue to a unit as a business-environment demand (channel
/// `discipline`), accepted and assigned to the unit at once. It names neither the clue nor
/// its reporter.
pub async fn feedback(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: i64,
    id: i64,
    f: Feedback,
) -> ApiResult<demand::Model> {
    let c = get(db, id).await?;
    crate::service::units::get(db, f.unit_id)
        .await
        .map_err(|e| e.missing_as_field("unitId", "not_found", "单位不存在"))?;
    let ctx = Context::load(db, settings).await?;
    let txn = crate::service::begin_write(db).await?;
    let new = NewDemand {
        kind: Kind::Problem,
        environment: f.environment,
        channel: Channel::Discipline,
        title: f.title,
        content: f.content,
        anonymous: false,
        enterprise_id: None,
        butler_id: None,
        submitter_id: None,
        caller_phone: None,
        origin: None,
        files: Default::default(),
        content_check: ContentCheck::Unchecked,
        request_key: None,
    };
    let actor_as = Actor {
        id: Some(actor),
        role: Some(Role::Discipline),
        unit_id: None,
    };
    let d = demands::create(&txn, &ctx, actor_as, new).await?;
    demands::act_in(&txn, &ctx, None, d.id, Action::Accept, Move::default()).await?;
    let assign = Move {
        unit_id: Some(f.unit_id),
        ..Default::default()
    };
    let d = demands::act_in(&txn, &ctx, None, d.id, Action::Assign, assign).await?;
    add_event(
        &txn,
        c.id,
        ClueAction::Feedback,
        Some(actor),
        Some(format!("诉求 {}", d.number)),
    )
    .await?;
    txn.commit().await?;
    Ok(d)
}

/// Publishes an anonymised typical case told from a closed clue (典型案例通报).
pub async fn publish_case<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: i64,
    id: i64,
    title: String,
    body: String,
) -> ApiResult<clue_case::Model> {
    let c = get(db, id).await?;
    if c.status != ClueStatus::Closed {
        return Err(ApiError::conflict("clue_open", "线索办结后才能通报典型案例"));
    }
    let txn = crate::service::begin_write(db).await?;
    let saved = clue_case::Entity::insert(clue_case::ActiveModel {
        clue_id: Set(c.id),
        title: Set(title.clone()),
        body: Set(body),
        published_by: Set(actor),
        published_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    add_event(&txn, c.id, ClueAction::Case, Some(actor), Some(title)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Published typical cases, newest first.
pub async fn cases(db: &impl ConnectionTrait, after_id: Option<i64>, limit: u64) -> ApiResult<Vec<clue_case::Model>> {
    let mut q = clue_case::Entity::find()
        .order_by_desc(clue_case::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(clue_case::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

pub async fn case(db: &impl ConnectionTrait, id: i64) -> ApiResult<clue_case::Model> {
    clue_case::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("case_not_found", "案例不存在"))
}

/// The clues a person reported (or had referred), newest first: what they may know of them.
pub async fn mine(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<clue::Model>> {
    let ids: Vec<i64> = clue_reporter::Entity::find()
        .select_only()
        .column(clue_reporter::Column::ClueId)
        .filter(clue_reporter::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(clue::Entity::find()
        .filter(clue::Column::Id.is_in(ids))
        .order_by_desc(clue::Column::Id)
        .all(db)
        .await?)
}

/// The figures of the days `from..=to` (Asia/Shanghai).
pub async fn figures(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> ApiResult<ClueFigures> {
    let start = crate::domain::report::start_of_day(from);
    let end = crate::domain::report::start_of_day(to + chrono::Duration::days(1));
    // Clues received before the end that were open at the start or closed after it: a
    // zone's clues are dozens a year, so they are counted in memory by the pure rule.
    let rows = clue::Entity::find()
        .filter(clue::Column::CreatedAt.lt(end))
        .filter(
            sea_orm::Condition::any()
                .add(clue::Column::ClosedAt.is_null())
                .add(clue::Column::ClosedAt.gte(start)),
        )
        .all(db)
        .await?;
    let facts: Vec<ClueFact> = rows
        .iter()
        .map(|c| ClueFact {
            category: c.category,
            created_at: c.created_at,
            closed_at: c.closed_at,
            outcome: c.outcome,
            persons: c.persons,
        })
        .collect();
    Ok(ClueFigures::of(&facts, start, end))
}

/// Writes the periodic bulletin (定期通报) of the days `from..=to`: its figures, numbered.
pub async fn write_bulletin<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<clue_bulletin::Model> {
    if to < from {
        return Err(ApiError::invalid_field("to", "before_from", "结束日期不能早于开始日期"));
    }
    let figures = figures(db, from, to).await?;
    let txn = crate::service::begin_write(db).await?;
    let last: Option<i32> = clue_bulletin::Entity::find()
        .select_only()
        .column_as(clue_bulletin::Column::Number.max(), "n")
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten();
    let saved = clue_bulletin::Entity::insert(clue_bulletin::ActiveModel {
        number: Set(last.unwrap_or(0) + 1),
        period_from: Set(from),
        period_to: Set(to),
        data: Set(serde_json::to_value(&figures).map_err(ApiError::internal)?),
        created_by: Set(actor),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|e| {
        if crate::service::is_unique_violation(&e) {
            ApiError::conflict("concurrent_update", "另一期通报刚刚生成，请重试")
        } else {
            e.into()
        }
    })?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn bulletins(db: &impl ConnectionTrait) -> ApiResult<Vec<clue_bulletin::Model>> {
    Ok(clue_bulletin::Entity::find()
        .order_by_desc(clue_bulletin::Column::Number)
        .all(db)
        .await?)
}

pub async fn bulletin(db: &impl ConnectionTrait, id: i64) -> ApiResult<clue_bulletin::Model> {
    clue_bulletin::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("bulletin_not_found", "通报不存在"))
}

pub fn bulletin_figures(b: &clue_bulletin::Model) -> ApiResult<ClueFigures> {
    serde_json::from_value(b.data.clone()).map_err(ApiError::internal)
}

/// Unit names for display.
pub async fn unit_name(db: &impl ConnectionTrait, unit_id: Option<i64>) -> ApiResult<Option<String>> {
    match unit_id {
        Some(id) => Ok(Some(crate::service::units::get(db, id).await?.name)),
        None => Ok(None),
    }
}

/// Whether a demand was referred as a clue (discipline staff then read its files).
pub async fn referred_from(db: &impl ConnectionTrait, demand_id: i64) -> ApiResult<bool> {
    Ok(clue::Entity::find()
        .filter(clue::Column::DemandId.eq(demand_id))
        .one(db)
        .await?
        .is_some())
}

/// A person's account is deleted: their clues stay, under no one.
pub async fn forget_reporter(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<()> {
    clue_reporter::Entity::update_many()
        .col_expr(clue_reporter::Column::UserId, Expr::value(Option::<i64>::None))
        .filter(clue_reporter::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
