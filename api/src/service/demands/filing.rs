//! Filing a demand, whatever the channel: one function checks what every channel must
//! (files, the text others will read), numbers it and writes it with its first event.

use chrono::{DateTime, Utc};
use entity::codes::Origin;
use entity::demand;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
};

use crate::clients::wechat::WechatClient;
use crate::domain::access::{FILE_ON_BEHALF, Principal};
use crate::domain::demand::{Action, Channel, ContentCheck, Environment, Kind, Status};
use crate::error::{ApiError, ApiResult};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::service::{content, enterprises};
use crate::types::local_time;

use super::*;

/// A demand as filed.
#[derive(Debug, Clone)]
pub struct NewDemand {
    pub kind: Kind,
    pub environment: Environment,
    pub channel: Channel,
    pub title: String,
    pub content: String,
    pub anonymous: bool,
    pub enterprise_id: Option<i64>,
    pub butler_id: Option<i64>,
    pub submitter_id: Option<i64>,
    pub caller_phone: Option<String>,
    /// What it was filed from, and that object's id.
    pub origin: Option<(Origin, String)>,
    pub files: DemandFiles,
    /// WeChat's verdict on the text (or `system` for text the system wrote).
    pub content_check: ContentCheck,
    /// The submitter's `Idempotency-Key`: a second submission under it is the first one.
    pub request_key: Option<String>,
}

/// The files a demand carries.
#[derive(Debug, Clone, Default)]
pub enum DemandFiles {
    #[default]
    None,
    /// Uploaded by this person for the demand: checked and attached to it.
    Uploaded { by: i64, refs: FileRefs },
    /// Already attached to the object the demand came from (a complaint's photos, a report's):
    /// the demand shows them too.
    Inherited(Vec<i64>),
}

/// A demand a person files through the API.
#[derive(Debug, Clone)]
pub struct Filing {
    pub kind: Kind,
    pub environment: Environment,
    pub title: String,
    pub content: String,
    pub anonymous: bool,
    /// Files the person uploaded for it.
    pub attachments: FileRefs,
    /// Staff filing for an enterprise: the channel (not the mini-program's).
    pub channel: Option<Channel>,
    /// Staff filing for an enterprise: which one.
    pub enterprise_id: Option<i64>,
    /// The hotline caller's phone, already checked.
    pub caller_phone: Option<String>,
    /// The person's `Idempotency-Key`.
    pub request_key: Option<String>,
    /// The hotline call it is filed from: its number becomes the caller's phone when none is
    /// given, and the call is linked to the demand.
    pub call_id: Option<i64>,
    /// The person's visit from a customer group (`POST /me/group-entries`) it is filed in: the
    /// demand is the group's, and a person bound to no enterprise files for the group's one
    /// enterprise (or for none when it serves several).
    pub group_visit: Option<i64>,
}

