//! Checks across a dataset's files, made once every file reads cleanly and
//! every reference resolves: what each file allows on its own but the
//! register as a whole cannot hold (a circle of parents, a decision filed
//! under another body's meeting, two people in one seat at once). Each
//! problem names the file and line of the record to put right.

use crate::council::Register;
use crate::ids::PartialDate;
use crate::places::model::AreaKind;
use crate::reader::DatasetFiles;
use crate::register::model::{ChairKind, RelationKind};
use placeworks_kernel::problems::Collector;
use std::collections::{HashMap, HashSet};

/// The file and line that declare a record: the first line of `files`
/// (one file, or every file under a folder) holding `needle`.
fn place(files: &DatasetFiles, under: &str, needle: &str) -> (String, Option<usize>) {
    let mut paths: Vec<&str> = files.paths().filter(|n| *n == under || (under.ends_with('/') && n.starts_with(under))).collect();
    paths.sort();
    for name in paths {
        if let Some(i) = files.get(name).unwrap_or_default().lines().position(|l| l.contains(needle)) {
            return (name.to_owned(), Some(i + 1));
        }
    }
    (under.trim_end_matches('/').to_owned(), None)
}

/// Where a TOML record with this slug is declared under a folder.
fn toml_record(files: &DatasetFiles, under: &str, slug: &str) -> (String, Option<usize>) {
    place(files, under, &format!("slug = \"{slug}\""))
}

/// Where a CSV row starting with this key is.
fn csv_row(files: &DatasetFiles, file: &str, key: &str) -> (String, Option<usize>) {
    let (name, line) = place(files, file, &format!("{key},"));
    (name, line.filter(|l| *l > 1))
}

/// The GSS prefixes an official area of each kind may have (England, Wales,
/// Scotland and Northern Ireland), from the ONS Register of Geographic Codes.
fn gss_prefixes(kind: AreaKind) -> &'static [&'static str] {
    match kind {
        AreaKind::Country => &["E92", "W92", "S92", "N92", "K02", "K03", "K04"],
        AreaKind::Region => &["E12"],
        AreaKind::County => &["E10"],
        AreaKind::UnitaryAuthority => &["E06", "W06", "S12", "N09"],
        AreaKind::District => &["E07", "E08", "E09"],
        AreaKind::Ward => &["E05", "W05", "S13", "N08"],
        AreaKind::ElectoralDivision => &["E58", "W06"],
        AreaKind::Parish => &["E04", "W04"],
        AreaKind::Lsoa => &["E01", "W01"],
        AreaKind::LocalCommunityArea | AreaKind::NamedSet => &[],
    }
}

/// Whether two periods (either end open) share a day.
fn overlap(a: (Option<&PartialDate>, Option<&PartialDate>), b: (Option<&PartialDate>, Option<&PartialDate>)) -> bool {
    // Each starts before the other ends.
    let starts_before_end = |start: Option<&PartialDate>, end: Option<&PartialDate>| match (start, end) {
        (Some(s), Some(e)) => s.as_str()[..s.as_str().len().min(e.as_str().len())] <= e.as_str()[..s.as_str().len().min(e.as_str().len())],
        _ => true,
    };
    starts_before_end(a.0, b.1) && starts_before_end(b.0, a.1)
}

/// Whether `end` comes before `start` (at the precision both give).
fn ends_before_it_starts(start: Option<&PartialDate>, end: Option<&PartialDate>) -> bool {
    match (start, end) {
        (Some(s), Some(e)) => {
            let n = s.as_str().len().min(e.as_str().len());
            e.as_str()[..n] < s.as_str()[..n]
        }
        _ => false,
    }
}

/// Each circle in a map from a thing to its parent, once: the thing whose
/// parent closes it, and the circle spelt out ("a → b → a").
fn circles<'a>(all: impl Iterator<Item = &'a str>, parent: &HashMap<&'a str, &'a str>) -> Vec<(&'a str, String)> {
    let mut seen: HashSet<Vec<&str>> = HashSet::new();
    let mut out = Vec::new();
    for start in all {
        let mut path = vec![start];
        let mut cur = start;
        while let Some(&next) = parent.get(cur) {
            if let Some(pos) = path.iter().position(|p| *p == next) {
                let mut key: Vec<&str> = path[pos..].to_vec();
                key.sort();
                if seen.insert(key) {
                    out.push((cur, path[pos..].iter().copied().chain(std::iter::once(next)).collect::<Vec<_>>().join(" → ")));
                }
                break;
            }
            path.push(next);
            cur = next;
        }
    }
    out
}

