//! The route map: one module per resource; handlers parse input, call one service, shape
//! output. Every handler is registered through utoipa-actix-web, so the OpenAPI document
//! lists every route by construction.
pub mod auth;
pub mod bindings;
pub mod bot;
pub mod calendar;
pub mod callbacks;
pub mod complaints;
pub mod dashboard;
pub mod demands;
pub mod dev;
pub mod enterprises;
pub mod events;
pub mod files;
pub mod forms;
pub mod groups;
pub mod health;
pub mod idempotent;
pub mod industries;
pub mod me;
pub mod media;
pub mod mystery;
pub mod notifications;
pub mod plans;
pub mod policies;
pub mod privacy;
pub mod reply_templates;
pub mod reports;
pub mod stats;
pub mod submissions;
pub mod supervision;
pub mod units;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// `/api/v1/...`
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(auth::routes)
        .configure(me::routes)
        .configure(users::routes)
        .configure(units::routes)
        .configure(enterprises::routes)
        .configure(industries::routes)
        .configure(bindings::routes)
        .configure(demands::routes)
        .configure(notifications::routes)
        .configure(files::routes)
        .configure(policies::routes)
        .configure(reply_templates::routes)
        .configure(stats::routes)
        .configure(calendar::routes)
        .configure(forms::routes)
        .configure(events::routes)
        .configure(complaints::routes)
        .configure(submissions::routes)
        .configure(mystery::routes)
        .configure(supervision::routes)
        .configure(bot::routes)
        .configure(groups::routes)
        .configure(callbacks::routes)
        .configure(reports::routes)
        .configure(media::routes)
        .configure(plans::routes)
        .configure(dashboard::routes)
        .configure(privacy::routes)
        .configure(dev::routes);
}

/// Trims a required text field; blank is a field error.
pub fn required_text(value: &str, field: &str, max_chars: usize, errors: &mut Vec<crate::error::FieldError>) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(crate::error::FieldError::new(field, "required", "此项为必填项"));
    } else if v.chars().count() > max_chars {
        errors.push(crate::error::FieldError::new(
            field,
            "too_long",
            format!("不能超过 {max_chars} 个字"),
        ));
    }
    v.to_owned()
}

/// Trims an optional text field; blank becomes `None`.
pub fn optional_text(
    value: Option<&str>,
    field: &str,
    max_chars: usize,
    errors: &mut Vec<crate::error::FieldError>,
) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if v.chars().count() > max_chars {
        errors.push(crate::error::FieldError::new(
            field,
            "too_long",
            format!("不能超过 {max_chars} 个字"),
        ));
    }
    Some(v.to_owned())
}

/// Ok when no field error was collected.
pub fn no_errors(errors: Vec<crate::error::FieldError>) -> Result<(), crate::error::ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::error::ApiError::invalid(errors))
    }
}