/// Files a demand for `auth`: an enterprise member for their enterprise (channel
/// `miniprogram`); staff and supervision-committee members (`FILE_ON_BEHALF`) for an enterprise
/// with another channel, such as the hotline. The text is checked before it is kept.
pub async fn file(
    db: &DatabaseConnection,
    settings: &Settings,
    calendar: std::sync::Arc<crate::domain::calendar::WorkCalendar>,
    wechat: &WechatClient,
    auth: &Principal,
    f: Filing,
) -> ApiResult<demand::Model> {
    let on_behalf = auth.can(FILE_ON_BEHALF, &Default::default());
    let group = match f.group_visit {
        Some(id) => {
            crate::service::group_visits::of(db, auth.id, id, "groupVisitId")
                .await?
                .1
        }
        None => None,
    };
    let (enterprise_id, channel) = match (f.enterprise_id, f.channel) {
        (None, None | Some(Channel::Miniprogram)) => {
            let own = match (auth.enterprise_ids().next(), &group) {
                (Some(own), _) => Some(own),
                (None, Some(g)) => match crate::service::customer_groups::enterprises_of(db, g.id)
                    .await?
                    .as_slice()
                {
                    [only] => Some(*only),
                    _ => None,
                },
                (None, None) => {
                    return Err(ApiError::Forbidden {
                        code: "no_enterprise",
                        message: "请先绑定企业后再提交诉求".into(),
                    });
                }
            };
            (own, Channel::Miniprogram)
        }
        (e, c) if on_behalf => {
            let channel = c
                .filter(|c| *c != Channel::Miniprogram)
                .ok_or_else(|| ApiError::invalid_field("channel", "required", "代企业提交时请选择渠道（如热线）"))?;
            (e, channel)
        }
        _ => return Err(ApiError::forbidden()),
    };
    let butler_id = match enterprise_id {
        Some(id) => {
            enterprises::get(db, id)
                .await
                .map_err(|e| e.missing_as_field("enterpriseId", "not_found", "企业不存在"))?
                .butler_user_id
        }
        None => None,
    };
    let call = match f.call_id {
        Some(_) if channel != Channel::Hotline => {
            return Err(ApiError::invalid_field(
                "callId",
                "not_hotline",
                "只有热线诉求可以关联来电",
            ));
        }
        Some(id) => Some(crate::service::hotline::get(db, id).await?),
        None => None,
    };
    let caller_phone = f.caller_phone.or_else(|| {
        call.as_ref()
            .and_then(|c| crate::domain::phone::parse(crate::service::hotline::caller_number(c)))
    });
    let content_check = content::check(db, wechat, auth.id, "content", &format!("{}\n{}", f.title, f.content)).await?;
    let ctx = Context::new(db, settings, calendar);
    let new = NewDemand {
        kind: f.kind,
        environment: f.environment,
        channel,
        title: f.title,
        content: f.content,
        anonymous: f.anonymous,
        enterprise_id,
        butler_id,
        submitter_id: Some(auth.id),
        caller_phone,
        origin: group.map(|g| (Origin::CustomerGroup, g.chat_id)),
        files: DemandFiles::Uploaded {
            by: auth.id,
            refs: f.attachments,
        },
        content_check,
        request_key: f.request_key,
    };
    let actor = Actor {
        id: Some(auth.id),
        role: auth.roles.first().map(|r| r.role),
        unit_id: None,
    };
    let d = create(db, &ctx, actor, new).await?;
    if let Some(c) = call {
        crate::service::hotline::resolve(db, c.id, Some(d.id)).await?;
    }
    Ok(d)
}

/// `SQ20261128-0007`: sequential per day (Asia/Shanghai), atomic across replicas because the
/// counter row is upserted and read back in one statement.
///
/// On PostgreSQL that statement is a transaction of its own with an asynchronous commit (it sets
/// `synchronous_commit` for itself): every submission of the day updates this one row, and
/// holding its lock through the demand's transaction and a synchronous commit (a disk flush)
/// would let one submission through per flush. It stays safe: the demand that uses the number
/// commits later, synchronously, and the log is flushed in order, so a counter lost in a crash
/// was used by no stored demand. A number taken by a demand that then fails is skipped. SQLite
/// has one writer at a time anyway and takes it in the caller's transaction.
async fn next_number(ctx: &Context<'_>, db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<String> {
    let day = local_time(now).format("%Y%m%d").to_string();
    let row = if ctx.pool.get_database_backend() == sea_orm::DbBackend::Postgres {
        ctx.pool
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                TAKE_NUMBER_ASYNC,
                [day.clone().into()],
            ))
            .await?
    } else {
        db.query_one(&take_number(&day)?).await?
    };
    let row = row.ok_or_else(|| ApiError::internal(anyhow::anyhow!("demand counter returned no row")))?;
    let last: i64 = row.try_get("", "last")?;
    Ok(format!("SQ{day}-{last:04}"))
}

/// The day's counter taken in one statement that is its own transaction, committed
/// asynchronously: `set_config(…, true)` holds for the statement's implicit transaction, and
/// PostgreSQL reads `synchronous_commit` when it commits. One round trip instead of four
/// (`BEGIN`, `SET LOCAL`, the upsert, `COMMIT`). The same upsert as `take_number`.
const TAKE_NUMBER_ASYNC: &str = "WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) \
     INSERT INTO demand_counters (day, last) SELECT $1, 1 FROM async \
     ON CONFLICT (day) DO UPDATE SET last = demand_counters.last + 1 RETURNING last";

