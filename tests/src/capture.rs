//! The SQL behind one request, read from PostgreSQL's statement log, as a `pgbench` script: the
//! load bench measures each endpoint beside `pgbench` running exactly its statements.
//!
//! A second server on the bench's database connects as a role whose sessions log every statement
//! (`ALTER ROLE … SET log_statement = 'all'`), so nothing else is logged. One request to it,
//! then the log's new lines of that role and database are the request's statements. Each
//! parameter the log shows beside a statement stays a parameter: the script names it as a
//! pgbench variable, and `pgbench -M prepared` binds it, as the server does. (Written in as a
//! literal, the statement would be another one to PostgreSQL: a prepared statement without
//! parameters is planned once, where the server's is planned for its values on each execution;
//! a member's list ran 4.5 times faster so.)
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

/// One statement as the server sent it: its text with `$n` placeholders and the values the log
/// showed for them (`None` for NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<(usize, Option<String>)>,
}

/// The statements `ROLE` sent to `database` in `log` (PostgreSQL's default Debian line prefix
/// `%m [%p] %q%u@%d `), each with its parameters.
pub fn statements(log: &str, database: &str) -> Vec<Statement> {
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
    let mut out: Vec<Statement> = Vec::new();
    let text = |sql: &str| Statement {
        sql: sql.trim().to_owned(),
        params: Vec::new(),
    };
    for record in records.iter().filter(|r| r.contains(&who)) {
        let Some((_, message)) = record.split_once(&who) else {
            continue;
        };
        if let Some(sql) = message.strip_prefix("LOG:  statement: ") {
            out.push(text(sql));
        } else if let Some(rest) = message.strip_prefix("LOG:  execute ") {
            if let Some((_, sql)) = rest.split_once(": ") {
                out.push(text(sql));
            }
        } else if let Some(params) = message.strip_prefix("DETAIL:  parameters: ")
            && let Some(last) = out.last_mut()
        {
            last.params = parameters(params);
        }
    }
    out
}

