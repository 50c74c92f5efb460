//! What a demand looks like to the person reading it: its fields, the names it shows, its
//! timeline; who it is hidden from and what is masked is decided by `service::demands`.
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::OWN_BUTLER;
use crate::domain::demand::{Action, Channel, Deadline, Environment, Kind, Origin, RatingSource, Status};
use crate::domain::phone;
use crate::domain::queue::DeadlineKind;
use crate::domain::role::{Role, RoleRules};
use crate::service::demands::{self, Clock, Detail, Names};
use crate::types::{Id, Named, local_time};
use entity::{demand, demand_event};
use std::collections::HashMap;

/// Where a demand came from: a complaint, a scorecard submission, a mystery-shopper report,
/// a supervision activity.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemandOrigin {
    #[serde(rename = "type")]
    pub kind: Origin,
    pub id: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rating {
    pub satisfied: bool,
    pub comment: Option<String>,
    pub rated_at: Option<DateTime<FixedOffset>>,
    pub source: Option<RatingSource>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionRequest {
    pub working_days: i32,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DemandEventResponse)]
pub struct EventResponse {
    pub id: Id,
    pub action: Action,
    pub action_label: &'static str,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// `system` for scheduled jobs.
    pub actor_role: String,
    pub actor_unit: Option<Named>,
    /// Shown to staff only, never a handler's name to an enterprise.
    pub actor_name: Option<String>,
    pub note: Option<String>,
    pub data: Option<serde_json::Value>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NextDeadlineResponse {
    pub kind: DeadlineKind,
    pub at: DateTime<FixedOffset>,
    /// Working days left: 0 when it falls today, negative once passed.
    pub working_days_left: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemandResponse {
    pub id: Id,
    /// `SQ20261128-0007`
    pub number: String,
    pub kind: Kind,
    pub environment: Environment,
    pub channel: Channel,
    pub origin: Option<DemandOrigin>,
    pub title: String,
    pub content: String,
    pub anonymous: bool,
    pub status: Status,
    pub status_label: &'static str,
    /// Hidden (null) from those an anonymous demand is hidden from.
    pub enterprise: Option<Named>,
    pub submitter: Option<Named>,
    /// Masked except for admins.
    pub caller_phone: Option<String>,
    pub unit: Option<Named>,
    pub accept_due_at: Option<DateTime<FixedOffset>>,
    pub sign_due_at: Option<DateTime<FixedOffset>>,
    pub reply_due_at: Option<DateTime<FixedOffset>>,
    pub accepted_at: Option<DateTime<FixedOffset>>,
    pub assigned_at: Option<DateTime<FixedOffset>>,
    pub signed_at: Option<DateTime<FixedOffset>>,
    pub replied_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub reply_content: Option<String>,
    pub rating: Option<Rating>,
    pub unreasonable: bool,
    pub merged_into: Option<Id>,
    pub overdue: bool,
    pub overdue_kind: Option<Deadline>,
    pub extension_pending: Option<ExtensionRequest>,
    pub extensions: i32,
    pub returns: i32,
    pub reopen_count: i32,
    /// File ids; read them at `/api/v1/files/{id}`.
    pub attachments: Vec<Id>,
    /// The deadline the demand works towards now (none once replied or closed).
    pub next_deadline: Option<NextDeadlineResponse>,
    /// Changes with every move: send it back as a move's `expectedVersion` so that a move
    /// made meanwhile by someone else is refused, not overwritten.
    pub version: i32,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// Detail only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<EventResponse>>,
}

fn named(id: Option<i64>, map: &HashMap<i64, String>) -> Option<Named> {
    id.map(|id| Named {
        id: Id(id),
        name: map.get(&id).cloned().unwrap_or_default(),
    })
}

fn demand_response(
    auth: &AuthUser,
    d: demand::Model,
    n: &Names,
    clock: &Clock,
    attachments: Vec<i64>,
    timeline: Option<Vec<demand_event::Model>>,
) -> DemandResponse {
    let identity = demands::sees_identity(auth, &d);
    let staff_viewer = auth.is_admin() || auth.has_role(Role::Butler) || auth.has_role(Role::Handler);
    let full_viewer = auth.can(OWN_BUTLER, &demands::owner(&d));
    let status = d.status;
    let next_deadline = clock.next_deadline(&d).map(|n| NextDeadlineResponse {
        kind: n.kind,
        at: local_time(n.at),
        working_days_left: n.working_days_left,
    });
    let timeline = timeline.map(|events| {
        events
            .into_iter()
            .map(|e| {
                let staff_actor = e.actor_role.is_some_and(|r| r.is_staff());
                let show_name = full_viewer || (staff_viewer && staff_actor);
                EventResponse {
                    id: Id(e.id),
                    action: e.action,
                    action_label: e.action.label(),
                    from_status: e.from_status,
                    to_status: e.to_status,
                    actor_unit: named(e.actor_unit_id, &n.units),
                    actor_name: e
                        .actor_id
                        .filter(|_| show_name)
                        .and_then(|id| n.users.get(&id).cloned()),
                    actor_role: e
                        .actor_role
                        .map_or_else(|| "system".to_owned(), |r| r.code().to_owned()),
                    note: e.note,
                    data: e.data,
                    created_at: local_time(e.created_at),
                }
            })
            .collect()
    });
    DemandResponse {
        id: Id(d.id),
        number: d.number,
        kind: d.kind,
        environment: d.environment,
        channel: d.channel,
        origin: d
            .origin_type
            .zip(d.origin_id.clone())
            .map(|(kind, id)| DemandOrigin { kind, id }),
        title: d.title,
        content: d.content,
        anonymous: d.anonymous,
        status,
        status_label: status.label(),
        enterprise: if identity {
            named(d.enterprise_id, &n.enterprises)
        } else {
            None
        },
        submitter: if identity {
            named(d.submitter_id, &n.users)
        } else {
            None
        },
        caller_phone: if identity {
            d.caller_phone
                .map(|p| if auth.is_admin() { p } else { phone::mask(&p) })
        } else {
            None
        },
        unit: named(d.unit_id, &n.units),
        accept_due_at: d.accept_due_at.map(local_time),
        sign_due_at: d.sign_due_at.map(local_time),
        reply_due_at: d.reply_due_at.map(local_time),
        accepted_at: d.accepted_at.map(local_time),
        assigned_at: d.assigned_at.map(local_time),
        signed_at: d.signed_at.map(local_time),
        replied_at: d.replied_at.map(local_time),
        closed_at: d.closed_at.map(local_time),
        reply_content: d.reply_content,
        rating: d.rating_satisfied.map(|satisfied| Rating {
            satisfied,
            comment: d.rating_comment,
            rated_at: d.rated_at.map(local_time),
            source: d.rating_source,
        }),
        unreasonable: d.unreasonable,
        merged_into: d.merged_into_id.map(Id),
        overdue: d.overdue,
        overdue_kind: d.overdue_kind,
        extension_pending: d.extension_days_pending.map(|days| ExtensionRequest {
            working_days: days,
            reason: d.extension_reason,
        }),
        extensions: d.extensions,
        returns: d.returns,
        reopen_count: d.reopen_count,
        attachments: attachments.into_iter().map(Id).collect(),
        next_deadline,
        version: d.version,
        created_at: local_time(d.created_at),
        updated_at: local_time(d.updated_at),
        timeline,
    }
}

/// A demand with its detail, as `auth` may see it.
pub fn detail(auth: &AuthUser, d: Detail) -> DemandResponse {
    demand_response(auth, d.demand, &d.names, &d.clock, d.files, Some(d.events))
}

/// A demand in a list, as `auth` may see it.
pub fn listed(auth: &AuthUser, d: demand::Model, n: &Names, clock: &Clock) -> DemandResponse {
    demand_response(auth, d, n, clock, Vec::new(), None)
}
