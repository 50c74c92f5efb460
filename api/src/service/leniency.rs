//! The zone's 轻微违法免罚 / 首违不罚 lists: imported from a sheet (all or nothing), published,
//! searched by enterprises word by word as the policy search cuts Chinese.
use chrono::Utc;
use entity::leniency_item;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::leniency::{self as rules, LeniencyList};
use crate::error::ApiResult;
use crate::service::sheet_import::{ImportReport, Verdict, check_rows, incomplete_heading, unit_of};

/// Imports the entries of a sheet as drafts (published by `publish`).
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    bytes: &[u8],
    dry_run: bool,
) -> ApiResult<ImportReport> {
    let table = crate::service::enterprise_import::read_table(bytes)?;
    let layout = rules::layout(&table).map_err(incomplete_heading)?;
    let units = crate::service::units::by_name_or_code(db).await?;
    let good = match check_rows(&table, layout.heading_row, dry_run, "清单事项", |cells, n| {
        let row = rules::parse_row(&layout, cells, n)?;
        let unit_id = unit_of(&units, &row.unit, n, "实施单位")?;
        Ok((row, unit_id))
    })? {
        Verdict::Write(good) => good,
        Verdict::Report(report) => return Ok(report),
    };
    let txn = crate::service::begin_write(db).await?;
    let created = good.len();
    let now = Utc::now();
    for (row, unit_id) in good {
        leniency_item::Entity::insert(leniency_item::ActiveModel {
            list: Set(row.list),
            item: Set(row.item),
            legal_basis: Set(row.legal_basis),
            conditions: Set(row.conditions),
            unit_id: Set(unit_id),
            published_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(ImportReport::written(created))
}

/// Publishes every draft entry; returns how many.
pub async fn publish(db: &impl ConnectionTrait) -> ApiResult<u64> {
    Ok(leniency_item::Entity::update_many()
        .col_expr(leniency_item::Column::PublishedAt, Expr::value(Some(Utc::now())))
        .filter(leniency_item::Column::PublishedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// What a search asks for.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub q: Option<String>,
    pub list: Option<LeniencyList>,
    pub unit_id: Option<i64>,
    /// Drafts too (admins).
    pub drafts: bool,
}

/// Entries in list order (by id): every word of the query in the offence, its basis or its
/// conditions.
pub async fn search(
    db: &impl ConnectionTrait,
    s: &Search,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<leniency_item::Model>> {
    let mut q = leniency_item::Entity::find()
        .order_by_asc(leniency_item::Column::Id)
        .limit(limit + 1);
    if !s.drafts {
        q = q.filter(leniency_item::Column::PublishedAt.is_not_null());
    }
    if let Some(l) = s.list {
        q = q.filter(leniency_item::Column::List.eq(l));
    }
    if let Some(u) = s.unit_id {
        q = q.filter(leniency_item::Column::UnitId.eq(u));
    }
    for word in rules::query_words(s.q.as_deref().unwrap_or_default()) {
        q = q.filter(
            Condition::any()
                .add(crate::service::contains(leniency_item::Column::Item, &word))
                .add(crate::service::contains(leniency_item::Column::LegalBasis, &word))
                .add(crate::service::contains(leniency_item::Column::Conditions, &word)),
        );
    }
    if let Some(after) = after_id {
        q = q.filter(leniency_item::Column::Id.gt(after));
    }
    Ok(q.all(db).await?)
}