/// `$1 = '5', $2 = NULL, $3 = 'it''s'` as (number, value) pairs, the quotes taken off.
fn parameters(text: &str) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while let Some(after) = rest.strip_prefix('$') {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let Ok(n) = digits.parse::<usize>() else { break };
        let Some(value) = after[digits.len()..].strip_prefix(" = ") else {
            break;
        };
        let (value, tail) = if let Some(tail) = value.strip_prefix("NULL") {
            (None, tail)
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
            let close = i.min(value.len());
            let inner = value[1..close].replace("''", "'");
            (Some(inner), &value[(close + 1).min(value.len())..])
        } else {
            break;
        };
        out.push((n, value));
        rest = tail.trim_start_matches(", ").trim_start_matches(',').trim();
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

/// A pgbench script of `statements` and the values of its variables (for `pgbench -D`): each
/// parameter becomes a variable `s<statement>p<n>` bound by `pgbench -M prepared` (a NULL is
/// written in), except that a parameter or a whole number in the text equal to the value of one
/// of `vars` (name, value, `\set` expression) becomes that variable, and a text parameter (one
/// with a letter) holding such a value as a whole number (a notice's key `demand:5:e9:u2`, a page
/// `…?id=5`) becomes the concatenation of its parts and that variable: each transaction writes
/// its own key, as the server does, rather than all but the first meeting a key already taken.
pub fn script(statements: &[Statement], vars: &[(&str, String, String)]) -> Script {
    let mut text = String::new();
    let mut values = Vec::new();
    for (name, _, expr) in vars {
        text.push_str(&format!("\\set {name} {expr}\n"));
    }
    for (i, statement) in statements.iter().enumerate() {
        let mut sql = statement.sql.clone();
        for (name, value, _) in vars {
            sql = sql.replace(&format!("'{value}'"), &format!(":{name}"));
            sql = replace_number(&sql, value, &format!(":{name}"));
        }
        // The highest numbers first, so `$1` does not eat into `$12`.
        let mut params = statement.params.clone();
        params.sort_by_key(|p| std::cmp::Reverse(p.0));
        for (n, value) in params {
            let by = match value {
                None => "NULL".to_owned(),
                Some(v) => match vars.iter().find(|(_, value, _)| *value == v) {
                    Some((name, _, _)) => format!(":{name}"),
                    None => {
                        let name = format!("s{i}p{n}");
                        match holding(&v, vars) {
                            Some(parts) => concatenation(&name, &parts, &mut values),
                            None => {
                                values.push((name.clone(), v));
                                format!(":{name}")
                            }
                        }
                    }
                },
            };
            sql = sql.replace(&format!("${n}"), &by);
        }
        // One line each: pgbench reads a statement up to its semicolon.
        text.push_str(&shield_colons(&sql).replace('\n', " "));
        text.push_str(";\n");
    }
    Script { text, values }
}

/// A text value's parts around each whole number equal to a variable's value (`Ok` a literal
/// part, `Err` the variable's name); None when it holds none or is not text (no letter: a
/// number, a time).
fn holding<'a>(v: &'a str, vars: &'a [(&str, String, String)]) -> Option<Vec<Result<&'a str, &'a str>>> {
    if !v.chars().any(char::is_alphabetic) {
        return None;
    }
    let mut parts = Vec::new();
    let (mut from, mut i) = (0, 0);
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    while i < v.len() {
        let found = vars.iter().find(|(_, value, _)| {
            !value.is_empty()
                && value.chars().all(|c| c.is_ascii_digit())
                && v[i..].starts_with(value.as_str())
                && !digit(v[..i].chars().next_back())
                && !digit(v[i + value.len()..].chars().next())
        });
        match found {
            Some((name, value, _)) => {
                if from < i {
                    parts.push(Ok(&v[from..i]));
                }
                parts.push(Err(*name));
                i += value.len();
                from = i;
            }
            None => i += v[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if from < v.len() {
        parts.push(Ok(&v[from..]));
    }
    parts.iter().any(Result::is_err).then_some(parts)
}

/// `parts` (see `holding`) as one text expression, each literal part a variable `<name>_<k>`.
fn concatenation(name: &str, parts: &[Result<&str, &str>], values: &mut Vec<(String, String)>) -> String {
    let cast: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(k, part)| match part {
            Ok(text) => {
                values.push((format!("{name}_{k}"), (*text).to_owned()));
                format!("CAST(:{name}_{k} AS TEXT)")
            }
            Err(var) => format!("CAST(:{var} AS TEXT)"),
        })
        .collect();
    format!("({})", cast.join(" || "))
}

/// A pgbench script and the values of its variables.
#[derive(Debug, Clone)]
pub struct Script {
    pub text: String,
    /// (name, value) for `pgbench -D name=value`.
    pub values: Vec<(String, String)>,
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
        let statement = |sql: &str, params: &[(usize, Option<&str>)]| Statement {
            sql: sql.to_owned(),
            params: params.iter().map(|(n, v)| (*n, v.map(str::to_owned))).collect(),
        };
        assert_eq!(
            sql,
            [
                statement(
                    "SELECT * FROM demands\n\tWHERE id = $1 AND title = $12 AND x IS $2",
                    &[(1, Some("5")), (2, None), (12, Some("it's, ok"))]
                ),
                statement("BEGIN", &[]),
                statement(
                    "UPDATE demands SET version = version + 1 WHERE id = $1",
                    &[(1, Some("5"))]
                ),
                statement("COMMIT", &[]),
            ]
        );
        assert!(
            statements(LOG, "other").is_empty(),
            "only the logging role's statements"
        );
        // Parameters stay parameters: pgbench binds its variables.
        let plain = script(&sql, &[]);
        assert_eq!(
            plain.text,
            "SELECT * FROM demands \tWHERE id = :s0p1 AND title = :s0p12 AND x IS NULL;\nBEGIN;\n\
             UPDATE demands SET version = version + 1 WHERE id = :s2p1;\nCOMMIT;\n"
        );
        assert_eq!(
            plain.values,
            [
                ("s0p12".to_owned(), "it's, ok".to_owned()),
                ("s0p1".to_owned(), "5".to_owned()),
                ("s2p1".to_owned(), "5".to_owned()),
            ]
        );
        // A value of a named variable becomes that variable, as a parameter or in the text.
        let moved = script(
            &[sql[0].clone(), statement("UPDATE demands SET x = 1 WHERE id = 5", &[])],
            &[("id", "5".to_owned(), "random(1, 9)".to_owned())],
        );
        assert!(
            moved
                .text
                .starts_with("\\set id random(1, 9)\nSELECT * FROM demands \tWHERE id = :id AND title = :s0p12"),
            "{}",
            moved.text
        );
        assert!(moved.text.contains("UPDATE demands SET x = 1 WHERE id = :id;\n"));
        assert_eq!(moved.values, [("s0p12".to_owned(), "it's, ok".to_owned())]);
        // A text parameter holding the value as a whole number is built around the variable.
        let keyed = script(
            &[statement(
                "INSERT INTO notifications (dedup_key, page, at, n) VALUES ($1, $2, $3, $4)",
                &[
                    (1, Some("demand:5:e9:u")),
                    (2, Some("detail?id=5")),
                    (3, Some("2026-12-07 21:40:12.5+00")),
                    (4, Some("15")),
                ],
            )],
            &[("id", "5".to_owned(), "random(1, 9)".to_owned())],
        );
        assert!(
            keyed.text.ends_with(
                "VALUES ((CAST(:s0p1_0 AS TEXT) || CAST(:id AS TEXT) || CAST(:s0p1_2 AS TEXT)), \
                 (CAST(:s0p2_0 AS TEXT) || CAST(:id AS TEXT)), :s0p3, :s0p4);\n"
            ),
            "{}",
            keyed.text
        );
        assert_eq!(
            keyed.values,
            [
                ("s0p4".to_owned(), "15".to_owned()),
                ("s0p3".to_owned(), "2026-12-07 21:40:12.5+00".to_owned()),
                ("s0p2_0".to_owned(), "detail?id=".to_owned()),
                ("s0p1_0".to_owned(), "demand:".to_owned()),
                ("s0p1_2".to_owned(), ":e9:u".to_owned()),
            ]
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
