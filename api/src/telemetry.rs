//! Structured logs: JSON for collectors or pretty for people; `RUST_LOG` overrides the filter.
use tracing_subscriber::EnvFilter;

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber once; later calls (tests) are no-ops.
pub fn init(settings: &LogSettings) {
    init_with_writer(settings, std::io::stdout);
}

/// The same, writing to `writer` (a test captures the log this way).
pub fn init_with_writer<W>(settings: &LogSettings, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true)
        .with_writer(writer);
    let _ = match settings.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The root span of every request, built so that no personal data reaches the log: the path
/// without its query string (a search or a filter may carry a phone number), and for an error
/// only its status and stable code, never its details (which may echo what was sent).
pub struct PrivateSpans;

impl tracing_actix_web::RootSpanBuilder for PrivateSpans {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let request_id = actix_web::HttpMessage::extensions(request)
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            // Recorded at the end, from the route the router chose: asking for it here would
            // walk the routes (a regular expression each) once more before routing.
            http.route = tracing::field::Empty,
            http.target = %request.path(),
            http.status_code = tracing::field::Empty,
            error = tracing::field::Empty,
            request_id = %request_id,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let (status, error) = match outcome {
            Ok(response) => (response.status(), response.response().error()),
            Err(error) => (error.as_response_error().status_code(), Some(error)),
        };
        if let Ok(response) = outcome
            && let Some(route) = response.request().match_pattern()
        {
            span.record("http.route", route);
        }
        span.record("http.status_code", status.as_u16());
        if let Some(error) = error {
            let code = error
                .as_error::<crate::error::ApiError>()
                .map_or("unexpected", crate::error::ApiError::code);
            span.record("error", code);
            if status.is_client_error() {
                tracing::info!(parent: &span, status = status.as_u16(), error = code, "request refused");
            }
        }
    }
}
