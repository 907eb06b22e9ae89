//! The modules of the domain and web crates depend on each other one way
//! only, in the orders docs/ARCHITECTURE.md draws (earlier modules never use
//! later ones), so neither crate has an import cycle. Read from each file's
//! `crate::` paths, leaving out its `#[cfg(test)]` items. A new module must
//! be given its place here and in the map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The domain's modules, each after everything it may use.
/// `placeworks-kernel` (the clock, exemptions, problems) sits below them all.
const DOMAIN: &[&str] = &[
    "ids",
    "permissions",
    "accounts",
    "register",
    "queries",
    "confidential",
    "needs",
    "indicators",
    "schedule",
    "dataset",
    "services",
    "edits",
    "governance",
    "popolo",
];

/// The web crate's: the shell (pictures, the read model, the viewer,
/// templates, errors, sign-in) below the pages, the edit path and the API.
/// Items at the crate's root (`AppState`) are the shell every module shares;
/// `lib.rs` wires the modules together.
const WEB: &[&str] = &["svg", "calendar", "maps", "site", "viewer", "templates", "errors", "auth", "pages", "edit", "business", "accounts", "api"];

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

/// The modules of this crate a text names with `crate::`.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // such as `placeworks_kernel::`
        }
        let after = &text[at + "crate::".len()..];
        if let Some(list) = after.strip_prefix('{') {
            let inner = &list[..list.find('}').unwrap_or(list.len())];
            out.extend(inner.split(',').map(|p| p.trim().split("::").next().unwrap_or("").to_owned()).filter(|m| !m.is_empty()));
        } else {
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.insert(name);
        }
    }
    out
}

/// What goes against `order` in the crate whose sources are in `src`.
fn against(src: &Path, order: &[&str]) -> Vec<String> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files(src) {
        let rel = file.strip_prefix(src).unwrap();
        let module = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned();
        if module == "lib" {
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
}
