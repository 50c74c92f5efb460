//! The SQL behind one request, read from PostgreSQL's statement log, as a `pgbench` script: the
//! load bench measures each endpoint beside `pgbench` running exactly its statements.
//!
//! A second server on the bench's database connects as a role whose sessions log every statement
//! (`ALTER ROLE … SET log_statement = 'all'`), so nothing else is logged. One request to it,
//! then the log's new lines of that role and database are the request's statements; the
//! parameters the log shows beside each are written into it as literals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The role whose statements PostgreSQL logs.
pub const ROLE: &str = "qinqing_capture";

/// Makes the logging role (a superuser, as the bench's own is) when it is missing.
pub async fn ensure_role(db: &impl sea_orm::ConnectionTrait) {
    db.execute_unprepared(&format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN \
         CREATE ROLE {ROLE} LOGIN SUPERUSER; END IF; END $$"
    ))
    .await
    .unwrap();
    db.execute_unprepared(&format!("ALTER ROLE {ROLE} SET log_statement = 'all'"))
        .await
        .unwrap();
}

/// `url` (of user `postgres`) as the logging role.
pub fn as_role(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a database URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{ROLE}@{host}")
}

/// PostgreSQL's log file: `BENCH_PG_LOG`, else Debian's newest `/var/log/postgresql/*.log`.
pub fn log_file() -> PathBuf {
    if let Ok(path) = std::env::var("BENCH_PG_LOG") {
        return PathBuf::from(path);
    }
    std::fs::read_dir("/var/log/postgresql")
        .expect("PostgreSQL's log directory (or set BENCH_PG_LOG)")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
        .expect("a PostgreSQL log file (or set BENCH_PG_LOG)")
}

/// The log's length now: what a request writes comes after it.
pub fn mark(log: &Path) -> u64 {
    std::fs::metadata(log).map_or(0, |m| m.len())
}

