//! The route map: one module per resource; handlers parse input, call one service, shape
//! output. Every handler is registered through utoipa-actix-web, so the OpenAPI document
//! lists every route by construction.
pub mod auth;
pub mod bindings;
pub mod bot;
pub mod calendar;
pub mod callbacks;
pub mod clues;
pub mod complaints;
pub mod console;
pub mod console_auth;
pub mod customer_groups;
pub mod dashboard;
pub mod demands;
pub mod dev;
pub mod docs;
pub mod download;
pub mod enterprises;
pub mod events;
pub mod files;
pub mod forms;
pub mod groups;
pub mod health;
pub mod hotline;
pub mod industries;
pub mod inspections;
pub mod leniency;
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
pub mod visits;

use utoipa_actix_web::service_config::ServiceConfig;

/// `/api/v1/...`
///
/// The router tries the routes in the order given here, and every route with a `{param}` it
/// passes costs a regular-expression match: the paths asked most (the demands, the feed and
/// the policies, the figures, the dashboard, the bot's callbacks) come first. No module after
/// them has a path under `/demands`, `/policies`, `/stats`, `/dashboard` or `/bot` that theirs
/// could shadow (`/demands/{id}/clue` and `/bot/groups/...` differ from all of theirs), and the
/// OpenAPI document is the same in any order (its paths are sorted).
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(demands::routes)
        .configure(policies::routes)
        .configure(stats::routes)
        .configure(dashboard::routes)
        .configure(bot::routes)
        .configure(auth::routes)
        .configure(console_auth::routes)
        .configure(me::routes)
        .configure(users::routes)
        .configure(units::routes)
        .configure(hotline::routes)
        .configure(enterprises::routes)
        .configure(industries::routes)
        .configure(bindings::routes)
        .configure(clues::routes)
        .configure(visits::routes)
        .configure(customer_groups::routes)
        .configure(inspections::routes)
        .configure(leniency::routes)
        .configure(notifications::routes)
        .configure(files::routes)
        .configure(reply_templates::routes)
        .configure(calendar::routes)
        .configure(forms::routes)
        .configure(events::routes)
        .configure(complaints::routes)
        .configure(submissions::routes)
        .configure(mystery::routes)
        .configure(supervision::routes)
        .configure(groups::routes)
        .configure(callbacks::routes)
        .configure(reports::routes)
        .configure(media::routes)
        .configure(plans::routes)
        .configure(privacy::routes)
        .configure(dev::routes);
}

/// Bidirectional embeddings, overrides and isolates: they make text display as something it
/// is not (a classic spoofing trick), so text others will read may not carry them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whitespace and the characters that show nothing (zero-width, word joiners, the BOM, soft
/// hyphens): a text of only these is blank.
fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Checks a text people type: trimmed of invisible characters at both ends; `Ok(None)` when
/// nothing visible is left; refused with bidi controls or control characters (newlines and
/// tabs are fine) or beyond `max_chars`. Emoji and every script are welcome.
fn clean_text(
    value: &str,
    field: &str,
    max_chars: usize,
    errors: &mut Vec<crate::error::FieldError>,
) -> Option<String> {
    let v = value.trim_matches(is_invisible);
    if v.is_empty() {
        return None;
    }
    if v.chars()
        .any(|c| is_bidi_control(c) || (c.is_control() && c != '\n' && c != '\t' && c != '\r'))
    {
        errors.push(crate::error::FieldError::new(
            field,
            "invalid_characters",
            "不能包含控制字符或改变文字方向的字符",
        ));
    } else if v.chars().count() > max_chars {
        errors.push(crate::error::FieldError::new(
            field,
            "too_long",
            format!("不能超过 {max_chars} 个字"),
        ));
    }
    Some(v.to_owned())
}

/// Trims a required text field; blank (or only invisible characters) is a field error.
pub fn required_text(value: &str, field: &str, max_chars: usize, errors: &mut Vec<crate::error::FieldError>) -> String {
    clean_text(value, field, max_chars, errors).unwrap_or_else(|| {
        errors.push(crate::error::FieldError::new(field, "required", "此项为必填项"));
        String::new()
    })
}

/// A required text of at least `min_chars` characters (`too_short` with `message` below that).
pub fn required_text_of_length(
    value: &str,
    field: &str,
    (min_chars, max_chars): (usize, usize),
    message: &str,
    errors: &mut Vec<crate::error::FieldError>,
) -> String {
    let text = required_text(value, field, max_chars, errors);
    if !text.is_empty() && text.chars().count() < min_chars {
        errors.push(crate::error::FieldError::new(field, "too_short", message));
    }
    text
}

/// Trims an optional text field; blank becomes `None`.
pub fn optional_text(
    value: Option<&str>,
    field: &str,
    max_chars: usize,
    errors: &mut Vec<crate::error::FieldError>,
) -> Option<String> {
    clean_text(value?, field, max_chars, errors)
}

/// Ok when no field error was collected.
pub fn no_errors(errors: Vec<crate::error::FieldError>) -> Result<(), crate::error::ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::error::ApiError::invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_text_is_blank_and_direction_tricks_are_refused() {
        let mut errors = Vec::new();
        assert_eq!(required_text(" \u{200B}\u{FEFF} ", "title", 10, &mut errors), "");
        assert_eq!(errors[0].code, "required");
        let mut errors = Vec::new();
        required_text("发票\u{202E}txt.exe", "title", 50, &mut errors);
        assert_eq!(errors[0].code, "invalid_characters");
        let mut errors = Vec::new();
        assert_eq!(
            required_text(" 🚀出口退税\n第二行 ", "title", 10, &mut errors),
            "🚀出口退税\n第二行"
        );
        assert!(errors.is_empty());
        assert_eq!(optional_text(Some("\u{200B}"), "lead", 10, &mut errors), None);
        assert!(errors.is_empty());
    }

    /// Every documented path, asked with each of its methods, reaches the route that documents
    /// it: no route registered before it in `api_v1` (whose order is chosen for speed) takes it.
    /// The handlers run without the application's state, so each refuses at once.
    #[actix_web::test]
    async fn every_documented_route_is_reached_by_its_own_path() {
        use actix_web::http::Method;
        use actix_web::{App, test};
        use utoipa_actix_web::AppExt;

        let (app, api) = App::new()
            .into_utoipa_app()
            .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
            .split_for_parts();
        let app = test::init_service(app).await;
        let mut asked = 0;
        for (path, item) in &api.paths.paths {
            // `/demands/{id}/accept` is asked as `/demands/7/accept`.
            let concrete: String = path
                .split('/')
                .map(|s| if s.starts_with('{') { "7" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            for (present, method) in [
                (item.get.is_some(), Method::GET),
                (item.post.is_some(), Method::POST),
                (item.put.is_some(), Method::PUT),
                (item.patch.is_some(), Method::PATCH),
                (item.delete.is_some(), Method::DELETE),
            ] {
                if !present {
                    continue;
                }
                let request = test::TestRequest::default()
                    .method(method.clone())
                    .uri(&concrete)
                    .to_request();
                let response = test::call_service(&app, request).await;
                assert_eq!(
                    response.request().match_pattern().as_deref(),
                    Some(path.as_str()),
                    "{method} {concrete}"
                );
                asked += 1;
            }
        }
        assert!(asked > 150, "only {asked} routes were asked");
    }
}