/// Every cross-file problem of a register read from `files`.
pub(crate) fn check(files: &DatasetFiles, reg: &Register, c: &mut Collector) {
    let mut add = |(file, line): (String, Option<usize>), field: &str, message: String| c.add(&file, line, Some(field), message);

    // Areas: a circle of parents, dates the wrong way round, a code that does not fit the kind.
    let parent: HashMap<&str, &str> = reg.areas.iter().filter_map(|a| a.parent.as_deref().map(|p| (a.code.as_str(), p))).collect();
    for (at, text) in circles(reg.areas.iter().map(|a| a.code.as_str()), &parent) {
        add(csv_row(files, "areas.csv", at), "parent", format!("areas' parents go round in a circle: {text}; an area cannot lie within itself"));
    }
    for a in &reg.areas {
        if ends_before_it_starts(a.valid_from.as_ref(), a.valid_to.as_ref()) {
            add(
                csv_row(files, "areas.csv", &a.code),
                "valid_to",
                format!(
                    "`{}` ends ({}) before it begins ({})",
                    a.code,
                    a.valid_to.as_ref().map(|d| d.display()).unwrap_or_default(),
                    a.valid_from.as_ref().map(|d| d.display()).unwrap_or_default()
                ),
            );
        }
        let prefixes = gss_prefixes(a.kind);
        if !prefixes.is_empty() && !prefixes.iter().any(|p| a.code.starts_with(p)) {
            add(
                csv_row(files, "areas.csv", &a.code),
                "code",
                format!(
                    "`{}` is not the code of a {kind}: a {kind}'s GSS code starts with {}",
                    a.code,
                    prefixes.join(" or "),
                    kind = a.kind.label().to_lowercase()
                ),
            );
        }
    }

    // Bodies: a circle through "part of", a rotating chair with nobody to rotate, a rule with no first meeting, an end before the start.
    let mut up: HashMap<&str, &str> = HashMap::new();
    for r in reg.relations.iter().filter(|r| r.kind == RelationKind::PartOf) {
        up.entry(r.from.as_str()).or_insert(r.to.as_str());
    }
    for (at, text) in circles(reg.bodies.iter().map(|b| b.slug.as_str()), &up) {
        add(toml_record(files, "bodies/", at), "part_of", format!("bodies are part of each other in a circle: {text}; a body cannot be part of itself"));
    }
    for b in &reg.bodies {
        let at = || toml_record(files, "bodies/", b.slug.as_str());
        if b.chair.as_ref().is_some_and(|ch| ch.kind == ChairKind::Rotating && ch.rotation.is_empty()) {
            add(at(), "chair.rotation", format!("`{}` has a rotating chair but no `rotation`: list the seats whose holders take turns, in order", b.slug));
        }
        if b.cadence.as_ref().is_some_and(|cad| cad.rule.is_some() && cad.first.is_none()) {
            add(
                at(),
                "cadence.first",
                format!("`{}` has a meeting rule but no `first` meeting to count from: add one, like first = \"2027-01-14T10:00\"", b.slug),
            );
        }
        if ends_before_it_starts(b.established.as_ref(), b.ended.as_ref()) {
            add(
                at(),
                "ended",
                format!(
                    "`{}` ends ({}) before it was established ({})",
                    b.slug,
                    b.ended.as_ref().map(|d| d.display()).unwrap_or_default(),
                    b.established.as_ref().map(|d| d.display()).unwrap_or_default()
                ),
            );
        }
    }

    // Posts: a councillor's post represents a ward or an electoral division
    // (another post may be for any area: a local community area's Local
    // Head of Service).
    for p in reg.posts.iter().filter(|p| p.is_councillor()) {
        let Some(code) = &p.area else { continue };
        if let Some(a) = reg.areas.iter().find(|a| &a.code == code) {
            if !matches!(a.kind, AreaKind::Ward | AreaKind::ElectoralDivision) {
                add(
                    csv_row(files, "posts.csv", p.slug.as_str()),
                    "area",
                    format!("`{code}` ({}) is a {}: a post's area is the ward or electoral division it represents", a.name, a.kind.label().to_lowercase()),
                );
            }
        }
    }

    // Memberships: two people in one seat at once (an end before the start is
    // found as memberships.csv is read).
    for (i, a) in reg.memberships.iter().enumerate() {
        for b in &reg.memberships[i + 1..] {
            if a.body == b.body
                && a.seat == b.seat
                && a.person.is_some()
                && b.person.is_some()
                && a.person != b.person
                && overlap((a.start.as_ref(), a.end.as_ref()), (b.start.as_ref(), b.end.as_ref()))
            {
                add(
                    csv_row(files, "memberships.csv", b.slug.as_str()),
                    "start_date",
                    format!(
                        "`{}` and `{}` both hold the seat `{}` at the same time: one seat has one holder at a time; give the earlier membership an end_date",
                        a.slug, b.slug, a.seat
                    ),
                );
            }
        }
    }

    // Meetings: a group the body does not have.
    for m in &reg.meetings {
        if let (Some(g), Some(b)) = (&m.group, reg.bodies.iter().find(|b| b.slug == m.body)) {
            if !b.groups.iter().any(|x| &x.slug == g) {
                let known: Vec<&str> = b.groups.iter().map(|x| x.slug.as_str()).collect();
                let have = if known.is_empty() { format!("`{}` has no groups", b.slug) } else { format!("its groups are {}", known.join(", ")) };
                add(csv_row(files, "meetings.csv", m.slug.as_str()), "group", format!("`{g}` is not a group of `{}`: {have}", b.slug));
            }
        }
    }

    // Decisions: under another body's meeting, dated apart from it, resolutions numbered twice.
    for d in &reg.decisions {
        let at = || toml_record(files, "decisions/", d.slug.as_str());
        if let Some(m) = d.meeting.as_ref().and_then(|s| reg.meetings.iter().find(|m| &m.slug == s)) {
            if m.body != d.body {
                add(
                    at(),
                    "meeting",
                    format!(
                        "decision `{}` of `{}` is filed under `{}`, a meeting of `{}`: file it under a meeting of its own body",
                        d.slug, d.body, m.slug, m.body
                    ),
                );
            } else {
                let (x, y) = (d.date.as_str(), m.date.as_str());
                let n = x.len().min(y.len());
                if x[..n] != y[..n] {
                    add(at(), "date", format!("decision `{}` is dated {} but its meeting `{}` was on {}", d.slug, d.date.display(), m.slug, m.date.display()));
                }
            }
        }
        let mut numbers = HashSet::new();
        for r in &d.resolutions {
            if let Some(n) = &r.number {
                if !numbers.insert(n.as_str()) {
                    add(at(), "resolution.number", format!("decision `{}` has two resolutions numbered ({n}): number each once", d.slug));
                }
            }
        }
    }
}
