//! A province's data, written straight into PostgreSQL with bulk SQL (`INSERT … SELECT` over
//! `generate_series`, decided by the database's `random()` under a fixed seed): units,
//! enterprises with one member each, and demands over three years in a realistic mix of kinds,
//! channels, environments, units, states, timings, ratings and overdue flags. The demands go in
//! with the tally triggers off and the tallies are then made from them in one pass, as a
//! deployment's first start after an import would.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::fixtures::{CLASSES, DISTRICTS};

/// How much to write.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub units: u32,
    pub enterprises: u32,
    pub demands: u32,
    /// Days back from now the demands are spread over.
    pub days: u32,
}

impl Size {
    /// 1,000,000 demands over three years, 300,000 enterprises (`PROVINCE_DEMANDS`,
    /// `PROVINCE_ENTERPRISES` and `PROVINCE_DAYS` change them).
    pub fn from_env() -> Self {
        let var = |k: &str, default: u32| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or(default)
        };
        Self {
            units: 40,
            enterprises: var("PROVINCE_ENTERPRISES", 300_000),
            demands: var("PROVINCE_DEMANDS", 1_000_000),
            days: var("PROVINCE_DAYS", 3 * 365),
        }
    }
}

/// What was written: the first ids of the contiguous ranges.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub first_unit: i64,
    pub first_enterprise: i64,
    pub first_member: i64,
}

fn sql_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    format!("ARRAY[{}]", quoted.join(", "))
}

/// One pick of `choices` (value, weight) by the uniform draw `draw` (an SQL expression in 0..1).
fn weighted(draw: &str, choices: &[(&str, u32)]) -> String {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut at = 0;
    let mut sql = String::from("CASE");
    for (value, weight) in &choices[..choices.len() - 1] {
        at += weight;
        sql.push_str(&format!(
            " WHEN {draw} < {} THEN '{value}'",
            f64::from(at) / f64::from(total)
        ));
    }
    sql.push_str(&format!(" ELSE '{}' END", choices[choices.len() - 1].0));
    sql
}

async fn timed(db: &impl ConnectionTrait, what: &str, sql: &str) -> u64 {
    let started = Instant::now();
    let n = db
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}\n{sql}"))
        .rows_affected();
    println!("  {what}: {n} rows in {:.1} s", started.elapsed().as_secs_f64());
    n
}

async fn first_id(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "id").unwrap()
}

