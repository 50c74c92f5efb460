//! Who hears of a move and how: the submitter and followers, the unit's handlers, the butler,
//! each notice once (in-app, and by WeChat where they subscribed).

use chrono::{DateTime, Utc};
use entity::{demand, demand_event, demand_follower, role_grant, unit};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query, SelectStatement, UnionType};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Set};

use crate::domain::demand::{Action, Status};
use crate::domain::role::Role;
use crate::error::ApiResult;
use crate::service::notify::{self, WechatFields};
use crate::types::local_time;

use super::*;

/// Who hears of something on a demand: the ids a statement selects (as column `id`), so a notice
/// to them is one statement (`notify::enqueue_each`), and listing them another
/// (`unit_handlers`, `audience`).
#[derive(Debug, Clone, Copy)]
pub enum To<'a> {
    /// These people.
    People(&'a [i64]),
    /// The demand's submitter and everyone following it.
    Filers(&'a demand::Model),
    /// The active handlers of a unit.
    Handlers(i64),
}

impl To<'_> {
    /// The statement selecting them; None when nobody is named.
    fn select(self) -> Option<SelectStatement> {
        Some(match self {
            To::People([]) => return None,
            To::People(ids) => Query::select()
                .expr_as(Expr::col(entity::user::Column::Id), Alias::new("id"))
                .from(entity::user::Entity)
                .and_where(entity::user::Column::Id.is_in(ids.iter().copied()))
                .to_owned(),
            To::Filers(d) => {
                let mut followers = Query::select()
                    .expr_as(Expr::col(demand_follower::Column::UserId), Alias::new("id"))
                    .from(demand_follower::Entity)
                    .and_where(demand_follower::Column::DemandId.eq(d.id))
                    .to_owned();
                if let Some(submitter) = d.submitter_id {
                    followers.union(
                        UnionType::Distinct,
                        Query::select()
                            .expr_as(Expr::val(submitter), Alias::new("id"))
                            .to_owned(),
                    );
                }
                followers
            }
            To::Handlers(unit_id) => Query::select()
                .distinct()
                .expr_as(Expr::col(role_grant::Column::UserId), Alias::new("id"))
                .from(role_grant::Entity)
                .and_where(role_grant::Column::Role.eq(Role::Handler))
                .and_where(role_grant::Column::UnitId.eq(unit_id))
                .and_where(role_grant::Column::RevokedAt.is_null())
                .to_owned(),
        })
    }

    /// Their ids, in order.
    async fn ids(self, db: &impl ConnectionTrait) -> ApiResult<Vec<i64>> {
        let Some(select) = self.select() else {
            return Ok(Vec::new());
        };
        let mut ids = db
            .query_all(&select)
            .await?
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}

/// Active handlers of a unit.
pub async fn unit_handlers(db: &impl ConnectionTrait, unit_id: i64) -> ApiResult<Vec<i64>> {
    To::Handlers(unit_id).ids(db).await
}

/// The submitter and everyone following the demand.
pub async fn audience(db: &impl ConnectionTrait, d: &demand::Model) -> ApiResult<Vec<i64>> {
    To::Filers(d).ids(db).await
}

/// Tells everyone `to` names about an event on the demand, in one statement. Returns who was
/// told (nobody told before under `key`).
#[allow(clippy::too_many_arguments)]
pub async fn notify_people(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    to: To<'_>,
    d: &demand::Model,
    kind: &str,
    key: &str,
    status_label: &str,
    body: String,
    wechat: bool,
) -> ApiResult<Vec<i64>> {
    let Some(to) = to.select() else {
        return Ok(Vec::new());
    };
    let notices = notify::Notices {
        kind,
        title: format!("诉求{}：{}", status_label, d.title),
        body: body.clone(),
        demand_id: Some(d.id),
        page: Some(format!("subpackages/demand/detail/index?id={}", d.id)),
        key,
        wechat: wechat.then(|| WechatFields {
            title: d.title.clone(),
            status: status_label.to_owned(),
            time: Utc::now(),
            note: body,
        }),
    };
    notify::enqueue_each(db, notify::template_for(&ctx.settings.wechat, kind), to, notices).await
}

/// The text messages of a move the people who filed hear of (see `notify::text`): the demand's
/// number and title (cut to what a template variable takes).
async fn text_filers(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    people: &[i64],
    d: &demand::Model,
    kind: &str,
    key: &str,
) -> ApiResult<()> {
    let caller = (d.channel == entity::codes::Channel::Hotline)
        .then_some(d.caller_phone.as_deref())
        .flatten();
    let params = [d.number.clone(), notify::fit_value("thing", &d.title)];
    let to = notify::Texted {
        people,
        caller_phone: caller,
    };
    notify::text(db, ctx.settings, to, kind, key, &params).await
}

async fn unit_name(db: &impl ConnectionTrait, id: Option<i64>) -> ApiResult<String> {
    Ok(match id {
        Some(id) => unit::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// Tells the active handlers of the demand's unit (in-app, and by subscribe message to those
/// who subscribed to new work).
#[allow(clippy::too_many_arguments)]
pub async fn notify_unit(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    d: &demand::Model,
    kind: &str,
    key: &str,
    status_label: &str,
    body: String,
) -> ApiResult<()> {
    if let Some(unit) = d.unit_id {
        notify_people(db, ctx, To::Handlers(unit), d, kind, key, status_label, body, true).await?;
    }
    Ok(())
}

/// What follows a move inside its transaction: notices, followers, the automatic re-dispatch
/// of an unsatisfied rating. `assigned` is the name of the unit a dispatch went to, as the move
/// read it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn follow_up(
    txn: &impl ConnectionTrait,
    ctx: &Context<'_>,
    before: &demand::Model,
    d: demand::Model,
    action: Action,
    actor: Actor,
    event_id: i64,
    now: DateTime<Utc>,
    assigned: Option<String>,
) -> ApiResult<demand::Model> {
    let key = format!("demand:{}:e{event_id}", d.id);
    match action {
        Action::Accept => {
            let told = notify_people(
                txn,
                ctx,
                To::Filers(&d),
                &d,
                "demand_accepted",
                &key,
                "已受理",
                "您的诉求已受理，正在安排办理".into(),
                true,
            )
            .await?;
            text_filers(txn, ctx, &told, &d, "demand_accepted", &key).await?;
        }
        Action::Reject => {
            let reason = event_note(txn, event_id).await?;
            notify_people(
                txn,
                ctx,
                To::Filers(&d),
                &d,
                "demand_rejected",
                &key,
                "不予受理",
                format!("不予受理：{reason}"),
                true,
            )
            .await?;
        }
        Action::Assign => {
            let unit = match assigned {
                Some(name) => name,
                None => unit_name(txn, d.unit_id).await?,
            };
            notify_people(
                txn,
                ctx,
                To::Filers(&d),
                &d,
                "demand_assigned",
                &key,
                "已派单",
                format!("已派至{unit}办理"),
                true,
            )
            .await?;
            notify_unit(
                txn,
                ctx,
                &d,
                "demand_dispatched",
                &key,
                "待签收",
                format!("新派单：{}", d.number),
            )
            .await?;
        }
        Action::Reply => {
            let told = notify_people(
                txn,
                ctx,
                To::Filers(&d),
                &d,
                "demand_replied",
                &key,
                "已答复",
                "您的诉求已答复，请查看并评价".into(),
                true,
            )
            .await?;
            text_filers(txn, ctx, &told, &d, "demand_replied", &key).await?;
        }
        Action::Return => {
            let reason = event_note(txn, event_id).await?;
            let butler: Vec<i64> = d.butler_id.into_iter().collect();
            notify_people(
                txn,
                ctx,
                To::People(&butler),
                &d,
                "demand_returned",
                &key,
                "被退回",
                format!("单位退回：{reason}"),
                false,
            )
            .await?;
        }
        Action::Extend => {
            let butler: Vec<i64> = d.butler_id.into_iter().collect();
            notify_people(
                txn,
                ctx,
                To::People(&butler),
                &d,
                "extension_requested",
                &key,
                "申请延期",
                "承办单位申请延期，请审批".into(),
                false,
            )
            .await?;
        }
        Action::ApproveExtension => {
            let due = d
                .reply_due_at
                .map(|t| local_time(t).format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            notify_people(
                txn,
                ctx,
                To::Filers(&d),
                &d,
                "extension_approved",
                &key,
                "延期办理",
                format!("办理期限延至{due}"),
                true,
            )
            .await?;
            notify_unit(
                txn,
                ctx,
                &d,
                "extension_approved",
                &key,
                "延期已批准",
                format!("办理期限延至{due}"),
            )
            .await?;
        }
        Action::Supervise => {
            let mut staff: Vec<i64> = d.butler_id.into_iter().collect();
            if let Some(u) = d.unit_id {
                staff.extend(unit_handlers(txn, u).await?);
            }
            staff.retain(|id| Some(*id) != actor.id);
            notify_people(
                txn,
                ctx,
                To::People(&staff),
                &d,
                "demand_supervised",
                &key,
                "督办",
                event_note(txn, event_id).await?,
                false,
            )
            .await?;
        }
        Action::Merge => {
            if let Some(into) = d.merged_into_id {
                // Everyone who followed the duplicate now follows the survivor.
                let people = audience(txn, &d).await?;
                let rows = people.iter().map(|u| demand_follower::ActiveModel {
                    demand_id: Set(into),
                    user_id: Set(*u),
                });
                demand_follower::Entity::insert_many(rows)
                    .on_conflict(
                        OnConflict::columns([demand_follower::Column::DemandId, demand_follower::Column::UserId])
                            .do_nothing()
                            .to_owned(),
                    )
                    .try_insert()
                    .exec(txn)
                    .await?;
                let target = get(txn, into).await?;
                notify_people(
                    txn,
                    ctx,
                    To::People(&people),
                    &d,
                    "demand_merged",
                    &key,
                    "已合并",
                    format!("与诉求{}合并办理", target.number),
                    true,
                )
                .await?;
            }
        }
        Action::Rate if d.rating_satisfied == Some(false) => {
            // Unsatisfied: the same unit gets the same demand again, with a fresh clock.
            if let Some(unit_id) = before.unit_id {
                let env = d.environment;
                let cfg = &ctx.settings.demands;
                let sign_due = ctx.calendar.deadline(now, cfg.sign_days(env));
                let reply_due = ctx.calendar.deadline(now, cfg.reply_days(env));
                let mut a: demand::ActiveModel = d.clone().into();
                super::moves::assign_fields(&mut a, unit_id, now, sign_due, reply_due);
                a.status = Set(Status::Assigned);
                a.version = Set(d.version + 1);
                let d2 = a.update(txn).await?;
                let data = serde_json::json!({
                    "unitId": unit_id.to_string(),
                    "signDueAt": local_time(sign_due).to_rfc3339(),
                    "replyDueAt": local_time(reply_due).to_rfc3339(),
                    "reopened": true,
                });
                let ev = add_event(
                    txn,
                    d.id,
                    Action::Assign,
                    Some(Status::Reopened),
                    Status::Assigned,
                    Actor::SYSTEM,
                    Some("企业不满意，退回原承办单位重新办理".into()),
                    Some(data),
                    now,
                )
                .await?;
                let key = format!("demand:{}:e{}", d.id, ev.id);
                notify_unit(
                    txn,
                    ctx,
                    &d2,
                    "demand_reopened",
                    &key,
                    "重新办理",
                    "企业对答复不满意，请重新办理".into(),
                )
                .await?;
                return Ok(d2);
            }
        }
        _ => {}
    }
    Ok(d)
}

pub(super) async fn event_note(db: &impl ConnectionTrait, event_id: i64) -> ApiResult<String> {
    Ok(demand_event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .and_then(|e| e.note)
        .unwrap_or_default())
}
