//! settings → telemetry → Application::build → run; nothing else.
use api::settings::Settings;
use api::startup::Application;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(err) => {
            eprintln!("qinqing: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    api::telemetry::init(&settings.log);
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(err) => {
            tracing::error!("failed to start: {err:#}");
            eprintln!("qinqing: failed to start: {err:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("server stopped with an error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
