//! Action plans: items with owner units, progress notes with evidence, the weekly overdue
//! flag (once per item, the owner unit told), figures by unit, and a plan kept in a spreadsheet
//! (imported all or nothing, exported in the same columns).
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{plan, plan_item, plan_note};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::plan::{self as rules, ItemKind, ItemStatus, Milestone};
use crate::domain::sheet::SheetColumn as _;
use crate::error::{ApiError, ApiResult};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::service::sheet_import::{Verdict, check_rows, incomplete_heading, unit_of};
use crate::service::{demands, notify};

pub async fn create(
    db: &impl ConnectionTrait,
    title: String,
    description: Option<String>,
    by: i64,
) -> ApiResult<plan::Model> {
    let now = Utc::now();
    Ok(plan::Entity::insert(plan::ActiveModel {
        title: Set(title),
        description: Set(description),
        created_by: Set(Some(by)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<plan::Model> {
    plan::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("plan_not_found", "行动方案不存在"))
}

pub async fn list(db: &impl ConnectionTrait) -> ApiResult<Vec<plan::Model>> {
    Ok(plan::Entity::find().order_by_desc(plan::Column::Id).all(db).await?)
}

pub async fn item(db: &impl ConnectionTrait, id: i64) -> ApiResult<plan_item::Model> {
    plan_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("plan_item_not_found", "任务不存在"))
}

/// A plan's items by deadline; only one unit's when given.
pub async fn items(db: &impl ConnectionTrait, plan_id: i64, unit_id: Option<i64>) -> ApiResult<Vec<plan_item::Model>> {
    let mut q = plan_item::Entity::find()
        .filter(plan_item::Column::PlanId.eq(plan_id))
        .order_by_asc(plan_item::Column::Deadline)
        .order_by_asc(plan_item::Column::Id);
    if let Some(u) = unit_id {
        q = q.filter(plan_item::Column::UnitId.eq(u));
    }
    Ok(q.all(db).await?)
}

pub struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    pub aspect: Option<String>,
    pub unit_id: i64,
    pub lead: Option<String>,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub status: ItemStatus,
    pub progress: i32,
}

fn active(plan_id: i64, i: NewItem, now: DateTime<Utc>) -> ApiResult<plan_item::ActiveModel> {
    Ok(plan_item::ActiveModel {
        plan_id: Set(plan_id),
        kind: Set(i.kind),
        title: Set(i.title),
        aspect: Set(i.aspect),
        unit_id: Set(i.unit_id),
        lead: Set(i.lead),
        deadline: Set(i.deadline),
        milestones: Set(serde_json::to_value(&i.milestones).map_err(ApiError::internal)?),
        status: Set(i.status),
        progress: Set(i.progress),
        overdue_flagged_at: Set(None),
        completed_at: Set((i.status == ItemStatus::Done).then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

pub async fn add_item(db: &impl ConnectionTrait, plan_id: i64, i: NewItem) -> ApiResult<plan_item::Model> {
    Ok(plan_item::Entity::insert(active(plan_id, i, Utc::now())?)
        .exec_with_returning(db)
        .await?)
}

pub fn milestones(i: &plan_item::Model) -> Vec<Milestone> {
    serde_json::from_value(i.milestones.clone()).unwrap_or_default()
}

/// What a progress report changes.
#[derive(Default)]
pub struct Progress {
    pub status: Option<ItemStatus>,
    pub progress: Option<i32>,
    pub milestones: Option<Vec<Milestone>>,
}

/// What an item is, changed by admins; each left out stays (`lead: Some(None)` clears it).
#[derive(Debug, Default)]
pub struct Definition {
    pub title: Option<String>,
    pub unit_id: Option<i64>,
    pub lead: Option<Option<String>>,
    pub deadline: Option<NaiveDate>,
}

pub async fn update_item(
    db: &impl ConnectionTrait,
    i: plan_item::Model,
    p: Progress,
    d: Definition,
) -> ApiResult<plan_item::Model> {
    let now = Utc::now();
    let was_done = i.status == ItemStatus::Done;
    let old_deadline = i.deadline;
    let mut a: plan_item::ActiveModel = i.into();
    if let Some(t) = d.title {
        a.title = Set(t);
    }
    if let Some(u) = d.unit_id {
        a.unit_id = Set(u);
    }
    if let Some(l) = d.lead {
        a.lead = Set(l);
    }
    if let Some(day) = d.deadline {
        a.deadline = Set(day);
        if day > old_deadline {
            // A new deadline: overdue is judged afresh against it.
            a.overdue_flagged_at = Set(None);
        }
    }
    let status = p
        .status
        .or_else(|| (p.progress == Some(100)).then_some(ItemStatus::Done));
    if let Some(s) = status {
        a.status = Set(s);
        if s == ItemStatus::Done {
            a.progress = Set(100);
            if !was_done {
                a.completed_at = Set(Some(now));
            }
        } else {
            a.completed_at = Set(None);
        }
    }
    if let Some(progress) = p.progress.filter(|_| status != Some(ItemStatus::Done)) {
        a.progress = Set(progress);
        if status.is_none() && progress > 0 && !was_done {
            a.status = Set(ItemStatus::InProgress);
        }
    }
    if let Some(m) = p.milestones {
        a.milestones = Set(serde_json::to_value(&m).map_err(ApiError::internal)?);
    }
    a.updated_at = Set(now);
    Ok(a.update(db).await?)
}

/// Adds a progress note with evidence files the author uploaded.
pub async fn add_note<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    item_id: i64,
    author: i64,
    text: String,
    progress: Option<i32>,
    files: &FileRefs,
) -> ApiResult<plan_note::Model> {
    let claim = files::check(db, Uploader::Person(author), files, MAX_FILES, None).await?;
    let txn = crate::service::begin_write(db).await?;
    let note = plan_note::Entity::insert(plan_note::ActiveModel {
        item_id: Set(item_id),
        author_id: Set(author),
        text: Set(text),
        progress: Set(progress),
        file_ids: Set(crate::types::ids_json(claim.ids())),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    claim.attach(&txn, AttachedTo::PlanNote(note.id)).await?;
    txn.commit().await?;
    Ok(note)
}

pub async fn notes(db: &impl ConnectionTrait, item_id: i64) -> ApiResult<Vec<plan_note::Model>> {
    Ok(plan_note::Entity::find()
        .filter(plan_note::Column::ItemId.eq(item_id))
        .order_by_asc(plan_note::Column::Id)
        .all(db)
        .await?)
}

/// Flags every item past its deadline and not done, once, and tells the handlers of its unit.
/// Returns the items flagged now.
pub async fn flag_overdue<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let due = plan_item::Entity::find()
        .filter(plan_item::Column::Deadline.lt(today))
        .filter(plan_item::Column::Status.ne(ItemStatus::Done))
        .filter(plan_item::Column::OverdueFlaggedAt.is_null())
        .order_by_asc(plan_item::Column::Id)
        .all(db)
        .await?;
    let mut flagged = 0;
    for i in due {
        let txn = crate::service::begin_write(db).await?;
        // Only the replica that flags it tells anyone.
        let done = plan_item::Entity::update_many()
            .col_expr(plan_item::Column::OverdueFlaggedAt, Expr::value(now))
            .filter(plan_item::Column::Id.eq(i.id))
            .filter(plan_item::Column::OverdueFlaggedAt.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected == 1 {
            for handler in demands::unit_handlers(&txn, i.unit_id).await? {
                notify::enqueue(
                    &txn,
                    None,
                    notify::Notice {
                        user_id: handler,
                        kind: "plan_overdue",
                        title: "行动方案任务已超期".to_owned(),
                        body: format!("「{}」的完成时限 {} 已过，请尽快推进并填报进展。", i.title, i.deadline),
                        demand_id: None,
                        page: None,
                        dedup_key: format!("plan-overdue:{}:{handler}", i.id),
                        wechat: None,
                    },
                )
                .await?;
            }
            flagged += 1;
        }
        txn.commit().await?;
    }
    Ok(flagged)
}

#[derive(Debug, Default, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatusCounts {
    pub done: u64,
    pub in_progress: u64,
    /// Past the deadline and not done (counted here, not under in progress / not started).
    pub overdue: u64,
    pub not_started: u64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UnitCounts {
    pub unit_id: String,
    pub unit_name: String,
    #[serde(flatten)]
    pub counts: StatusCounts,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(as = PlanFigures)]
pub struct Figures {
    pub by_status: StatusCounts,
    /// By owner unit, most overdue first.
    pub by_unit: Vec<UnitCounts>,
}

/// Items of every plan (or one) as they stand today.
pub async fn figures(db: &impl ConnectionTrait, plan_id: Option<i64>, today: NaiveDate) -> ApiResult<Figures> {
    let mut q = plan_item::Entity::find();
    if let Some(p) = plan_id {
        q = q.filter(plan_item::Column::PlanId.eq(p));
    }
    let all = q.all(db).await?;
    let mut total = StatusCounts::default();
    let mut by_unit: BTreeMap<i64, StatusCounts> = BTreeMap::new();
    for i in &all {
        let status = i.status;
        for c in [&mut total, by_unit.entry(i.unit_id).or_default()] {
            match status {
                ItemStatus::Done => c.done += 1,
                _ if rules::is_overdue(status, i.deadline, today) => c.overdue += 1,
                ItemStatus::InProgress => c.in_progress += 1,
                ItemStatus::NotStarted => c.not_started += 1,
            }
        }
    }
    let names = demands::unit_names(db, by_unit.keys().copied()).await?;
    let mut units: Vec<UnitCounts> = by_unit
        .into_iter()
        .map(|(id, counts)| UnitCounts {
            unit_id: id.to_string(),
            unit_name: names.get(&id).cloned().unwrap_or_default(),
            counts,
        })
        .collect();
    units.sort_by(|a, b| {
        b.counts
            .overdue
            .cmp(&a.counts.overdue)
            .then_with(|| a.unit_id.cmp(&b.unit_id))
    });
    Ok(Figures {
        by_status: total,
        by_unit: units,
    })
}

pub use crate::service::sheet_import::{ImportReport, ImportRowProblem};

/// Imports a sheet of items into a plan, all or nothing: any bad row (a missing owner unit,
/// an unknown one, a bad date) refuses the file with 422 `import_rejected`, naming each problem
/// `rows[N].field`.
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    plan_id: i64,
    bytes: &[u8],
    dry_run: bool,
) -> ApiResult<ImportReport> {
    let table = crate::service::enterprise_import::read_table(bytes)?;
    let layout = rules::layout(&table).map_err(incomplete_heading)?;
    let units = crate::service::units::by_name_or_code(db).await?;
    let good = match check_rows(&table, layout.heading_row, dry_run, "任务", |cells, n| {
        let row = rules::parse_row(&layout, cells, n)?;
        let unit_id = unit_of(&units, &row.unit, n, "责任单位")?;
        Ok((row, unit_id))
    })? {
        Verdict::Write(good) => good,
        Verdict::Report(report) => return Ok(report),
    };
    let txn = crate::service::begin_write(db).await?;
    let now = Utc::now();
    let created = good.len();
    for (row, unit_id) in good {
        let model = active(
            plan_id,
            NewItem {
                kind: row.kind,
                title: row.title,
                aspect: row.aspect,
                unit_id,
                lead: row.lead,
                deadline: row.deadline,
                milestones: row.milestones,
                status: row.status,
                progress: row.progress,
            },
            now,
        )?;
        plan_item::Entity::insert(model).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(ImportReport::written(created))
}

/// The plan's items as a workbook in the import's columns, plus whether each is overdue and
/// its latest note.
pub async fn export(db: &impl ConnectionTrait, p: &plan::Model, today: NaiveDate) -> ApiResult<Vec<u8>> {
    use crate::render::xlsx::{Cell, Table};
    let items = items(db, p.id, None).await?;
    let names = demands::unit_names(db, items.iter().map(|i| i.unit_id)).await?;
    let mut headings: Vec<&str> = rules::EXPORT_COLUMNS.iter().map(|c| c.heading()).collect();
    headings.extend(["是否超期", "最新进展"]);
    let mut t = Table::new("任务", &headings);
    t.widths.push((1, 40.0));
    for i in &items {
        let status = i.status;
        let latest = notes(db, i.id).await?.pop().map(|n| n.text).unwrap_or_default();
        let overdue = if rules::is_overdue(status, i.deadline, today) {
            "是"
        } else {
            "否"
        };
        t.push(
            [
                i.kind.label().to_owned(),
                i.title.clone(),
                i.aspect.clone().unwrap_or_default(),
                names.get(&i.unit_id).cloned().unwrap_or_default(),
                i.lead.clone().unwrap_or_default(),
                i.deadline.to_string(),
                rules::milestones_cell(&milestones(i)),
                status.label().to_owned(),
                format!("{}%", i.progress),
                overdue.to_owned(),
                latest,
            ]
            .into_iter()
            .map(Cell::Text),
        );
    }
    crate::service::export::workbook(&[t])
}
