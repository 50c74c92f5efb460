//! Every type the OpenAPI document names has a name of its own. utoipa keys the document's
//! schemas by name, and a second type with a taken name (`NoteRequest` in two route modules)
//! silently replaces the first, so a client is generated against the wrong shape. The names are
//! read from the source: each `ToSchema` derive's type, or the name its `#[schema(as = …)]` gives.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The schema names a file declares, in order.
fn schema_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut derived = false;
    let mut renamed: Option<String> = None;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[derive(") && line.contains("ToSchema") {
            derived = true;
            renamed = None;
        } else if derived && let Some(rest) = line.strip_prefix("#[schema(as = ") {
            renamed = rest.split([')', ',']).next().map(|n| n.trim().to_owned());
        } else if derived
            && let Some(rest) = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
        {
            let own: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.push(renamed.take().unwrap_or(own));
            derived = false;
        }
    }
    names
}

#[test]
fn no_two_schemas_share_a_name() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &files {
        let source = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for name in schema_names(&source) {
            seen.entry(name).or_default().push(f.display().to_string());
        }
    }
    assert!(
        seen.len() > 200,
        "only {} schema names found: is the reading right?",
        seen.len()
    );
    let clashes: Vec<_> = seen.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(clashes.is_empty(), "schema names declared twice: {clashes:#?}");
}

#[test]
fn the_reading_finds_a_clash() {
    let a = "#[derive(Deserialize, ToSchema)]\n#[serde(rename_all = \"camelCase\")]\npub struct NoteRequest {\n}\n";
    let b = "#[derive(Serialize, ToSchema)]\n#[schema(as = NoteRequest)]\npub struct Other {\n}\n";
    assert_eq!(schema_names(a), ["NoteRequest"]);
    assert_eq!(schema_names(b), ["NoteRequest"]);
}
