//! The domain and web crates depend on themselves one way only, in the
//! orders docs/ARCHITECTURE.md draws: a unit never uses one after it, so
//! neither crate has an import cycle, between capability folders or any
//! other modules. A unit is a top-level module (a file, or a folder with
//! everything in it) or, in the domain, a capability's `model` room, which
//! sits below every capability's other rooms. Read from each file's
//! `crate::` paths, leaving out its `#[cfg(test)]` items. A new module or
//! capability must be given its place here and in the map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The domain's units, each after everything it may use.
/// `placeworks-kernel` (the clock, exemptions, problems) sits below them all.
const DOMAIN: &[&str] = &[
    // Below every capability: no capability's records.
    "ids",
    "permissions",
    "accounts",
    "forms",
    "recurrence",
    "reader",
    // The records, capability by capability.
    "places::model",
    "register::model",
    "meetings::model",
    "decisions::model",
    "services::model",
    "programmes::model",
    // Every capability's records as one value, and the change commands plan.
    "council",
    "change",
    // The capabilities, with their other rooms.
    "places",
    "register",
    "meetings",
    "decisions",
    "services",
    "programmes",
    // Above them all: what reads every capability.
    "governance",
    "open_data",
    "visibility",
    "coherence",
    "dataset",
];

/// The web crate's: the shell (pictures, the read model, the viewer,
/// templates, errors, sign-in, rendering, feeds, the write path) below the
/// capabilities, and the registries that put them together (`api`, `routes`)
/// above. Items at the crate's root (`AppState`) are the shell every module
/// shares; `lib.rs` wires the modules together. The register's pages come
/// after meetings and decisions here: a council's home page and a body's page
/// show their meetings and decisions.
const WEB: &[&str] = &[
    "shell::svg",
    "shell::calendar",
    "shell::maps",
    "shell::pdf",
    "shell::site",
    "shell::viewer",
    "shell::templates",
    "shell::errors",
    "shell::auth",
    "shell::guard",
    "shell::render",
    "shell::feeds",
    "shell::api",
    "shell::commit",
    "shell::write",
    "shell::accounts",
    "places",
    "meetings",
    "decisions",
    "register",
    "services",
    "programmes",
    "governance",
    "api",
    "routes",
];

/// The unit a module path (its segments below `crate::`) belongs to.
fn unit(segments: &[&str]) -> String {
    match segments {
        [cap, "model", ..] => format!("{cap}::model"),
        ["shell", module, ..] => format!("shell::{module}"),
        [first, ..] => (*first).to_owned(),
        [] => String::new(),
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The text without its `#[cfg(test)]` items (a test module, or one item).
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Skip to the end of the item: its closing brace at depth 0, or its `;`.
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The paths (below `crate::`) of a `use` list or path, such as
/// `{ids::Slug, register::{model::Body, queries}}`.
fn paths(text: &str, prefix: &str, out: &mut Vec<String>) {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner);
        let (mut depth, mut from) = (0usize, 0usize);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    paths(&inner[from..i], prefix, out);
                    from = i + 1;
                }
                _ => {}
            }
        }
        paths(&inner[from..], prefix, out);
    } else if let Some((head, rest)) = text.split_once("::") {
        paths(rest, &format!("{prefix}{head}::"), out);
    } else if !text.is_empty() {
        out.push(format!("{prefix}{text}"));
    }
}

/// The units of this crate a text names with `crate::`.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // such as `placeworks_kernel::`
        }
        let after = &text[at + "crate::".len()..];
        // The path runs to the end of its brace list, or of its name.
        let (mut depth, mut end) = (0usize, after.len());
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = i;
                    break;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':' || c == '*') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        paths(&after[..end], "", &mut found);
        for p in found {
            let segments: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            // A path that names no module (`crate::Register`) is the crate's root.
            if segments.len() > 1 || segments.first().is_some_and(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase())) {
                out.insert(unit(&segments));
            }
        }
    }
    out
}

