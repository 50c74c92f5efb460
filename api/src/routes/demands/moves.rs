//! The moves of the state machine, one route each at `POST /demands/{id}/{action}`, all made
//! by `run_move`: check the caller may make it, parse the body, make it, answer with the demand.
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::response::{DemandResponse, detail};
use crate::auth::AuthUser;
use crate::domain::demand::{Action, RatingSource};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract;
use crate::service::demands::{self, Move};
use crate::service::files::FileRefs;
use crate::state::AppState;
use crate::types::{FileId, Id};

/// Which move a route makes: a rating `staff_rating` is one staff record for a caller.
struct MoveRoute {
    action: Action,
    staff_rating: bool,
}

/// Runs one move: check the caller may make it, parse the body, make the move, answer with the
/// demand.
/// A move's body: what the caller last saw of the demand.
trait Versioned {
    fn expected_version(&self) -> Option<i32>;
}

macro_rules! versioned {
    ($($body:ty),+) => {
        $(impl Versioned for $body {
            fn expected_version(&self) -> Option<i32> {
                self.expected_version
            }
        })+
    };
}

versioned!(
    VersionBody,
    ReasonBody,
    AssignBody,
    ReplyBody,
    RateBody,
    ExtendBody,
    MergeBody,
    NoteBody,
    CommentBody
);

async fn run_move<B: serde::de::DeserializeOwned + Versioned>(
    state: &AppState,
    auth: &AuthUser,
    req: &HttpRequest,
    body: &[u8],
    id: i64,
    route: MoveRoute,
    to_move: impl FnOnce(B) -> Move,
) -> ApiResult<HttpResponse> {
    // One read of the demand serves both: this check, which refuses before the body is read,
    // and the move, whose write is guarded by the version read here.
    let seen = demands::seen(&state.db, auth.id, id).await?;
    let MoveRoute { action, staff_rating } = route;
    if !demands::may_attempt(auth, &seen.demand, action, seen.followed, staff_rating) {
        return Err(ApiError::forbidden());
    }
    let parsed: B = if body.iter().all(u8::is_ascii_whitespace) {
        extract::parse(b"{}")?
    } else {
        extract::parse(body)?
    };
    let expected_version = parsed.expected_version();
    let mv = Move {
        expected_version,
        // Written in the move's transaction: a move answers 200 once made.
        audit: crate::audit::admin_change(req, StatusCode::OK),
        ..to_move(parsed)
    };
    let d = demands::act_on(
        &state.db,
        &state.settings,
        state.calendar().await?,
        auth,
        seen,
        action,
        mv,
    )
    .await?;
    req.extensions_mut().insert(crate::audit::Audited);
    Ok(HttpResponse::Ok().json(detail(
        auth,
        demands::detail(&state.db, state.calendar().await?, auth, d).await?,
    )))
}