/// The log written since `from`.
pub fn since(log: &Path, from: u64) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(log).unwrap();
    f.seek(SeekFrom::Start(from)).unwrap();
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The statements `ROLE` sent to `database` in `log` (PostgreSQL's default Debian line prefix
/// `%m [%p] %q%u@%d `), each with its parameters written in as literals.
pub fn statements(log: &str, database: &str) -> Vec<String> {
    let who = format!(" {ROLE}@{database} ");
    // A record starts with a timestamp; a statement's further lines follow it.
    let mut records: Vec<String> = Vec::new();
    for line in log.lines() {
        let starts = line.len() > 10 && line.as_bytes()[4] == b'-' && line[..4].chars().all(|c| c.is_ascii_digit());
        match records.last_mut() {
            Some(last) if !starts => {
                last.push('\n');
                last.push_str(line);
            }
            _ => records.push(line.to_owned()),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for record in records.iter().filter(|r| r.contains(&who)) {
        let Some((_, message)) = record.split_once(&who) else {
            continue;
        };
        if let Some(sql) = message.strip_prefix("LOG:  statement: ") {
            out.push(sql.trim().to_owned());
        } else if let Some(rest) = message.strip_prefix("LOG:  execute ") {
            if let Some((_, sql)) = rest.split_once(": ") {
                out.push(sql.trim().to_owned());
            }
        } else if let Some(params) = message.strip_prefix("DETAIL:  parameters: ")
            && let Some(last) = out.last_mut()
        {
            *last = with_parameters(last, &parameters(params));
        }
    }
    out
}

/// `$1 = '5', $2 = NULL, $3 = 'it''s'` as (number, literal) pairs.
fn parameters(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while let Some(after) = rest.strip_prefix('$') {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let Ok(n) = digits.parse::<usize>() else { break };
        let Some(value) = after[digits.len()..].strip_prefix(" = ") else {
            break;
        };
        let (literal, tail) = if let Some(tail) = value.strip_prefix("NULL") {
            ("NULL".to_owned(), tail)
        } else if value.starts_with('\'') {
            // A quoted literal: '' is a quote inside it.
            let bytes = value.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') | None => break,
                    Some(_) => i += 1,
                }
            }
            let end = (i + 1).min(value.len());
            (value[..end].to_owned(), &value[end..])
        } else {
            break;
        };
        out.push((n, literal));
        rest = tail.trim_start_matches(", ").trim_start_matches(',').trim();
    }
    out
}

/// `sql` with each `$n` replaced by its literal (the highest numbers first, so `$1` does not
/// eat into `$12`). A whole number goes in bare: the log does not say a parameter's type, and a
/// quoted number is text where nothing else decides (`SUM(CASE … THEN '1' …)`).
fn with_parameters(sql: &str, params: &[(usize, String)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut out = sql.to_owned();
    for (n, literal) in sorted {
        let inner = literal.trim_matches('\'');
        let number = literal.len() > 2
            && literal.starts_with('\'')
            && inner
                .strip_prefix('-')
                .unwrap_or(inner)
                .chars()
                .all(|c| c.is_ascii_digit())
            && !inner.is_empty();
        out = out.replace(&format!("${n}"), if number { inner } else { &literal });
    }
    out
}

/// `sql` with each whole-number token `value` outside string literals (not part of a longer
/// number or name) replaced.
fn replace_number(sql: &str, value: &str, by: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut i = 0;
    let part =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.' || c == ':');
    while i < sql.len() {
        let rest = &sql[i..];
        if rest.starts_with('\'') {
            quoted = !quoted;
        } else if !quoted
            && rest.starts_with(value)
            && !part(sql[..i].chars().next_back())
            && !part(rest[value.len()..].chars().next())
        {
            out.push_str(by);
            i += value.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// `sql` with every string literal holding a colon that pgbench would read as a variable
/// (`'demand:4:e25260'`: a colon before a letter, `_` or a non-ASCII character; pgbench looks
/// for them inside quotes too) written as an escape string with each colon as `\072`.
fn shield_colons(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = rest.find('\'') {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        // The literal's end: a quote not doubled.
        let body = &from[1..];
        let mut end = 0;
        loop {
            match body[end..].find('\'') {
                Some(q) if body[end + q + 1..].starts_with('\'') => end += q + 2,
                Some(q) => {
                    end += q;
                    break;
                }
                None => {
                    end = body.len();
                    break;
                }
            }
        }
        let content = &body[..end];
        let prefixed = before.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
        let variable_like = content.match_indices(':').any(|(i, _)| {
            content[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        });
        if variable_like && !prefixed {
            out.push_str("E'");
            out.push_str(&content.replace('\\', "\\\\").replace(':', "\\072"));
            out.push('\'');
        } else {
            out.push('\'');
            out.push_str(content);
            if end < body.len() {
                out.push('\'');
            }
        }
        rest = body.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// A pgbench script of `statements`, with each `value` of `vars` (name, literal value,
/// `\set` expression), quoted or a whole number, made a variable.
pub fn script(statements: &[String], vars: &[(&str, String, String)]) -> String {
    let mut out = String::new();
    for (name, _, expr) in vars {
        out.push_str(&format!("\\set {name} {expr}\n"));
    }
    for sql in statements {
        let mut sql = sql.clone();
        for (name, value, _) in vars {
            sql = sql.replace(&format!("'{value}'"), &format!(":{name}"));
            sql = replace_number(&sql, value, &format!(":{name}"));
        }
        // One line each: pgbench reads a statement up to its semicolon.
        out.push_str(&shield_colons(&sql).replace('\n', " "));
        out.push_str(";\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "2026-12-06 06:27:01.100 UTC [77] postgres@other LOG:  execute s1: SELECT 1
2026-12-06 06:27:01.101 UTC [78] qinqing_capture@bench LOG:  execute sqlx_s_3: SELECT * FROM demands
\tWHERE id = $1 AND title = $12 AND x IS $2
2026-12-06 06:27:01.101 UTC [78] qinqing_capture@bench DETAIL:  parameters: $1 = '5', $2 = NULL, $12 = 'it''s, ok'
2026-12-06 06:27:01.102 UTC [78] qinqing_capture@bench LOG:  statement: BEGIN
2026-12-06 06:27:01.103 UTC [78] qinqing_capture@bench LOG:  execute <unnamed>: UPDATE demands SET version = version + 1 WHERE id = $1
2026-12-06 06:27:01.103 UTC [78] qinqing_capture@bench DETAIL:  parameters: $1 = '5'
2026-12-06 06:27:01.104 UTC [78] qinqing_capture@bench LOG:  statement: COMMIT
";

    #[test]
    fn a_requests_statements_are_read_with_their_parameters() {
        let sql = statements(LOG, "bench");
        assert_eq!(
            sql,
            [
                "SELECT * FROM demands\n\tWHERE id = 5 AND title = 'it''s, ok' AND x IS NULL",
                "BEGIN",
                "UPDATE demands SET version = version + 1 WHERE id = 5",
                "COMMIT",
            ]
        );
        let script = script(&sql, &[("id", "5".to_owned(), "random(1, 9)".to_owned())]);
        assert!(script.starts_with("\\set id random(1, 9)\nSELECT * FROM demands \tWHERE id = :id AND"));
        assert!(script.contains("UPDATE demands SET version = version + 1 WHERE id = :id;\n"));
        assert!(
            statements(LOG, "other").is_empty(),
            "only the logging role's statements"
        );
        // Only the whole number is the variable.
        assert_eq!(
            replace_number(
                "a = 5 AND b = 15 AND c = 5.5 AND d = x5 AND e = 'id=5' AND f = (5)",
                "5",
                ":id"
            ),
            "a = :id AND b = 15 AND c = 5.5 AND d = x5 AND e = 'id=5' AND f = (:id)"
        );
    }

    #[test]
    fn a_colon_pgbench_would_read_as_a_variable_is_escaped_in_literals() {
        assert_eq!(
            shield_colons(
                "INSERT INTO n VALUES (:id, 'demand:4:e25260:u1', '2026-12-06 10:31:15+00', 'it''s:x', 'a\\b:_c')"
            ),
            "INSERT INTO n VALUES (:id, E'demand\\0724\\072e25260\\072u1', '2026-12-06 10:31:15+00', E'it''s\\072x', E'a\\\\b\\072_c')"
        );
        assert_eq!(shield_colons("SELECT 'a:中'"), "SELECT E'a\\072中'");
        assert_eq!(shield_colons("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn the_role_replaces_the_user_of_the_url() {
        assert_eq!(
            as_role("postgres://postgres@127.0.0.1:5432/qinqing_bench_1"),
            "postgres://qinqing_capture@127.0.0.1:5432/qinqing_bench_1"
        );
    }
}
