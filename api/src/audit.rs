//! The audit of admin actions: every successful write made by an admin is recorded with the
//! route, the path and the status — after the handler has run, or, for a demand's move, inside
//! the move's own transaction (`Audited` tells this middleware it is done). (Reads of protected
//! identities are audited where they happen, in the handlers that reveal them.)
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, web};

use crate::auth::AuthUser;
use crate::service::privacy::AdminChange;
use crate::state::AppState;

/// Marks a request whose handler wrote its audit entry inside the change's own transaction
/// (`Move::audit`): the middleware writes no second one.
#[derive(Debug, Clone, Copy)]
pub struct Audited;

/// The audit entry of the change `request` made, answered `status`, when an admin made it.
pub fn admin_change(request: &HttpRequest, status: StatusCode) -> Option<AdminChange> {
    let actor = request.extensions().get::<AuthUser>().filter(|a| a.is_admin())?.id;
    Some(AdminChange {
        actor,
        route: format!(
            "{} {}",
            request.method(),
            request.match_pattern().unwrap_or_else(|| request.path().to_owned())
        ),
        path: request.path().to_owned(),
        status: status.as_u16(),
    })
}

pub async fn admin_writes<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    // Writes that change something (not a reach preview or a presence heartbeat).
    let write = crate::idempotent::is_change(&req);
    let res = next.call(req).await?;
    // An answer given again under its Idempotency-Key changed nothing.
    if !write || !res.status().is_success() || res.headers().contains_key(crate::idempotent::REPLAYED) {
        return Ok(res);
    }
    let request = res.request();
    if request.extensions().contains::<Audited>() {
        return Ok(res);
    }
    let change = admin_change(request, res.status());
    if let (Some(change), Some(state)) = (change, request.app_data::<web::Data<AppState>>())
        && let Err(err) = change.write(&state.db).await
    {
        // The change is made; a lost audit line is logged loudly rather than turning a
        // success into an error.
        tracing::error!(error = ?err, action = change.route, "audit entry not written");
    }
    Ok(res)
}
