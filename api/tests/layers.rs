//! The layers of `api` point one way: `routes → service → domain`, `jobs → service`, `render`
//! beside `domain`. This test reads every source file's `crate::` paths and the crates it names,
//! and holds each top-level module to the table below, so the directions cannot erode.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A module's rule: the modules of the crate it may use, and the crates it must not name.
struct Rule {
    module: &'static str,
    may_use: &'static [&'static str],
    must_not_name: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        module: "domain",
        may_use: &["domain"],
        must_not_name: &["sea_orm", "actix_web", "reqwest"],
    },
    Rule {
        module: "render",
        may_use: &["render", "domain"],
        must_not_name: &["sea_orm", "actix_web", "entity"],
    },
    Rule {
        module: "service",
        may_use: &[
            "service", "domain", "render", "error", "types", "settings", "cache", "copies", "search", "clients",
        ],
        must_not_name: &["actix_web", "actix"],
    },
    Rule {
        module: "routes",
        may_use: &[
            "routes",
            "service",
            "domain",
            "render",
            "auth",
            "error",
            "extract",
            "idempotent",
            "answers",
            "audit",
            "types",
            "state",
            "search",
        ],
        must_not_name: &["sea_orm"],
    },
    Rule {
        module: "jobs",
        may_use: &[
            "jobs", "service", "domain", "error", "settings", "state", "types", "answers",
        ],
        must_not_name: &["sea_orm", "entity"],
    },
    Rule {
        module: "auth",
        may_use: &["auth", "domain", "service", "error", "settings", "state", "copies"],
        must_not_name: &[],
    },
    Rule {
        module: "clients",
        may_use: &["clients", "cache", "error", "settings"],
        must_not_name: &["sea_orm", "actix_web"],
    },
    Rule {
        module: "search",
        may_use: &["search", "copies", "domain"],
        must_not_name: &["sea_orm", "actix_web"],
    },
    Rule {
        module: "settings",
        may_use: &["settings", "domain"],
        must_not_name: &["sea_orm", "actix_web"],
    },
    Rule {
        module: "types",
        may_use: &["types", "domain", "error"],
        must_not_name: &["sea_orm"],
    },
];

/// The wiring: these put the layers together and may use any of them.
const WIRING: &[&str] = &[
    "lib",
    "main",
    "startup",
    "idempotent",
    "answers",
    "state",
    "error",
    "extract",
    "audit",
    "breaker",
    "ratelimit",
    "telemetry",
    "cache",
    "copies",
    "method_table",
];

/// The source without comments and without its unit tests (a test may build fixtures with
/// anything).
fn code(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    source
        .lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate's modules a source names: `crate::x::…` and `use crate::{x, y::…}`.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.insert(name);
        }
    }
    out
}

/// Whether a source names the crate `name` (a `use name…` or a `name::` path).
fn names_crate(code: &str, name: &str) -> bool {
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find(name) {
        let start = from + at;
        let end = start + name.len();
        from = end;
        let before_ok = start == 0
            || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_' || bytes[start - 1] == b':');
        let after = &code[end..];
        if before_ok
            && (after.starts_with("::") || (code[..start].trim_end().ends_with("use") && after.starts_with([';', ' '])))
        {
            return true;
        }
    }
    false
}

/// What breaks the rules in one file of `module`.
fn violations(module: &str, file: &str, source: &str) -> Vec<String> {
    let Some(rule) = RULES.iter().find(|r| r.module == module) else {
        return Vec::new();
    };
    let code = code(source);
    let mut out = Vec::new();
    for used in crate_modules(&code) {
        if !rule.may_use.contains(&used.as_str()) {
            out.push(format!("{file}: `{module}` may not use `crate::{used}`"));
        }
    }
    for name in rule.must_not_name {
        if names_crate(&code, name) {
            out.push(format!("{file}: `{module}` may not name `{name}`"));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    let mut unknown = BTreeSet::new();
    for path in files {
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs").to_owned();
        if !RULES.iter().any(|r| r.module == module) && !WIRING.contains(&module.as_str()) {
            unknown.insert(module.clone());
        }
        found.extend(violations(&module, &rel, &std::fs::read_to_string(&path).unwrap()));
    }
    assert!(
        unknown.is_empty(),
        "modules with no place in the layer table: {unknown:?}"
    );
    assert!(found.is_empty(), "layer violations:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_what_the_layers_forbid() {
    let service = "use crate::state::AppState;\nuse crate::domain::x;\n";
    assert_eq!(
        violations("service", "service/x.rs", service),
        ["service/x.rs: `service` may not use `crate::state`"]
    );
    assert_eq!(
        violations("service", "service/x.rs", "use actix_web::HttpResponse;"),
        ["service/x.rs: `service` may not name `actix_web`"]
    );
    assert_eq!(
        violations("routes", "routes/x.rs", "use sea_orm::EntityTrait;"),
        ["routes/x.rs: `routes` may not name `sea_orm`"]
    );
    assert_eq!(
        violations("routes", "routes/x.rs", "fn f() { let _ = sea_orm::Condition::all(); }"),
        ["routes/x.rs: `routes` may not name `sea_orm`"]
    );
    assert_eq!(
        violations("domain", "domain/x.rs", "use crate::{domain::y, service::demands};"),
        ["domain/x.rs: `domain` may not use `crate::service`"]
    );
    assert_eq!(
        violations("jobs", "jobs/x.rs", "use entity::demand;"),
        ["jobs/x.rs: `jobs` may not name `entity`"]
    );
    // Comments, unit tests and names that merely contain a crate's name do not count.
    let fine = "// crate::state is not used\nuse crate::domain::x;\nlet my_sea_orm::x;\n#[cfg(test)]\nmod tests {\n use crate::state::AppState;\n}";
    assert!(violations("service", "service/x.rs", fine).is_empty());
}
