//! Scheduled jobs. Each is a `run_once(&state)` so tests call it directly; the cron wiring
//! lives in one place. (The first jobs arrive with demands and events.)
