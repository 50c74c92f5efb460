//! The search index kept in step with the table: rebuilt at start, synced by a stamp that any
//! write moves, whichever replica made it.

use super::by_ids;
use entity::policy;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use crate::error::{ApiError, ApiResult};
use crate::search::{PolicyDoc, PolicyIndex};
use crate::service::enterprises::labels;

/// What the search index holds of a policy.
pub fn search_doc(p: &policy::Model) -> PolicyDoc {
    PolicyDoc {
        id: p.id,
        title: p.title.clone(),
        issuer: p.issuer.clone(),
        explainer: [&p.for_whom, &p.benefits, &p.how_to_apply, &p.contact]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        text: p.full_text.clone(),
        tags: labels(&p.tags),
        status: p.status.code().to_owned(),
        published_on: p.published_on,
    }
}

pub(super) fn indexed(index: &PolicyIndex, p: &policy::Model) -> ApiResult<()> {
    index.upsert(&search_doc(p)).map_err(ApiError::internal)
}

/// Fills the index from the database (at start).
pub async fn rebuild_index(db: &impl ConnectionTrait, index: &PolicyIndex) -> ApiResult<usize> {
    let stamp = table_stamp(db).await?;
    let all = policy::Entity::find().all(db).await?;
    let docs: Vec<PolicyDoc> = all.iter().map(search_doc).collect();
    index.rebuild(&docs).map_err(ApiError::internal)?;
    index.set_synced(crate::search::Synced {
        stamp: Some(stamp),
        revisions: all.iter().map(|p| (p.id, p.revision)).collect(),
    });
    Ok(docs.len())
}

/// Brings this replica's index up to the table: when the table's stamp moved (a write here or
/// on another replica), the policies whose revision changed are re-indexed. One aggregate query
/// when nothing changed.
pub async fn sync_index(db: &impl ConnectionTrait, index: &PolicyIndex) -> ApiResult<()> {
    if index.synced().stamp == Some(table_stamp(db).await?) {
        return Ok(());
    }
    // One catch-up at a time; who waited for another's finds the index current.
    let _alone = index.catching_up().await;
    let stamp = table_stamp(db).await?;
    let mut synced = index.synced();
    if synced.stamp == Some(stamp) {
        return Ok(());
    }
    let revisions: Vec<(i64, i64)> = policy::Entity::find()
        .select_only()
        .columns([policy::Column::Id, policy::Column::Revision])
        .into_tuple()
        .all(db)
        .await?;
    let changed: Vec<i64> = revisions
        .iter()
        .filter(|(id, rev)| synced.revisions.get(id) != Some(rev))
        .map(|(id, _)| *id)
        .collect();
    // A commit per chunk, not per policy: a commit reloads the readers.
    for chunk in changed.chunks(500) {
        let docs: Vec<PolicyDoc> = by_ids(db, chunk).await?.iter().map(search_doc).collect();
        index.upsert_all(&docs).map_err(ApiError::internal)?;
    }
    synced.stamp = Some(stamp);
    synced.revisions = revisions.into_iter().collect();
    index.set_synced(synced);
    Ok(())
}

/// The table's row count and revision sum: any insert or write changes it, whichever replica
/// made it and whatever the clocks say.
pub(super) async fn table_stamp(db: &impl ConnectionTrait) -> ApiResult<Stamp> {
    Ok(policy::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(revision), 0) AS BIGINT)"), "r")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, 0)))
}

/// A table stamp: its row count and revision sum.
pub(super) type Stamp = (i64, i64);