/// A move that carries nothing else.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VersionBody {
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: String,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignBody {
    pub unit_id: Id,
    /// Reply deadline; by default the configured working days after dispatch.
    pub due_at: Option<DateTime<Utc>>,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplyBody {
    pub content: String,
    /// Files the handler uploaded (at most 9).
    #[serde(default)]
    pub attachments: Vec<FileId>,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateBody {
    pub satisfied: bool,
    pub comment: Option<String>,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtendBody {
    /// 1 to 10 working days.
    pub working_days: u32,
    pub reason: String,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergeBody {
    /// The demand that survives.
    pub into_id: Id,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteBody {
    pub note: String,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommentBody {
    pub content: String,
    /// The `version` the caller last saw: when the demand has moved since, 409
    /// `concurrent_update` and nothing changes.
    #[serde(default)]
    pub expected_version: Option<i32>,
}

/// One handler per move, each documented with its body; all share `run_move`.
macro_rules! move_route {
    ($name:ident, $path:literal, $action:expr, staff_rating: $staff:expr, $body:ty, $doc:literal, |$b:ident| $to_move:expr) => {
        #[doc = $doc]
        #[utoipa::path(tag = "demands", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = $body, responses(
            (status = 200, body = DemandResponse),
            (status = 403, description = "the caller's role may not make this move on this demand", body = ErrorBody),
            (status = 409, description = "`invalid_transition` (names the state), `concurrent_update`, a rule of the move", body = ErrorBody),
            (status = 422, body = ErrorBody),
        ))]
        #[post($path)]
        pub async fn $name(state: web::Data<AppState>, auth: AuthUser, req: HttpRequest, id: web::Path<i64>, body: web::Bytes) -> ApiResult<HttpResponse> {
            run_move(&state, &auth, &req, &body, id.into_inner(), MoveRoute { action: $action, staff_rating: $staff }, |$b: $body| $to_move).await
        }
    };
}

move_route!(
    accept,
    "/demands/{id}/accept",
    Action::Accept,
    staff_rating: false,
    VersionBody,
    "Accept (butler of the enterprise, admin).",
    |_b| Move::default()
);
move_route!(
    reject,
    "/demands/{id}/reject",
    Action::Reject,
    staff_rating: false,
    ReasonBody,
    "Reject with a reason (butler, admin).",
    |b| Move {
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    assign,
    "/demands/{id}/assign",
    Action::Assign,
    staff_rating: false,
    AssignBody,
    "Dispatch to a unit: the reply clock starts now (butler, admin).",
    |b| Move {
        unit_id: Some(b.unit_id.0),
        due_at: b.due_at,
        ..Move::default()
    }
);
move_route!(
    sign,
    "/demands/{id}/sign",
    Action::Sign,
    staff_rating: false,
    VersionBody,
    "Sign for a dispatched demand (handler of its unit).",
    |_b| Move::default()
);
move_route!(
    return_demand,
    "/demands/{id}/return",
    Action::Return,
    staff_rating: false,
    ReasonBody,
    "Return a misrouted demand within 2 working days of dispatch, with a reason (handler).",
    |b| Move {
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    reply,
    "/demands/{id}/reply",
    Action::Reply,
    staff_rating: false,
    ReplyBody,
    "Reply (handler of its unit).",
    |b| Move {
        content: Some(b.content),
        files: FileRefs::list("attachments", &FileId::ids(&b.attachments)),
        ..Move::default()
    }
);
move_route!(
    rate,
    "/demands/{id}/rate",
    Action::Rate,
    staff_rating: false,
    RateBody,
    "Rate the reply (submitter): satisfied closes it; unsatisfied reopens it to the same unit with a fresh clock.",
    |b| Move {
        satisfied: Some(b.satisfied),
        note: b.comment,
        ..Move::default()
    }
);
move_route!(
    callback_rating,
    "/demands/{id}/callback-rating",
    Action::Rate,
    staff_rating: true,
    RateBody,
    "Record the caller's rating taken on a hotline call-back (the enterprise's butler, admins). It counts like a rating in the mini-program, once: a demand already rated is `invalid_transition`.",
    |b| Move {
        satisfied: Some(b.satisfied),
        note: b.comment,
        source: Some(RatingSource::Hotline),
        ..Move::default()
    }
);
move_route!(
    extend,
    "/demands/{id}/extend",
    Action::Extend,
    staff_rating: false,
    ExtendBody,
    "Ask for an extension before the deadline, up to 10 working days (handler).",
    |b| Move {
        working_days: Some(b.working_days),
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    approve_extension,
    "/demands/{id}/approve-extension",
    Action::ApproveExtension,
    staff_rating: false,
    VersionBody,
    "Approve the pending extension: the deadline moves (butler, admin).",
    |_b| Move::default()
);
move_route!(
    flag_unreasonable,
    "/demands/{id}/flag-unreasonable",
    Action::FlagUnreasonable,
    staff_rating: false,
    ReasonBody,
    "Flag as unreasonable (audited; excluded from the satisfaction rate, counted apart).",
    |b| Move {
        note: Some(b.reason),
        ..Move::default()
    }
);
move_route!(
    merge,
    "/demands/{id}/merge",
    Action::Merge,
    staff_rating: false,
    MergeBody,
    "Merge this duplicate into another demand; both submitters follow the survivor.",
    |b| Move {
        into_id: Some(b.into_id.0),
        ..Move::default()
    }
);
move_route!(
    supervise,
    "/demands/{id}/supervise",
    Action::Supervise,
    staff_rating: false,
    NoteBody,
    "Supervise (督办): a note to the unit and the butler (butler, admin).",
    |b| Move {
        note: Some(b.note),
        ..Move::default()
    }
);
move_route!(
    comment,
    "/demands/{id}/comment",
    Action::Comment,
    staff_rating: false,
    CommentBody,
    "Comment (anyone who may read the demand).",
    |b| Move {
        note: Some(b.content),
        ..Move::default()
    }
);
