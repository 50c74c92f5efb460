//! The audit of admin actions: every successful write made by an admin is recorded with the
//! route, the path and the status, after the handler has run. (Reads of protected identities
//! are audited where they happen, in the handlers that reveal them.)
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use crate::auth::AuthUser;
use crate::service::privacy;
use crate::state::AppState;

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
    let admin = request
        .extensions()
        .get::<AuthUser>()
        .filter(|a| a.is_admin())
        .map(|a| a.id);
    if let (Some(actor), Some(state)) = (admin, request.app_data::<web::Data<AppState>>()) {
        let action = format!(
            "{} {}",
            request.method(),
            request.match_pattern().unwrap_or_else(|| request.path().to_owned())
        );
        let detail = serde_json::json!({"status": res.status().as_u16()});
        if let Err(err) = privacy::audit(
            &state.db,
            actor,
            &action,
            "request",
            Some(request.path().to_owned()),
            Some(detail),
        )
        .await
        {
            // The change is made; a lost audit line is logged loudly rather than turning a
            // success into an error.
            tracing::error!(error = ?err, action, "audit entry not written");
        }
    }
    Ok(res)
}
