//! `docs/configuration.md` stays true: every setting of `api/src/settings.rs` has its row, with
//! the built-in default, and every `QINQING_*` variable the page names exists. The settings are
//! read from the source (the structs and their fields), the defaults from `default_values()`.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// One setting: its variable, its path in the defaults, whether it is a secret.
#[derive(Debug)]
struct Setting {
    var: String,
    path: Vec<String>,
    secret: bool,
}

/// The fields of every `pub struct` in the source: name → [(field, type)].
fn structs(source: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Vec<(String, String)>)> = None;
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("pub struct ") {
            if let Some(name) = rest.strip_suffix(" {") {
                current = Some((name.to_owned(), Vec::new()));
            }
            continue;
        }
        if line == "}" {
            if let Some((name, fields)) = current.take() {
                out.insert(name, fields);
            }
            continue;
        }
        if let Some((_, fields)) = current.as_mut()
            && let Some(field) = line.trim().strip_prefix("pub ")
            && let Some((name, ty)) = field.trim_end_matches(',').split_once(": ")
        {
            fields.push((name.to_owned(), ty.to_owned()));
        }
    }
    out
}

fn settings(source: &str) -> Vec<Setting> {
    fn walk(all: &BTreeMap<String, Vec<(String, String)>>, name: &str, path: &[String], out: &mut Vec<Setting>) {
        for (field, ty) in &all[name] {
            let ty = ty
                .strip_prefix("Option<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(ty);
            let mut here = path.to_vec();
            here.push(field.clone());
            if all.contains_key(ty) {
                walk(all, ty, &here, out);
            } else if let Some(map) = ty.split_once("HashMap<String, ") {
                here.push("<ENV>".to_owned());
                walk(all, map.1.trim_end_matches('>'), &here, out);
            } else {
                let var = format!(
                    "QINQING_{}",
                    here.iter().map(|p| p.to_uppercase()).collect::<Vec<_>>().join("__")
                );
                out.push(Setting {
                    var,
                    path: here,
                    secret: ty == "SecretString",
                });
            }
        }
    }
    let all = structs(source);
    let mut out = Vec::new();
    walk(&all, "Settings", &[], &mut out);
    out
}

/// A default as the page writes it.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "(empty)".to_owned(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The page's rows: variable → default column (without backticks).
fn rows(page: &str) -> BTreeMap<String, String> {
    page.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let var = cells.first()?.strip_prefix("| `")?.strip_suffix('`')?;
            Some((var.to_owned(), cells.get(1)?.trim_matches('`').to_owned()))
        })
        .collect()
}

#[test]
fn the_configuration_page_lists_every_setting_with_its_default() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("src/settings.rs")).unwrap();
    let page = std::fs::read_to_string(root.join("../docs/configuration.md")).unwrap();
    let known = settings(&source);
    assert!(known.len() > 70, "the settings were read: {}", known.len());
    let rows = rows(&page);
    let defaults = api::settings::default_values();
    let mut problems = Vec::new();
    for s in &known {
        let Some(column) = rows.get(&s.var) else {
            problems.push(format!("{} has no row", s.var));
            continue;
        };
        if s.secret {
            continue;
        }
        let default = s.path.iter().try_fold(&defaults, |v, p| v.get(p));
        let expected = default.map_or_else(|| "unset".to_owned(), shown);
        if *column != expected {
            problems.push(format!(
                "{}: the page says `{column}`, the default is `{expected}`",
                s.var
            ));
        }
    }
    let vars: BTreeSet<&str> = known.iter().map(|s| s.var.as_str()).collect();
    // Named on the page but no setting: the variable that names the TOML file.
    let extra = ["QINQING_CONFIG"];
    for word in page.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '<' || c == '>')) {
        if word.len() > "QINQING_".len()
            && word.starts_with("QINQING_")
            && !vars.contains(word)
            && !extra.contains(&word)
        {
            problems.push(format!("{word} is on the page but is no setting"));
        }
    }
    assert!(problems.is_empty(), "docs/configuration.md:\n{}", problems.join("\n"));
}

#[test]
fn the_reading_of_the_source_finds_nested_optional_and_mapped_settings() {
    let source = "pub struct Settings {\n    pub env: Environment,\n    pub a: Option<ASettings>,\n    pub m: std::collections::HashMap<String, Over>,\n}\n\npub struct ASettings {\n    pub key: SecretString,\n}\n\npub struct Over {\n    pub days: Option<u32>,\n}\n";
    let found: Vec<(String, bool)> = settings(source).into_iter().map(|s| (s.var, s.secret)).collect();
    assert_eq!(
        found,
        [
            ("QINQING_ENV".to_owned(), false),
            ("QINQING_A__KEY".to_owned(), true),
            ("QINQING_M__<ENV>__DAYS".to_owned(), false)
        ]
    );
    let page = "| `QINQING_ENV` | `development` | x |\n| `QINQING_A__KEY` | unset | y |";
    assert_eq!(rows(page)["QINQING_ENV"], "development");
    assert_eq!(shown(&serde_json::json!([])), "(empty)");
}
