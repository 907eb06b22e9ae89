//! The dataset format: a folder of human-editable files that describes one
//! council's register. `docs/DATASET.md` documents it for council officers.
//!
//! ```text
//! council.toml          the council, its sources, attribution and boundary files
//! organisations.csv     slug, name, short_name, kind, sector, parent, ended, note
//! people.csv            slug, name, note                       (optional)
//! posts.csv             slug, title, organisation, body, holder (optional)
//! areas.csv             code, name, kind, parent, valid_from, valid_to, members, note
//! memberships.csv       slug, body, seat, person, start_date, end_date, substitutes (optional)
//! bodies/*.toml         [[body]] tables with their [[body.seat]] lists
//! boundaries/*.geojson  boundaries named in council.toml
//! ```
//!
//! [`read`] checks every reference and reports every problem at once; a
//! dataset with any problem yields no register, so nothing half-valid is loaded.

pub use crate::reader::{DatasetFiles, Problem, Problems, CSV_COLUMNS};

use crate::council::Register;
use crate::decisions::dataset::read_decisions;
use crate::ids::Slug;
use crate::meetings::dataset::read_meetings;
use crate::places::dataset::{read_areas, read_boundaries, read_indicators, read_values, RawBoundaries};
use crate::places::model::AreaKind;
use crate::reader::*;
use crate::register::dataset::{check_reporting_cycles, read_bodies, read_memberships, read_organisations, read_people, read_posts};
use crate::register::model::*;
use crate::services::dataset::read_services;
use crate::services::model::*;
use placeworks_kernel::problems::line_of;
use placeworks_kernel::problems::Collector;
use serde::Deserialize;
use std::collections::HashSet;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCouncilFile {
    slug: S,
    name: String,
    area: Option<S>,
    description: String,
    brand_colour: S,
    giving_prefix: Option<S>,
    org_id: Option<S>,
    #[serde(default)]
    attribution: Vec<String>,
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    boundaries: Vec<RawBoundaries>,
    #[serde(default)]
    baseline: Vec<RawBaseline>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBaseline {
    slug: S,
    area_kind: S,
    text: String,
    source: Option<S>,
    #[serde(default)]
    requires: Vec<RawRequirement>,
    #[serde(default)]
    posts: Vec<S>,
    #[serde(default)]
    bodies: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequirement {
    kind: S,
    #[serde(default)]
    extended: bool,
    at_least: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    key: S,
    title: String,
    date: Option<S>,
}

/// Reads and checks a whole dataset. Either every file is right and the
/// register comes back, or every problem found does.
pub fn read(files: &DatasetFiles) -> Result<Register, Problems> {
    let mut r = Reader { c: Collector::default(), refs: Vec::new(), declared: Vec::new(), unread: Vec::new() };
    // A NUL byte is never text an officer typed: a file saved in the wrong format.
    for path in files.paths() {
        if let Some(at) = files.get(path).and_then(|t| t.find('\0').map(|i| placeworks_kernel::problems::line_of(t, i))) {
            r.c.add(
                path,
                Some(at),
                None,
                "this line holds a NUL byte, which is not text: the file was saved in another format; save it again as plain text (UTF-8)",
            );
        }
    }
    if !r.c.problems.is_empty() {
        return Err(Problems(r.c.problems));
    }
    let council = read_council(files, &mut r);
    let organisations = read_organisations(files, &mut r);
    let people = read_people(files, &mut r);
    let mut areas = read_areas(files, &mut r);
    let (bodies, seats, relations, mut posts, reports_at) = read_bodies(files, &mut r, &organisations);
    read_posts(files, &mut r, &mut posts);
    let memberships = read_memberships(files, &mut r, &seats);
    let indicators = read_indicators(files, &mut r);
    let services = read_services(files, &mut r);
    let meetings = read_meetings(files, &mut r);
    let mut undertakings = crate::decisions::dataset::Undertakings::default();
    let decisions = read_decisions(files, &mut r, &mut undertakings);
    crate::decisions::dataset::check_against_bodies(&bodies, &undertakings, &mut r);
    let values = read_values(files, &mut r);
    let crate::programmes::dataset::Read { programmes, initiatives, measures, money, strategies, plans } =
        crate::programmes::dataset::read_programmes(files, &mut r);
    if let Some((_, boundaries, _)) = &council {
        read_boundaries(files, &mut r, boundaries, &mut areas);
    }

    // Every reference must name something declared.
    let mut known: HashMap<&'static str, BTreeSet<String>> = HashMap::new();
    let mut put = |t: Target, v: String| {
        known.entry(t.noun()).or_default().insert(v);
    };
    organisations.iter().for_each(|o| put(Target::Organisation, o.slug.to_string()));
    bodies.iter().for_each(|b| put(Target::Body, b.slug.to_string()));
    people.iter().for_each(|p| put(Target::Person, p.slug.to_string()));
    posts.iter().for_each(|p| put(Target::Post, p.slug.to_string()));
    areas.iter().for_each(|a| put(Target::Area, a.code.clone()));
    indicators.iter().for_each(|i| put(Target::Indicator, i.slug.to_string()));
    meetings.iter().for_each(|m| put(Target::Meeting, m.slug.to_string()));
    decisions.iter().for_each(|d| put(Target::Decision, d.slug.to_string()));
    if let Some((c, _, _)) = &council {
        c.sources.iter().for_each(|s| put(Target::Source, s.key.to_string()));
    }
    for (t, v) in std::mem::take(&mut r.declared) {
        put(t, v);
    }
    let empty = BTreeSet::new();
    // A file that could not be read (its header, or its syntax) is one
    // problem: the references to its records are not each reported too.
    let unread: BTreeSet<&'static str> = [Target::Organisation, Target::Person, Target::Area, Target::Source, Target::Indicator, Target::Meeting]
        .iter()
        .filter_map(|t| t.file())
        .filter(|f| (*f == "council.toml" && council.is_none()) || r.c.problems.iter().any(|p| p.file == *f && p.line.is_none_or(|l| l <= 1)))
        .collect();
    let mut unchecked: BTreeMap<&'static str, usize> = BTreeMap::new();
    for reference in std::mem::take(&mut r.refs) {
        let set = known.get(reference.to.noun()).unwrap_or(&empty);
        if let Some(f) = reference.to.file().filter(|f| unread.contains(f)) {
            *unchecked.entry(f).or_default() += 1;
            continue;
        }
        if reference.to == Target::Body && !set.contains(&reference.value) && r.unread.iter().any(|f| f.starts_with("bodies/")) {
            *unchecked.entry("bodies/").or_default() += 1;
            continue;
        }
        if !set.contains(&reference.value) {
            let hint = suggestion(&reference.value, set.iter().map(String::as_str));
            r.c.add(
                reference.at.file,
                Some(reference.at.line),
                Some(reference.field),
                format!("unknown {} `{}`{hint}; {}", reference.to.noun(), reference.value, reference.to.declared_in()),
            );
        }
    }
    for (file, n) in unchecked {
        r.c.add(
            file,
            None,
            None,
            format!(
                "{n} {} to this file's records {} not checked: put the problem above right first",
                if n == 1 { "reference" } else { "references" },
                if n == 1 { "was" } else { "were" }
            ),
        );
    }
    check_reporting_cycles(&bodies, &relations, &reports_at, &mut r);

    if !r.c.problems.is_empty() {
        return Err(Problems(r.c.problems));
    }
    let (council, _, baselines) = council.expect("a council without problems was read");
    let register = Register {
        council,
        organisations,
        people,
        posts,
        bodies,
        seats,
        memberships,
        relations,
        areas,
        indicators,
        values,
        services,
        baselines,
        decisions,
        meetings,
        commitments: undertakings.commitments,
        disputes: undertakings.disputes,
        programmes,
        measures,
        initiatives,
        funds: money.funds,
        contributions: money.contributions,
        agreements: money.agreements,
        strategies,
        plans,
    };
    // What the files allow one by one but the register cannot hold together.
    crate::coherence::check(files, &register, &mut r.c);
    if !r.c.problems.is_empty() {
        return Err(Problems(r.c.problems));
    }
    Ok(register)
}

pub(crate) fn read_council(files: &DatasetFiles, r: &mut Reader<'_>) -> Option<(Council, Vec<RawBoundaries>, Vec<Baseline>)> {
    const FILE: &str = "council.toml";
    let Some(text) = files.get(FILE) else {
        r.c.add(FILE, None, None, "council.toml is missing: every dataset folder starts with one (see docs/DATASET.md)");
        return None;
    };
    let raw: RawCouncilFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            toml_problem(FILE, text, &e, &mut r.c);
            r.unread.push(FILE.to_owned());
            return None;
        }
    };
    let at = |s: &S| At { file: FILE, line: line_of(text, s.span().start) };
    let slug = r.slug(at(&raw.slug), "slug", raw.slug.get_ref());
    if let Some(s) = &slug {
        if RESERVED_COUNCIL_SLUGS.contains(&s.as_str()) {
            r.c.add(FILE, Some(at(&raw.slug).line), Some("slug"), format!("`{s}` is reserved for the portal's own pages; choose another slug"));
        }
    }
    let colour = raw.brand_colour.get_ref();
    let colour_ok = colour.len() == 7 && colour.starts_with('#') && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !colour_ok {
        r.c.add(
            FILE,
            Some(at(&raw.brand_colour).line),
            Some("brand_colour"),
            format!("`{colour}` is not a colour: write it as # and six hexadecimal digits, like `#1d4f91`"),
        );
    }
    if let Some(area) = &raw.area {
        r.refer(at(area), "area", Target::Area, area.get_ref());
    }
    let identifier = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if let Some(p) = &raw.giving_prefix {
        let v = p.get_ref();
        if !(v.starts_with("360G-") && v.len() > 5 && identifier(v)) {
            r.c.add(
                FILE,
                Some(at(p).line),
                Some("giving_prefix"),
                format!("`{v}` is not a 360Giving prefix: write the one 360Giving registered for the council, like `360G-bucks` (360G-, then letters, digits and hyphens)"),
            );
        }
    }
    if let Some(o) = &raw.org_id {
        let v = o.get_ref();
        if !(identifier(v) && v.split('-').count() >= 3 && v.split('-').all(|x| !x.is_empty())) {
            r.c.add(
                FILE,
                Some(at(o).line),
                Some("org_id"),
                format!(
                    "`{v}` is not an organisation identifier: write the council's from org-id.guide, like `GB-LAE-BKM` (a list code, then the council's code)"
                ),
            );
        }
    }
    let mut sources = Vec::new();
    let mut seen = HashSet::new();
    for s in &raw.source {
        let a = at(&s.key);
        if let Some(key) = r.slug(a, "key", s.key.get_ref()) {
            if !seen.insert(key.clone()) {
                r.c.add(FILE, Some(a.line), Some("key"), format!("duplicate source key `{key}`"));
            }
            let date = r.date(a, "date", s.date.as_ref().map(|d| d.get_ref().as_str()));
            sources.push(Source { key, title: s.title.clone(), date });
        }
    }
    let mut baselines = Vec::new();
    for b in &raw.baseline {
        let a = at(&b.slug);
        let kind = AreaKind::parse(b.area_kind.get_ref()).map_err(|e| r.c.add(FILE, Some(at(&b.area_kind).line), Some("area_kind"), e)).ok();
        let mut requires = Vec::new();
        for q in &b.requires {
            match ServiceKind::parse(q.kind.get_ref()) {
                Ok(kind) => {
                    if q.extended && kind != ServiceKind::School {
                        r.c.add(
                            FILE,
                            Some(at(&q.kind).line),
                            Some("extended"),
                            "only schools are extended schools: take `extended` off, or make the kind `school`",
                        );
                    }
                    requires.push(Requirement { kind, extended: q.extended, at_least: q.at_least });
                }
                Err(e) => r.c.add(FILE, Some(at(&q.kind).line), Some("kind"), e),
            }
        }
        let mut posts = Vec::new();
        for p in &b.posts {
            let title = p.get_ref().trim();
            if title.is_empty() {
                r.c.add(FILE, Some(at(p).line), Some("posts"), "a post is named by its title, like \"Local Head of Service\": this one is empty");
            } else {
                posts.push(title.to_owned());
            }
        }
        let mut bodies = Vec::new();
        for k in &b.bodies {
            match BodyKind::parse(k.get_ref()) {
                Ok(kind) => bodies.push(kind),
                Err(e) => r.c.add(FILE, Some(at(k).line), Some("bodies"), e),
            }
        }
        if b.requires.is_empty() && b.posts.is_empty() && b.bodies.is_empty() {
            r.c.add(FILE, Some(a.line), Some("requires"), "a baseline asks something of each area: give `requires` (service points), `posts` or `bodies`");
        }
        if let Some(src) = &b.source {
            r.refer(at(src), "source", Target::Source, src.get_ref());
        }
        if let (Some(slug), Some(area_kind)) = (r.slug(a, "slug", b.slug.get_ref()), kind) {
            let source = b.source.as_ref().and_then(|s| Slug::parse(s.get_ref()).ok());
            baselines.push(Baseline { slug, area_kind, requires, posts, bodies, text: b.text.clone(), source });
        }
    }
    let council = Council {
        slug: slug?,
        name: raw.name,
        area: raw.area.map(Spanned::into_inner),
        description: raw.description,
        brand_colour: colour.to_lowercase(),
        attribution: raw.attribution,
        sources,
        giving_prefix: raw.giving_prefix.map(Spanned::into_inner),
        org_id: raw.org_id.map(Spanned::into_inner),
    };
    Some((council, raw.boundaries, baselines))
}

/// Council slugs that would clash with the portal's own top-level paths.
pub const RESERVED_COUNCIL_SLUGS: &[&str] = &["api", "assets", "healthz", "councils", "static", "favicon-ico", "robots-txt"];
