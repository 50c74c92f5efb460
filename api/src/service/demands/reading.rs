//! Reading demands as a person may: one demand or a page of them, the names they show, a
//! detail's timeline and files, and the audit of every read of an anonymous demand's identity.
use std::collections::HashMap;

use entity::{demand, demand_event, enterprise, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::access::Principal;
use crate::error::{ApiError, ApiResult};

use super::*;

/// The names a list or a detail shows, fetched once per answer.
#[derive(Default)]
pub struct Names {
    pub units: HashMap<i64, String>,
    pub enterprises: HashMap<i64, String>,
    pub users: HashMap<i64, String>,
}

/// How a person is named on a demand: a deleted account is not named.
fn shown_name(u: user::Model) -> String {
    match (u.deleted_at, u.nickname) {
        (Some(_), _) => "已注销用户".to_owned(),
        (None, Some(n)) => n,
        (None, None) => "未设置昵称".to_owned(),
    }
}

pub async fn names(
    db: &impl ConnectionTrait,
    rows: &[demand::Model],
    events: &[demand_event::Model],
) -> ApiResult<Names> {
    let units = unit_names(
        db,
        rows.iter()
            .filter_map(|d| d.unit_id)
            .chain(events.iter().filter_map(|e| e.actor_unit_id)),
    )
    .await?;
    let ent_ids: Vec<i64> = rows.iter().filter_map(|d| d.enterprise_id).collect();
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ent_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let user_ids: Vec<i64> = rows
        .iter()
        .filter_map(|d| d.submitter_id)
        .chain(events.iter().filter_map(|e| e.actor_id))
        .collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, shown_name(u)))
        .collect();
    Ok(Names {
        units,
        enterprises,
        users,
    })
}

/// The demand `id`, if `auth` may read it (403 otherwise).
pub async fn readable(db: &impl ConnectionTrait, auth: &Principal, id: i64) -> ApiResult<demand::Model> {
    let d = get(db, id).await?;
    let follower = is_follower(db, d.id, auth.id).await?;
    if !can_read(auth, &d, follower) {
        return Err(ApiError::forbidden());
    }
    Ok(d)
}

/// A demand with all its detail shows.
pub struct Detail {
    pub demand: demand::Model,
    pub events: Vec<demand_event::Model>,
    pub files: Vec<i64>,
    pub names: Names,
}

/// The detail of a demand `auth` may read (the caller checked it); an anonymous demand's
/// identity read by another is audited.
pub async fn detail(db: &impl ConnectionTrait, auth: &Principal, d: demand::Model) -> ApiResult<Detail> {
    let events = timeline(db, d.id).await?;
    let files = attachments(db, d.id).await?.into_iter().map(|a| a.file_id).collect();
    let names = names(db, std::slice::from_ref(&d), &events).await?;
    audit_identity_reads(db, auth, std::slice::from_ref(&d)).await?;
    Ok(Detail {
        demand: d,
        events,
        files,
        names,
    })
}

/// A page of the demands `auth` may see (`limit` of them, and one more when there are more),
/// with their names; the identities read on the page are audited.
pub async fn page(
    db: &impl ConnectionTrait,
    auth: &Principal,
    filter: &ListFilter,
    after: Option<i64>,
    limit: u64,
) -> ApiResult<(Vec<demand::Model>, Names)> {
    let rows = list(db, auth, filter, after, limit).await?;
    let names = names(db, &rows, &[]).await?;
    let shown = usize::try_from(limit).unwrap_or(usize::MAX).min(rows.len());
    audit_identity_reads(db, auth, &rows[..shown]).await?;
    Ok((rows, names))
}

/// Records every read of the person behind an anonymous demand by someone other than that
/// person (admins and the enterprise's butler see who it was).
async fn audit_identity_reads(db: &impl ConnectionTrait, auth: &Principal, rows: &[demand::Model]) -> ApiResult<()> {
    let revealed: Vec<i64> = rows
        .iter()
        .filter(|d| d.anonymous && d.submitter_id != Some(auth.id) && sees_identity(auth, d))
        .map(|d| d.id)
        .collect();
    crate::service::privacy::audit_identity_reads(db, auth.id, "demand", &revealed).await
}