/// Writes `size` into an empty, migrated PostgreSQL database.
pub async fn generate(db: &DatabaseConnection, size: Size) -> Written {
    let started = Instant::now();
    let Size {
        units,
        enterprises,
        demands,
        days,
    } = size;
    println!("generating {units} units, {enterprises} enterprises and members, {demands} demands over {days} days");
    timed(
        db,
        "units",
        &format!(
            "INSERT INTO units (code, name, created_at, updated_at) \
             SELECT 'p' || g, '省直单位' || g, now(), now() FROM generate_series(CAST(1 AS BIGINT), {units}) g"
        ),
    )
    .await;
    let first_unit = first_id(db, "SELECT MIN(id) AS id FROM units WHERE code LIKE 'p%'").await;
    let classes = sql_list(CLASSES);
    let districts = sql_list(DISTRICTS);
    timed(
        db,
        "enterprises",
        &format!(
            "INSERT INTO enterprises (name, uscc, industry_code, scale, registered_at, qualifications, tags, district, \
             service_tier, needs_callback, created_at, updated_at) \
             SELECT '省测试企业' || g || '有限公司', '91350200' || lpad(g::text, 9, '0') || 'X', \
             ({classes})[1 + (g * 7919) % {nc}], \
             (ARRAY['micro', 'small', 'small', 'medium', 'large'])[1 + (g * 31) % 5], \
             DATE '2000-01-15' + CAST((g * 37) % 9000 AS INTEGER), \
             CAST(CASE g % 7 WHEN 3 THEN '[\"高新技术企业\"]' WHEN 4 THEN '[\"专精特新\"]' \
               WHEN 5 THEN '[\"科技型中小企业\"]' WHEN 6 THEN '[\"高新技术企业\", \"专精特新\"]' ELSE '[]' END AS json), \
             CAST(CASE g % 5 WHEN 1 THEN '[\"软件\"]' WHEN 2 THEN '[\"外贸\", \"出海\"]' WHEN 3 THEN '[\"制造\"]' ELSE '[]' END AS json), \
             ({districts})[1 + (g * 13) % {nd}], \
             (ARRAY['key', 'growth', 'general', 'general'])[1 + g % 4], false, now(), now() \
             FROM generate_series(CAST(1 AS BIGINT), {enterprises}) g",
            nc = CLASSES.len(),
            nd = DISTRICTS.len(),
        ),
    )
    .await;
    let first_enterprise = first_id(db, "SELECT MIN(id) AS id FROM enterprises").await;
    timed(
        db,
        "members",
        &format!(
            "INSERT INTO users (openid, nickname, created_at, updated_at) \
             SELECT 'prov-member-' || g, '企业联系人' || g, now(), now() FROM generate_series(CAST(1 AS BIGINT), {enterprises}) g"
        ),
    )
    .await;
    let first_member = first_id(db, "SELECT MIN(id) AS id FROM users WHERE openid = 'prov-member-1'").await;
    timed(
        db,
        "their grants",
        &format!(
            "INSERT INTO role_grants (user_id, role, enterprise_id, created_at) \
             SELECT {first_member} + g, 'enterprise', {first_enterprise} + g, now() \
             FROM generate_series(CAST(0 AS BIGINT), {enterprises} - 1) g"
        ),
    )
    .await;

    // Each demand draws r1..r9; one older than a month has mostly been closed (a reply nobody
    // rated is closed on its own by then), and a few stay in progress for long.
    let channel = weighted(
        "r1",
        &[
            ("miniprogram", 38),
            ("hotline", 27),
            ("bot", 9),
            ("callback", 7),
            ("visit", 6),
            ("complaint_day", 4),
            ("scorecard", 3),
            ("mystery_shopper", 2),
            ("supervision", 2),
            ("media", 2),
        ],
    );
    let environment = weighted(
        "r2",
        &[
            ("service", 34),
            ("policy", 21),
            ("factor", 15),
            ("market", 12),
            ("legal", 10),
            ("humanistic", 8),
        ],
    );
    let kind = weighted("r9", &[("demand", 72), ("problem", 19), ("suggestion", 9)]);
    let settled = weighted(
        "r4",
        &[
            ("closed", 915),
            ("rejected", 50),
            ("merged", 25),
            ("in_progress", 7),
            ("assigned", 3),
        ],
    );
    let recent = weighted(
        "r4",
        &[
            ("closed", 30),
            ("replied", 15),
            ("in_progress", 22),
            ("assigned", 10),
            ("accepted", 8),
            ("submitted", 10),
            ("rejected", 3),
            ("reopened", 2),
        ],
    );
    let txn = api::service::begin_write(db).await.unwrap();
    // The tally triggers stay off for the load (the tallies are made in one pass below).
    txn.execute_unprepared("SET LOCAL session_replication_role = replica")
        .await
        .unwrap();
    // The seed holds for this connection's session: the same demands on every run.
    txn.execute_unprepared("SELECT setseed(0.20261206)").await.unwrap();
    timed(
        &txn,
        "demands",
        &format!(
            "INSERT INTO demands (number, kind, environment, channel, title, content, enterprise_id, submitter_id, \
               anonymous, unit_id, butler_id, status, accept_due_at, sign_due_at, reply_due_at, accepted_at, assigned_at, \
               signed_at, replied_at, closed_at, reply_content, rating_satisfied, rated_at, rating_source, unreasonable, \
               overdue, overdue_kind, overdue_due_at, extensions, returns, bounced_secs, accept_secs, sign_secs, reply_secs, \
               sign_late, reply_late, reopen_count, content_check, version, created_at, updated_at) \
             SELECT 'PV' || lpad(g::text, 8, '0'), kind, environment, channel, \
               '企业反映' || environment || '方面问题（第' || g || '号）', \
               '企业在办理业务时遇到困难，希望相关部门尽快协调解决。', \
               {first_enterprise} + e, {first_member} + e, r5 < 0.05, \
               CASE WHEN dispatched THEN {first_unit} + (CASE environment WHEN 'service' THEN 0 WHEN 'policy' THEN 8 \
                 WHEN 'factor' THEN 16 WHEN 'market' THEN 24 ELSE 32 END) + floor(r6 * 8)::int END, \
               NULL, status, created + interval '1 day', \
               CASE WHEN dispatched THEN created + interval '6 hours' END, \
               CASE WHEN dispatched THEN created + interval '7 days' END, \
               CASE WHEN status <> 'submitted' THEN created + accept_h * interval '1 hour' END, \
               CASE WHEN dispatched THEN created + (accept_h + 1) * interval '1 hour' END, \
               CASE WHEN dispatched THEN created + (accept_h + 1 + sign_h) * interval '1 hour' END, \
               CASE WHEN replied THEN created + reply_h * interval '1 hour' END, \
               CASE WHEN status = 'closed' THEN created + (reply_h + 30) * interval '1 hour' \
                 WHEN status IN ('rejected', 'merged') THEN created + accept_h * interval '1 hour' END, \
               CASE WHEN replied THEN '经核实，已协调相关部门办理。' END, \
               CASE WHEN status = 'closed' AND r7 < 0.78 THEN r8 < 0.95 END, \
               CASE WHEN status = 'closed' AND r7 < 0.78 THEN created + (reply_h + 20) * interval '1 hour' END, \
               CASE WHEN status = 'closed' AND r7 < 0.78 THEN 'miniprogram' END, \
               status = 'closed' AND r7 > 0.995, \
               status IN ('in_progress', 'assigned', 'reopened') AND r7 < 0.25, \
               CASE WHEN status IN ('in_progress', 'assigned', 'reopened') AND r7 < 0.25 THEN 'reply' END, \
               CASE WHEN status IN ('in_progress', 'assigned', 'reopened') AND r7 < 0.25 THEN created + interval '7 days' END, \
               CASE WHEN r8 < 0.04 THEN 1 ELSE 0 END, CASE WHEN r6 < 0.03 THEN 1 ELSE 0 END, \
               CASE WHEN r6 < 0.03 THEN 14400 ELSE 0 END, \
               CASE WHEN status <> 'submitted' THEN floor(accept_h * 3600)::bigint END, \
               CASE WHEN dispatched THEN floor(sign_h * 3600)::bigint END, \
               CASE WHEN replied THEN floor((reply_h - accept_h - 1) * 3600)::bigint END, \
               CASE WHEN dispatched THEN sign_h > 4 END, \
               CASE WHEN replied THEN reply_h > 168 END, \
               CASE WHEN status = 'reopened' THEN 1 ELSE 0 END, 'system', 0, created, created \
             FROM ( \
               SELECT g, e, r4, r5, r6, r7, r8, created, kind, environment, channel, status, accept_h, sign_h, reply_h, \
                 status NOT IN ('submitted', 'accepted', 'rejected', 'merged') AS dispatched, \
                 status IN ('replied', 'closed') AS replied \
               FROM ( \
                 SELECT g, e, r4, r5, r6, r7, r8, created, kind, environment, channel, \
                   CASE WHEN created < now() - interval '30 days' THEN {settled} ELSE {recent} END AS status, \
                   0.5 + r5 * 20 AS accept_h, r6 * 6 AS sign_h, 24 + r7 * 180 AS reply_h \
                 FROM ( \
                   SELECT g, e, r4, r5, r6, r7, r8, \
                     now() - (g::float8 / {demands}) * {days} * interval '1 day' - r3 * interval '1 hour' AS created, \
                     {kind} AS kind, {environment} AS environment, {channel} AS channel \
                   FROM (SELECT g, floor(random() * {enterprises})::bigint AS e, random() AS r1, random() AS r2, \
                     random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9 \
                     FROM generate_series(CAST(1 AS BIGINT), {demands}) g) draws \
                 ) shaped \
               ) timed_ \
             ) d"
        ),
    )
    .await;
    txn.commit().await.unwrap();
    let started_tallies = Instant::now();
    let rows = api::service::tallies::refill(db).await.unwrap();
    println!(
        "  tallies: {rows} rows from the demands in {:.1} s",
        started_tallies.elapsed().as_secs_f64()
    );
    db.execute_unprepared("VACUUM ANALYZE").await.unwrap();
    db.execute_unprepared("CHECKPOINT").await.unwrap();
    println!("generated in {:.0} s", started.elapsed().as_secs_f64());
    Written {
        first_unit,
        first_enterprise,
        first_member,
    }
}