/// The upsert of the day's counter, returning the number it took.
fn take_number(day: &str) -> ApiResult<sea_orm::sea_query::InsertStatement> {
    #[derive(sea_orm::DeriveIden)]
    enum DemandCounters {
        Table,
        Day,
        Last,
    }
    use sea_orm::ExprTrait;
    let mut stmt = Query::insert();
    stmt.into_table(DemandCounters::Table)
        .columns([DemandCounters::Day, DemandCounters::Last])
        .values([day.into(), 1i64.into()])
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?
        .on_conflict(
            OnConflict::column(DemandCounters::Day)
                .value(
                    DemandCounters::Last,
                    Expr::col((DemandCounters::Table, DemandCounters::Last)).add(1),
                )
                .to_owned(),
        )
        .returning_col(DemandCounters::Last);
    Ok(stmt)
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Context<'_>,
    actor: Actor,
    new: NewDemand,
) -> ApiResult<demand::Model> {
    if let Some(existing) = submitted_under(db, new.submitter_id, new.request_key.as_deref()).await? {
        return Ok(existing);
    }
    let claim = match &new.files {
        DemandFiles::Uploaded { by, refs } => {
            Some(files::check(db, Uploader::Person(*by), refs, MAX_FILES, None).await?)
        }
        DemandFiles::None | DemandFiles::Inherited(_) => None,
    };
    let now = Utc::now();
    // Before the transaction: on PostgreSQL the number takes a connection of its own, and one
    // request never holds two.
    let number = next_number(ctx, db, now).await?;
    let txn = crate::service::begin_write(db).await?;
    let accept_days = ctx.settings.demands.accept_days(new.environment);
    crate::copies::ANSWERED_WRITES.bump();
    let d = demand::ActiveModel {
        number: Set(number),
        kind: Set(new.kind),
        environment: Set(new.environment),
        channel: Set(new.channel),
        title: Set(new.title),
        content: Set(new.content),
        origin_type: Set(new.origin.as_ref().map(|o| o.0)),
        origin_id: Set(new.origin.map(|o| o.1)),
        enterprise_id: Set(new.enterprise_id),
        submitter_id: Set(new.submitter_id),
        caller_phone: Set(new.caller_phone),
        anonymous: Set(new.anonymous),
        unit_id: Set(None),
        butler_id: Set(new.butler_id),
        status: Set(Status::Submitted),
        accept_due_at: Set(Some(ctx.calendar.deadline(now, accept_days))),
        unreasonable: Set(false),
        overdue: Set(false),
        extensions: Set(0),
        returns: Set(0),
        bounced_secs: Set(0),
        reopen_count: Set(0),
        content_check: Set(new.content_check),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        request_key: Set(new.request_key.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let d = match d {
        Ok(d) => d,
        // The same submission raced in on another request and won.
        Err(err) if crate::service::is_unique_violation(&err) && new.request_key.is_some() => {
            drop(txn);
            return submitted_under(db, new.submitter_id, new.request_key.as_deref())
                .await?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("demand under a request key vanished")));
        }
        Err(err) => return Err(err.into()),
    };
    add_event(
        &txn,
        d.id,
        Action::Submit,
        None,
        Status::Submitted,
        actor,
        None,
        None,
        now,
    )
    .await?;
    let linked = match (claim, new.files) {
        (Some(claim), _) => claim.attach(&txn, AttachedTo::Demand(d.id)).await?,
        (None, DemandFiles::Inherited(ids)) => ids,
        (None, _) => Vec::new(),
    };
    link(&txn, d.id, None, &linked).await?;
    // The butler has new work (in-app, and by subscribe message if they subscribed to it).
    if let Some(butler) = d.butler_id.filter(|b| Some(*b) != d.submitter_id) {
        let key = format!("demand:{}:new", d.id);
        let body = format!("{}：{}", d.channel.label(), d.title);
        notify_people(
            &txn,
            ctx,
            To::People(&[butler]),
            &d,
            "work_new",
            &key,
            "待受理",
            body,
            true,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(d)
}

/// The demand a person already submitted under this request key, if any.
async fn submitted_under(
    db: &impl ConnectionTrait,
    submitter: Option<i64>,
    key: Option<&str>,
) -> ApiResult<Option<demand::Model>> {
    let (Some(submitter), Some(key)) = (submitter, key) else {
        return Ok(None);
    };
    Ok(demand::Entity::find()
        .filter(demand::Column::SubmitterId.eq(submitter))
        .filter(demand::Column::RequestKey.eq(key))
        .one(db)
        .await?)
}