/// What goes against `order` in the crate whose sources are in `src`.
fn against(src: &Path, order: &[&str]) -> Vec<String> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files(src) {
        let rel = file.strip_prefix(src).unwrap();
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned()).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let module = if parts.len() > 1 { unit(&parts) } else { parts[0].to_owned() };
        // `lib.rs`, and the `mod.rs` of a folder whose files are units of their own, only wire modules together.
        if module == "lib" || module.ends_with("::mod") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let used = uses(&without_tests(&text));
        let is_module = |m: &String| m.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        edges.entry(module.clone()).or_default().extend(used.into_iter().filter(|m| *m != module && is_module(m)));
    }
    let rank = |m: &str| order.iter().position(|o| *o == m);
    let mut wrong = Vec::new();
    for (module, used) in &edges {
        let Some(r) = rank(module) else {
            wrong.push(format!("the module `{module}` has no place in the order: add it here and to docs/ARCHITECTURE.md"));
            continue;
        };
        for u in used {
            match rank(u) {
                Some(ru) if ru < r => {}
                Some(_) => wrong.push(format!("`{module}` uses `{u}`, which comes after it: against the documented direction")),
                None => wrong.push(format!("`{module}` uses `{u}`, which has no place in the order")),
            }
        }
    }
    for m in order {
        if !edges.contains_key(*m) {
            wrong.push(format!("the order names `{m}`, which is not a module"));
        }
    }
    wrong
}

#[test]
fn domain_and_web_modules_depend_one_way_in_the_documented_order() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut wrong: Vec<String> = against(&here.join("../domain/src"), DOMAIN).into_iter().map(|w| format!("domain: {w}")).collect();
    wrong.extend(against(&here.join("src"), WEB).into_iter().map(|w| format!("web: {w}")));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_use_against_the_order_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("low.rs"), "use crate::high::X;\n").unwrap();
    std::fs::write(dir.path().join("high.rs"), "use crate::low;\n").unwrap();
    assert_eq!(against(dir.path(), &["low", "high"]), ["`low` uses `high`, which comes after it: against the documented direction"]);
}

#[test]
fn the_reader_of_uses_sees_lists_paths_and_skips_test_modules() {
    let text = "use crate::register::*;\nuse crate::{ids::Slug, queries};\nfn f() { crate::schedule::x(); placeworks_kernel::clock(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::governance;\n    fn g() { if true { } }\n}\nuse crate::needs;\n";
    let got: Vec<String> = uses(&without_tests(text)).into_iter().collect();
    assert_eq!(got, ["ids", "needs", "queries", "register", "schedule"]);
    let nested = "use crate::{register::{model::Body, queries::Index}, ids};\nuse crate::meetings::model::*;\n";
    let got: Vec<String> = uses(nested).into_iter().collect();
    assert_eq!(got, ["ids", "meetings::model", "register", "register::model"]);
}

#[test]
fn a_capability_that_uses_a_later_one_or_a_model_that_uses_the_rooms_is_found() {
    let dir = tempfile::tempdir().unwrap();
    for cap in ["register", "meetings"] {
        std::fs::create_dir(dir.path().join(cap)).unwrap();
    }
    std::fs::write(dir.path().join("register/model.rs"), "use crate::register::queries::Index;\n").unwrap();
    std::fs::write(dir.path().join("register/queries.rs"), "use crate::register::model::Body;\n").unwrap();
    std::fs::write(dir.path().join("register/commands.rs"), "use crate::meetings::{model::Meeting, schedule};\n").unwrap();
    std::fs::write(dir.path().join("meetings/model.rs"), "use crate::register::model::Body;\n").unwrap();
    std::fs::write(dir.path().join("meetings/schedule.rs"), "use crate::register::queries::Index;\n").unwrap();
    let order = ["register::model", "meetings::model", "register", "meetings"];
    assert_eq!(
        against(dir.path(), &order),
        [
            "`register` uses `meetings`, which comes after it: against the documented direction",
            "`register::model` uses `register`, which comes after it: against the documented direction",
        ]
    );
}
