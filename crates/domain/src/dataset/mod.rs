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

mod table;

pub use placeworks_kernel::problems::{Problem, Problems};

use crate::ids::{slugify, GssCode, PartialDate, Slug};
use crate::register::*;
pub(crate) use placeworks_kernel::problems::suggestion;
use placeworks_kernel::problems::{line_of, Collector};
use placeworks_kernel::Exemption;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use table::Table;
use toml::Spanned;

/// A dataset's files, by path relative to the dataset folder (with `/`).
#[derive(Debug, Clone, Default)]
pub struct DatasetFiles {
    files: BTreeMap<String, String>,
}

impl DatasetFiles {
    /// Reads every file under a folder.
    pub fn from_dir(root: &Path) -> std::io::Result<DatasetFiles> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> std::io::Result<()> {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    walk(root, &path, out)?;
                } else {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                    let bytes = std::fs::read(&path)?;
                    let text = String::from_utf8(bytes)
                        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{rel} is not UTF-8 text; save it as UTF-8")))?;
                    out.insert(rel, text);
                }
            }
            Ok(())
        }
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a folder; give the folder that holds council.toml", root.display()),
            ));
        }
        let mut files = BTreeMap::new();
        walk(root, root, &mut files)?;
        Ok(DatasetFiles { files })
    }

    /// Builds a dataset from (path, text) pairs: embedded data and tests.
    pub fn from_pairs<P: Into<String>, T: Into<String>>(pairs: impl IntoIterator<Item = (P, T)>) -> DatasetFiles {
        DatasetFiles { files: pairs.into_iter().map(|(p, t)| (p.into(), t.into())).collect() }
    }

    /// The text of one file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Replaces or adds one file (used by tests to break a dataset on purpose).
    pub fn set(&mut self, path: &str, text: impl Into<String>) {
        self.files.insert(path.to_owned(), text.into());
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

// ---- the TOML files as written -------------------------------------------------

type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCouncilFile {
    slug: S,
    name: String,
    area: Option<S>,
    description: String,
    brand_colour: S,
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
struct RawDecisionsFile {
    decision: Vec<RawDecision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    slug: S,
    body: S,
    date: S,
    title: String,
    key_decision: Option<bool>,
    call_in: Option<String>,
    #[serde(default)]
    summary: Vec<String>,
    #[serde(default)]
    minutes: Vec<String>,
    #[serde(default)]
    resolution: Vec<RawResolution>,
    reached: Option<S>,
    votes: Option<RawVotes>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    documents: Vec<String>,
    issue: Option<S>,
    meeting: Option<S>,
    #[serde(default)]
    sources: Vec<S>,
    exempt: Option<Spanned<i64>>,
    /// The day notice of it was first given.
    notified: Option<S>,
    #[serde(default)]
    beyond_delegation: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResolution {
    number: Option<String>,
    text: S,
    verb: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVotes {
    r#for: u32,
    against: u32,
    abstaining: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    slug: S,
    area_kind: S,
    text: String,
    source: Option<S>,
    requires: Vec<RawRequirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    kind: S,
    #[serde(default)]
    extended: bool,
    at_least: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    key: S,
    title: String,
    date: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoundaries {
    file: S,
    code_property: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBodiesFile {
    body: Vec<RawBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    slug: S,
    name: String,
    short_name: Option<String>,
    kind: S,
    #[serde(default)]
    statutory: bool,
    purpose: Option<String>,
    #[serde(default)]
    terms_of_reference: Vec<String>,
    #[serde(default)]
    operation: Vec<String>,
    cadence: Option<RawCadence>,
    chair: Option<RawChair>,
    decisions: Option<RawDecisions>,
    agenda_notice_days: Option<u32>,
    #[serde(default)]
    publication: Vec<String>,
    secretariat: Option<S>,
    accountable_body: Option<S>,
    #[serde(default)]
    groups: Vec<RawGroup>,
    established: Option<S>,
    ended: Option<S>,
    review_due: Option<S>,
    review: Option<String>,
    #[serde(default)]
    membership_notes: Vec<String>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    sources: Vec<S>,
    note: Option<String>,
    /// The Schedule 12A paragraph when the body's record is confidential.
    exempt: Option<Spanned<i64>>,
    reports_to: Option<S>,
    #[serde(default)]
    links_with: Vec<S>,
    #[serde(default)]
    manages_agenda_of: Vec<S>,
    #[serde(default)]
    holds_to_account: Vec<S>,
    #[serde(default)]
    part_of: Vec<S>,
    #[serde(default)]
    seat: Vec<RawSeat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCadence {
    text: String,
    rule: Option<S>,
    first: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChair {
    kind: S,
    text: Option<String>,
    post: Option<S>,
    rotation_meetings: Option<u32>,
    #[serde(default)]
    chair_hosts: bool,
    #[serde(default)]
    rotation: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecisions {
    #[serde(default)]
    consensus: bool,
    voting: Option<bool>,
    quorum: Option<u32>,
    notice_days: Option<u32>,
    #[serde(default)]
    ratification_by_constituents: bool,
    #[serde(default)]
    text: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    slug: S,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeat {
    text: S,
    label: Option<String>,
    slug: Option<S>,
    slug_prefix: Option<String>,
    role: Option<S>,
    organisation: Option<S>,
    #[serde(default)]
    organisations: Vec<S>,
    body: Option<S>,
    #[serde(default)]
    bodies: Vec<S>,
    post: Option<S>,
    #[serde(default)]
    groups: Vec<S>,
    note: Option<String>,
    exempt: Option<Spanned<i64>>,
}

// ---- reading ---------------------------------------------------------------------

/// Where in a file a value came from.
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'a str,
    line: usize,
}

/// A reference to check once everything is declared.
struct Reference<'a> {
    at: At<'a>,
    field: &'static str,
    to: Target,
    value: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Organisation,
    Body,
    Person,
    Post,
    Area,
    Source,
    Indicator,
    Meeting,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Target::Organisation => "organisation",
            Target::Body => "body",
            Target::Person => "person",
            Target::Post => "post",
            Target::Area => "area",
            Target::Source => "source",
            Target::Indicator => "indicator",
            Target::Meeting => "meeting",
        }
    }
    fn declared_in(self) -> &'static str {
        match self {
            Target::Organisation => "organisations are declared in organisations.csv",
            Target::Body => "bodies are declared in bodies/*.toml",
            Target::Person => "people are declared in people.csv",
            Target::Post => "posts come from seats with a `post` title, or posts.csv",
            Target::Area => "areas are declared in areas.csv",
            Target::Source => "sources are declared as [[source]] in council.toml",
            Target::Indicator => "indicators are declared in indicators.csv",
            Target::Meeting => "meetings are declared in meetings.csv",
        }
    }
}

struct Reader<'a> {
    c: Collector,
    refs: Vec<Reference<'a>>,
    /// Names declared by records that have problems of their own: references
    /// to them are not reported again, so one mistake gives one message.
    declared: Vec<(Target, String)>,
}

impl<'a> Reader<'a> {
    fn refer(&mut self, at: At<'a>, field: &'static str, to: Target, value: &str) {
        self.refs.push(Reference { at, field, to, value: value.to_owned() });
    }

    fn slug(&mut self, at: At<'a>, field: &str, value: &str) -> Option<Slug> {
        Slug::parse(value).map_err(|e| self.c.add(at.file, Some(at.line), Some(field), e)).ok()
    }

    fn exempt(&mut self, at: At<'a>, field: &str, value: Option<&str>) -> Option<Exemption> {
        let v = value?;
        Exemption::parse(v).map_err(|e| self.c.add(at.file, Some(at.line), Some(field), e)).ok()
    }

    fn date(&mut self, at: At<'a>, field: &str, value: Option<&str>) -> Option<PartialDate> {
        let v = value?;
        PartialDate::parse(v).map_err(|e| self.c.add(at.file, Some(at.line), Some(field), e)).ok()
    }
}

/// Reads and checks a whole dataset. Either every file is right and the
/// register comes back, or every problem found does.
pub fn read(files: &DatasetFiles) -> Result<Register, Problems> {
    let mut r = Reader { c: Collector::default(), refs: Vec::new(), declared: Vec::new() };
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
    let decisions = read_decisions(files, &mut r);
    let values = read_values(files, &mut r);
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
    if let Some((c, _, _)) = &council {
        c.sources.iter().for_each(|s| put(Target::Source, s.key.to_string()));
    }
    for (t, v) in std::mem::take(&mut r.declared) {
        put(t, v);
    }
    let empty = BTreeSet::new();
    for reference in std::mem::take(&mut r.refs) {
        let set = known.get(reference.to.noun()).unwrap_or(&empty);
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
    check_reporting_cycles(&bodies, &relations, &reports_at, &mut r);

    if !r.c.problems.is_empty() {
        return Err(Problems(r.c.problems));
    }
    let (council, _, baselines) = council.expect("a council without problems was read");
    Ok(Register {
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
    })
}

fn toml_problem(file: &str, text: &str, e: &toml::de::Error, c: &mut Collector) {
    let line = e.span().map(|s| line_of(text, s.start));
    // The key on the offending line, when there is one, is the field.
    let field = line.and_then(|l| text.lines().nth(l - 1)).and_then(|l| {
        let (key, _) = l.split_once('=')?;
        let key = key.trim();
        (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
    });
    let message = e.message().trim().replace('\n', " ");
    c.add(file, line, field.as_deref(), message);
}

fn read_council(files: &DatasetFiles, r: &mut Reader<'_>) -> Option<(Council, Vec<RawBoundaries>, Vec<Baseline>)> {
    const FILE: &str = "council.toml";
    let Some(text) = files.get(FILE) else {
        r.c.add(FILE, None, None, "council.toml is missing: every dataset folder starts with one (see docs/DATASET.md)");
        return None;
    };
    let raw: RawCouncilFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            toml_problem(FILE, text, &e, &mut r.c);
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
        if let Some(src) = &b.source {
            r.refer(at(src), "source", Target::Source, src.get_ref());
        }
        if let (Some(slug), Some(area_kind)) = (r.slug(a, "slug", b.slug.get_ref()), kind) {
            baselines.push(Baseline { slug, area_kind, requires, text: b.text.clone(), source: b.source.as_ref().and_then(|s| Slug::parse(s.get_ref()).ok()) });
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
    };
    Some((council, raw.boundaries, baselines))
}

/// Records a slug's first line in a CSV file, reporting any later use.
fn first_use(seen: &mut HashMap<Slug, usize>, slug: &Slug, line: usize, file: &str, c: &mut Collector) {
    if let Some(first) = seen.insert(slug.clone(), line) {
        c.add(file, Some(line), Some("slug"), format!("duplicate slug `{slug}`: line {first} already uses it"));
    }
}

/// Council slugs that would clash with the portal's own top-level paths.
pub const RESERVED_COUNCIL_SLUGS: &[&str] = &["api", "assets", "healthz", "councils", "static", "favicon-ico", "robots-txt"];

fn read_organisations(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Organisation> {
    const FILE: &str = "organisations.csv";
    let Some(text) = files.get(FILE) else {
        r.c.add(FILE, None, None, "organisations.csv is missing: list the partner organisations, even if there is only one");
        return Vec::new();
    };
    let Some(t) = Table::read(FILE, text, &["slug", "name", "kind", "sector"], &["short_name", "parent", "ended", "note"], &mut r.c) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let slug = t.req(row, "slug", &mut r.c).and_then(|s| r.slug(at, "slug", s));
        let name = t.req(row, "name", &mut r.c);
        let kind = t.req(row, "kind", &mut r.c).and_then(|k| OrganisationKind::parse(k).map_err(|e| r.c.add(FILE, Some(row.line), Some("kind"), e)).ok());
        let sector = t.req(row, "sector", &mut r.c).and_then(|k| Sector::parse(k).map_err(|e| r.c.add(FILE, Some(row.line), Some("sector"), e)).ok());
        let parent = t.opt(row, "parent").and_then(|p| {
            r.refer(at, "parent", Target::Organisation, p);
            r.slug(at, "parent", p)
        });
        let ended = r.date(at, "ended", t.opt(row, "ended"));
        if let Some(s) = &slug {
            first_use(&mut seen, s, row.line, FILE, &mut r.c);
        }
        if let Some(s) = &slug {
            r.declared.push((Target::Organisation, s.to_string()));
        }
        if let (Some(slug), Some(name), Some(kind), Some(sector)) = (slug, name, kind, sector) {
            out.push(Organisation {
                slug,
                name: name.to_owned(),
                short_name: t.opt(row, "short_name").map(str::to_owned),
                kind,
                sector,
                parent,
                ended,
                note: t.opt(row, "note").map(str::to_owned),
            });
        }
    }
    out
}

fn read_people(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Person> {
    const FILE: &str = "people.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, &["slug", "name"], &["note", "exempt"], &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let slug = t.req(row, "slug", &mut r.c).and_then(|s| r.slug(at, "slug", s));
        let name = t.req(row, "name", &mut r.c);
        if let Some(s) = &slug {
            first_use(&mut seen, s, row.line, FILE, &mut r.c);
        }
        if let (Some(slug), Some(name)) = (slug, name) {
            let exempt = r.exempt(at, "exempt", t.opt(row, "exempt"));
            out.push(Person { slug, name: name.to_owned(), note: t.opt(row, "note").map(str::to_owned), exempt });
        }
    }
    out
}

fn read_meetings(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Meeting> {
    const FILE: &str = "meetings.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, &["slug", "body", "date", "status"], &["time", "group", "planned_for", "note"], &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(slug), Some(body), Some(date), Some(status)) =
            (t.req(row, "slug", &mut r.c), t.req(row, "body", &mut r.c), t.req(row, "date", &mut r.c), t.req(row, "status", &mut r.c))
        else {
            continue;
        };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        first_use(&mut seen, &slug, row.line, FILE, &mut r.c);
        r.refer(at, "body", Target::Body, body);
        let date = r.date(at, "date", Some(date));
        let status = MeetingStatus::parse(status).map_err(|e| r.c.add(FILE, Some(row.line), Some("status"), e)).ok();
        let time = t.opt(row, "time").and_then(|x| {
            chrono::NaiveTime::parse_from_str(x, "%H:%M")
                .map_err(|_| r.c.add(FILE, Some(row.line), Some("time"), format!("`{x}` is not a time like 10:00 (London time)")))
                .ok()
        });
        let planned_for = t.opt(row, "planned_for").and_then(|x| {
            chrono::NaiveDateTime::parse_from_str(x, "%Y-%m-%dT%H:%M")
                .map_err(|_| r.c.add(FILE, Some(row.line), Some("planned_for"), format!("`{x}` is not a date and time like 2027-01-14T10:00")))
                .ok()
        });
        let group = t.opt(row, "group").and_then(|g| r.slug(at, "group", g));
        let (Some(body), Some(date), Some(status)) = (Slug::parse(body).ok(), date, status) else { continue };
        out.push(Meeting { note: t.opt(row, "note").map(str::to_owned), ..Meeting::new(slug, body, date, time, status, group, planned_for) });
    }
    out
}

/// The outcome verbs a resolution may end on.
pub const OUTCOME_VERBS: [&str; 11] =
    ["AGREED", "SUPPORTED", "NOTED", "APPROVED", "ENDORSED", "ADOPTED", "REJECTED", "DEFERRED", "RECOMMENDED", "DELEGATED", "RATIFIED"];

/// The outcome verb a resolution's words contain, in capitals as minuted.
pub fn outcome_verb(text: &str) -> Option<&'static str> {
    OUTCOME_VERBS.iter().copied().find(|v| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == *v))
}

fn read_decisions<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>) -> Vec<Decision> {
    let mut out = Vec::new();
    let mut seen: HashMap<Slug, (String, usize)> = HashMap::new();
    for file in files.paths().filter(|p| p.starts_with("decisions/") && p.ends_with(".toml")) {
        let text = files.get(file).unwrap_or_default();
        let raw: RawDecisionsFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                toml_problem(file, text, &e, &mut r.c);
                continue;
            }
        };
        let at = |s: &S| At { file, line: line_of(text, s.span().start) };
        for d in raw.decision {
            let a = at(&d.slug);
            let Some(slug) = r.slug(a, "slug", d.slug.get_ref()) else { continue };
            if let Some((f, l)) = seen.insert(slug.clone(), (file.to_owned(), a.line)) {
                r.c.add(file, Some(a.line), Some("slug"), format!("duplicate decision `{slug}`: {f}:{l} already uses it"));
            }
            r.refer(at(&d.body), "body", Target::Body, d.body.get_ref());
            let date = r.date(at(&d.date), "date", Some(d.date.get_ref()));
            let mut resolutions = Vec::new();
            for (i, q) in d.resolution.iter().enumerate() {
                let found = outcome_verb(q.text.get_ref());
                let verb = match (&q.verb, found) {
                    (Some(v), _) if OUTCOME_VERBS.contains(&v.as_str()) => v.clone(),
                    (Some(v), _) => {
                        r.c.add(file, Some(at(&q.text).line), Some("verb"), format!("`{v}` is not an outcome verb; use one of {}", OUTCOME_VERBS.join(", ")));
                        continue;
                    }
                    (None, Some(v)) => (*v).to_owned(),
                    (None, None) => {
                        let n = q.number.clone().unwrap_or_else(|| (i + 1).to_string());
                        r.c.add(
                            file,
                            Some(at(&q.text).line),
                            Some("resolution"),
                            format!("resolution ({n}) has no outcome verb: end it as minuted, in capitals, like “be AGREED” or “be NOTED”"),
                        );
                        continue;
                    }
                };
                resolutions.push(Resolution { number: q.number.clone(), text: q.text.get_ref().clone(), verb });
            }
            if d.resolution.is_empty() {
                r.c.add(file, Some(a.line), Some("resolution"), "a decision records what was resolved: add at least one [[decision.resolution]]");
            }
            let reached = match (&d.reached, &d.votes) {
                (Some(x), None) if x.get_ref() == "consensus" => Some(Reached::Consensus),
                (Some(x), None) => {
                    r.c.add(
                        file,
                        Some(at(x).line),
                        Some("reached"),
                        format!("`{}` is not how a decision is reached: write `consensus`, or give `votes`", x.get_ref()),
                    );
                    None
                }
                (None, Some(v)) => Some(Reached::Vote { r#for: v.r#for, against: v.against, abstaining: v.abstaining }),
                (Some(x), Some(_)) => {
                    r.c.add(
                        file,
                        Some(at(x).line),
                        Some("reached"),
                        "a decision is reached by consensus or by a vote, not both: keep one of `reached` and `votes`",
                    );
                    None
                }
                (None, None) => None,
            };
            for area in &d.areas {
                r.refer(at(area), "areas", Target::Area, area.get_ref());
            }
            for s in &d.sources {
                r.refer(at(s), "sources", Target::Source, s.get_ref());
            }
            let exempt = d.exempt.as_ref().and_then(|e| {
                let line = line_of(text, e.span().start);
                u8::try_from(*e.get_ref())
                    .map_err(|_| "there is no such paragraph in Schedule 12A; use a paragraph from 1 to 7".to_owned())
                    .and_then(Exemption::paragraph)
                    .map_err(|m| r.c.add(file, Some(line), Some("exempt"), m))
                    .ok()
            });
            let notified = d.notified.as_ref().and_then(|n| {
                chrono::NaiveDate::parse_from_str(n.get_ref(), "%Y-%m-%d")
                    .map_err(|_| r.c.add(file, Some(at(n).line), Some("notified"), format!("`{}` is not a day like 2027-01-04", n.get_ref())))
                    .ok()
            });
            let (Some(body), Some(date)) = (Slug::parse(d.body.get_ref()).ok(), date) else { continue };
            out.push(Decision {
                slug,
                body,
                date,
                title: d.title,
                key_decision: d.key_decision,
                call_in: d.call_in,
                summary: d.summary,
                minutes: d.minutes,
                resolutions,
                reached,
                areas: d.areas.into_iter().map(Spanned::into_inner).collect(),
                documents: d.documents,
                issue: d.issue.and_then(|i| Slug::parse(i.get_ref()).ok()),
                meeting: d.meeting.as_ref().and_then(|m| {
                    r.refer(at(m), "meeting", Target::Meeting, m.get_ref());
                    Slug::parse(m.get_ref()).ok()
                }),
                sources: d.sources.iter().filter_map(|s| Slug::parse(s.get_ref()).ok()).collect(),
                exempt,
                forthcoming: false,
                notified,
                beyond_delegation: d.beyond_delegation,
                ratifications: Vec::new(),
            });
        }
    }
    out
}

fn read_services(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<ServicePoint> {
    const FILE: &str = "services.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, &["slug", "name", "kind", "area"], &["extended", "note"], &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(slug), Some(name), Some(kind), Some(area)) =
            (t.req(row, "slug", &mut r.c), t.req(row, "name", &mut r.c), t.req(row, "kind", &mut r.c), t.req(row, "area", &mut r.c))
        else {
            continue;
        };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        first_use(&mut seen, &slug, row.line, FILE, &mut r.c);
        r.refer(at, "area", Target::Area, area);
        let Ok(kind) = ServiceKind::parse(kind).map_err(|e| r.c.add(FILE, Some(row.line), Some("kind"), e)) else { continue };
        let extended = match t.opt(row, "extended").map(str::to_lowercase).as_deref() {
            None | Some("no" | "false") => false,
            Some("yes" | "true") => true,
            Some(other) => {
                r.c.add(FILE, Some(row.line), Some("extended"), format!("`{other}` is not yes or no"));
                false
            }
        };
        if extended && kind != ServiceKind::School {
            r.c.add(FILE, Some(row.line), Some("extended"), "only schools are extended schools: leave `extended` empty for other kinds");
        }
        out.push(ServicePoint { slug, name: name.to_owned(), kind, extended, area: area.to_owned(), note: t.opt(row, "note").map(str::to_owned) });
    }
    out
}

fn read_indicators(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Indicator> {
    const FILE: &str = "indicators.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let required = ["slug", "name", "unit", "polarity", "source", "licence", "geography"];
    let Some(t) = Table::read(FILE, text, &required, &["theme", "frequency", "note"], &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let vals: Vec<Option<&str>> = required.iter().map(|c| t.req(row, c, &mut r.c)).collect();
        let [Some(slug), Some(name), Some(unit), Some(polarity), Some(source), Some(licence), Some(geography)] = vals[..] else { continue };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        first_use(&mut seen, &slug, row.line, FILE, &mut r.c);
        let polarity = Polarity::parse(polarity).map_err(|e| r.c.add(FILE, Some(row.line), Some("polarity"), e)).ok();
        let geography = AreaKind::parse(geography).map_err(|e| r.c.add(FILE, Some(row.line), Some("geography"), e)).ok();
        let (Some(polarity), Some(geography)) = (polarity, geography) else { continue };
        out.push(Indicator {
            slug,
            name: name.to_owned(),
            unit: unit.to_owned(),
            polarity,
            theme: t.opt(row, "theme").map(str::to_owned),
            source: source.to_owned(),
            licence: licence.to_owned(),
            frequency: t.opt(row, "frequency").map(str::to_owned),
            geography,
            note: t.opt(row, "note").map(str::to_owned),
        });
    }
    out
}

/// Reads `values/*.csv`, each in the long format (`area_code, indicator,
/// period, value`, optionally `numerator` and `denominator`).
fn read_values<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>) -> Vec<IndicatorValue> {
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String, String), (&str, usize)> = HashMap::new();
    for path in files.paths().filter(|p| p.starts_with("values/") && p.ends_with(".csv")) {
        let text = files.get(path).unwrap_or_default();
        match crate::indicators::read_long(path, text) {
            Err(problems) => r.c.problems.extend(problems),
            Ok(values) => {
                for v in values {
                    let at = At { file: path, line: v.line };
                    r.refer(at, "area_code", Target::Area, &v.area);
                    r.refer(at, "indicator", Target::Indicator, &v.indicator);
                    let key = (v.area.clone(), v.indicator.clone(), v.period.clone());
                    if let Some((f, l)) = seen.insert(key, (path, v.line)) {
                        r.c.add(
                            path,
                            Some(v.line),
                            Some("area_code"),
                            format!("a second value for {}, {}, {}: {f}:{l} has one already", v.area, v.indicator, v.period),
                        );
                    }
                    let Ok(indicator) = Slug::parse(&v.indicator) else { continue };
                    out.push(IndicatorValue {
                        indicator,
                        area: v.area,
                        period: v.period,
                        value: v.value.ok(),
                        missing: v.value.err(),
                        numerator: v.numerator,
                        denominator: v.denominator,
                    });
                }
            }
        }
    }
    out
}

fn read_areas(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Area> {
    const FILE: &str = "areas.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, &["code", "name", "kind"], &["parent", "valid_from", "valid_to", "members", "note"], &mut r.c) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(code), Some(name), Some(kind)) = (t.req(row, "code", &mut r.c), t.req(row, "name", &mut r.c), t.req(row, "kind", &mut r.c)) else {
            continue;
        };
        let Ok(kind) = AreaKind::parse(kind).map_err(|e| r.c.add(FILE, Some(row.line), Some("kind"), e)) else { continue };
        let code_ok = if kind.is_official() {
            GssCode::parse(code).map_err(|e| r.c.add(FILE, Some(row.line), Some("code"), format!("{e} ({} areas carry ONS codes)", kind.label()))).is_ok()
        } else {
            Slug::parse(code).map_err(|e| r.c.add(FILE, Some(row.line), Some("code"), format!("{e}: the council's own areas use a slug as their code"))).is_ok()
        };
        if let Some(first) = seen.insert(code.to_owned(), row.line) {
            r.c.add(FILE, Some(row.line), Some("code"), format!("duplicate area code `{code}`: line {first} already uses it"));
        }
        if let Some(p) = t.opt(row, "parent") {
            r.refer(at, "parent", Target::Area, p);
        }
        let members: Vec<String> =
            t.opt(row, "members").map_or_else(Vec::new, |m| m.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect());
        for m in &members {
            r.refer(at, "members", Target::Area, m);
        }
        let valid_from = r.date(at, "valid_from", t.opt(row, "valid_from"));
        let valid_to = r.date(at, "valid_to", t.opt(row, "valid_to"));
        if code_ok {
            out.push(Area {
                code: code.to_owned(),
                name: name.to_owned(),
                kind,
                parent: t.opt(row, "parent").map(str::to_owned),
                valid_from,
                valid_to,
                members,
                boundary: None,
                note: t.opt(row, "note").map(str::to_owned),
            });
        }
    }
    out
}

fn read_boundaries(files: &DatasetFiles, r: &mut Reader<'_>, boundaries: &[RawBoundaries], areas: &mut [Area]) {
    let council_text = files.get("council.toml").unwrap_or_default();
    for b in boundaries {
        let file = b.file.get_ref();
        let Some(text) = files.get(file) else {
            r.c.add(
                "council.toml",
                Some(line_of(council_text, b.file.span().start)),
                Some("file"),
                format!("the boundary file `{file}` is not in the dataset folder"),
            );
            continue;
        };
        let json: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                r.c.add(file, Some(e.line()), None, format!("not valid GeoJSON: {e}"));
                continue;
            }
        };
        let Some(features) = json.get("features").and_then(|f| f.as_array()) else {
            r.c.add(file, Some(1), Some("features"), "expected a GeoJSON FeatureCollection with a `features` list");
            continue;
        };
        for (i, f) in features.iter().enumerate() {
            let code = f.pointer(&format!("/properties/{}", b.code_property)).and_then(|v| v.as_str());
            let Some(code) = code else {
                r.c.add(file, None, Some(&b.code_property), format!("feature {} has no `{}` property", i + 1, b.code_property));
                continue;
            };
            let Some(geometry) = f.get("geometry").filter(|g| !g.is_null()) else {
                r.c.add(file, None, Some("geometry"), format!("the feature for `{code}` has no geometry"));
                continue;
            };
            match areas.iter_mut().find(|a| a.code == code) {
                Some(area) => area.boundary = Some(std::sync::Arc::new(geometry.clone())),
                None => r.c.add(file, None, Some(&b.code_property), format!("the boundary for `{code}` names an area that is not in areas.csv")),
            }
        }
    }
}

type BodiesOut<'a> = (Vec<Body>, Vec<Seat>, Vec<Relation>, Vec<Post>, HashMap<Slug, At<'a>>);

/// A seat read before every organisation and body is known: its index, its
/// label as given, who it is on behalf of, and its post.
type PendingSeat = (usize, Option<String>, Option<Party>, Option<String>);

fn read_bodies<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, organisations: &[Organisation]) -> BodiesOut<'a> {
    let mut bodies = Vec::new();
    let mut seats = Vec::new();
    let mut relations = Vec::new();
    let mut posts: Vec<Post> = Vec::new();
    let mut body_lines: HashMap<Slug, (String, usize)> = HashMap::new();
    // Seats name their organisations and bodies before we know them all, so
    // labels are finished once every file is read.
    let mut pending: Vec<PendingSeat> = Vec::new();
    let mut seats_per_line: HashMap<String, usize> = HashMap::new();
    let mut reports_at: HashMap<Slug, At<'a>> = HashMap::new();

    let paths: Vec<&str> = files.paths().filter(|p| p.starts_with("bodies/") && p.ends_with(".toml")).collect();
    if paths.is_empty() {
        r.c.add("bodies/", None, None, "there are no bodies: add at least one bodies/*.toml file with a [[body]] table");
    }
    for file in paths {
        let text = files.get(file).unwrap_or_default();
        let raw: RawBodiesFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                toml_problem(file, text, &e, &mut r.c);
                // The file is still TOML when only a value is of the wrong
                // kind: its bodies exist, so references to them stand.
                if let Ok(table) = toml::from_str::<toml::Table>(text) {
                    let bodies = table.get("body").and_then(|b| b.as_array()).into_iter().flatten();
                    for slug in bodies.filter_map(|b| b.get("slug").and_then(|s| s.as_str())) {
                        r.declared.push((Target::Body, slug.to_owned()));
                    }
                }
                continue;
            }
        };
        let at = |s: &S| At { file, line: line_of(text, s.span().start) };
        let exempt_of = |r: &mut Reader<'_>, e: &Option<Spanned<i64>>| {
            let e = e.as_ref()?;
            let line = line_of(text, e.span().start);
            let n = u8::try_from(*e.get_ref()).map_err(|_| format!("there is no paragraph {} in Schedule 12A; use a paragraph from 1 to 7", e.get_ref()));
            n.and_then(Exemption::paragraph).map_err(|m| r.c.add(file, Some(line), Some("exempt"), m)).ok()
        };
        for b in raw.body {
            let body_exempt = exempt_of(r, &b.exempt);
            let body_at = at(&b.slug);
            let Some(slug) = r.slug(body_at, "slug", b.slug.get_ref()) else { continue };
            if let Some((f, l)) = body_lines.insert(slug.clone(), (file.to_owned(), body_at.line)) {
                r.c.add(file, Some(body_at.line), Some("slug"), format!("duplicate slug `{slug}`: {f}:{l} already uses it"));
            }
            let kind = BodyKind::parse(b.kind.get_ref()).map_err(|e| r.c.add(file, Some(at(&b.kind).line), Some("kind"), e)).ok();
            let cadence = b.cadence.map(|c| {
                if let Some(rule) = &c.rule {
                    if let Err(e) = check_rrule(rule.get_ref()) {
                        r.c.add(file, Some(at(rule).line), Some("cadence.rule"), e);
                    }
                }
                let first = c.first.as_ref().and_then(|f| {
                    chrono::NaiveDateTime::parse_from_str(f.get_ref(), "%Y-%m-%dT%H:%M")
                        .map_err(|_| {
                            r.c.add(
                                file,
                                Some(at(f).line),
                                Some("cadence.first"),
                                format!("`{}` is not a date and time like 2027-01-14T10:00 (London time)", f.get_ref()),
                            )
                        })
                        .ok()
                });
                if let (Some(rule), Some(first)) = (&c.rule, first) {
                    let day = first.date();
                    if let Err(e) = crate::schedule::occurrences(rule.get_ref(), first, day, day, 1) {
                        r.c.add(file, Some(at(rule).line), Some("cadence.rule"), e.to_string());
                    }
                }
                Cadence { text: c.text, rule: c.rule.map(Spanned::into_inner), first }
            });
            let rotation_raw: Vec<(String, usize)> =
                b.chair.as_ref().map(|c| c.rotation.iter().map(|x| (x.get_ref().clone(), at(x).line)).collect()).unwrap_or_default();
            let chair = b.chair.and_then(|c| {
                let kind = ChairKind::parse(c.kind.get_ref()).map_err(|e| r.c.add(file, Some(at(&c.kind).line), Some("chair.kind"), e)).ok()?;
                let post = c.post.as_ref().and_then(|p| {
                    r.refer(at(p), "chair.post", Target::Post, p.get_ref());
                    r.slug(at(p), "chair.post", p.get_ref())
                });
                if kind == ChairKind::ExOfficio && post.is_none() {
                    r.c.add(file, Some(at(&c.kind).line), Some("chair.post"), "an ex officio chair names the post that chairs: add `post = \"...\"`");
                }
                if kind == ChairKind::Rotating && c.rotation_meetings.is_none() {
                    r.c.add(
                        file,
                        Some(at(&c.kind).line),
                        Some("chair.rotation_meetings"),
                        "a rotating chair says how many consecutive meetings each chair takes",
                    );
                }
                let rotation = c.rotation.iter().filter_map(|x| Slug::parse(x.get_ref()).ok()).collect();
                Some(ChairArrangement { kind, text: c.text, post, rotation_meetings: c.rotation_meetings, chair_hosts: c.chair_hosts, rotation })
            });
            let decisions = b.decisions.map(|d| DecisionRules {
                consensus: d.consensus,
                voting: d.voting,
                quorum: d.quorum,
                notice_days: d.notice_days,
                ratification_by_constituents: d.ratification_by_constituents,
                text: d.text,
            });
            let org_ref = |r: &mut Reader<'a>, v: &Option<S>, field: &'static str| {
                v.as_ref().and_then(|s| {
                    r.refer(at(s), field, Target::Organisation, s.get_ref());
                    r.slug(at(s), field, s.get_ref())
                })
            };
            let secretariat = org_ref(r, &b.secretariat, "secretariat");
            let accountable_body = org_ref(r, &b.accountable_body, "accountable_body");
            let mut groups = Vec::new();
            for g in &b.groups {
                if let Some(gs) = r.slug(at(&g.slug), "groups.slug", g.slug.get_ref()) {
                    groups.push(BodyGroup { slug: gs, name: g.name.clone() });
                }
            }
            let established = r.date(body_at, "established", b.established.as_ref().map(|s| s.get_ref().as_str()));
            let ended = r.date(body_at, "ended", b.ended.as_ref().map(|s| s.get_ref().as_str()));
            let review_due = r.date(body_at, "review_due", b.review_due.as_ref().map(|s| s.get_ref().as_str()));
            for a in &b.areas {
                r.refer(at(a), "areas", Target::Area, a.get_ref());
            }
            for s in &b.sources {
                r.refer(at(s), "sources", Target::Source, s.get_ref());
            }
            let rel_lists: [(RelationKind, &'static str, Vec<&S>); 5] = [
                (RelationKind::ReportsTo, "reports_to", b.reports_to.iter().collect()),
                (RelationKind::LinksWith, "links_with", b.links_with.iter().collect()),
                (RelationKind::ManagesAgendaOf, "manages_agenda_of", b.manages_agenda_of.iter().collect()),
                (RelationKind::HoldsToAccount, "holds_to_account", b.holds_to_account.iter().collect()),
                (RelationKind::PartOf, "part_of", b.part_of.iter().collect()),
            ];
            for (kind, field, targets) in rel_lists {
                for t in targets {
                    r.refer(at(t), field, Target::Body, t.get_ref());
                    if t.get_ref() == slug.as_str() {
                        r.c.add(file, Some(at(t).line), Some(field), format!("`{slug}` cannot relate to itself"));
                    }
                    if kind == RelationKind::ReportsTo {
                        reports_at.insert(slug.clone(), at(t));
                    }
                    if let Some(to) = r.slug(at(t), field, t.get_ref()) {
                        relations.push(Relation { kind, from: slug.clone(), to, note: None, exempt: None });
                    }
                }
            }

            // Seats: one line of a membership list may be several seats.
            let mut seat_slugs: HashMap<Slug, usize> = HashMap::new();
            for s in &b.seat {
                let sat = at(&s.text);
                let seat_exempt = exempt_of(r, &s.exempt);
                let role = match &s.role {
                    Some(role) => match Role::parse(role.get_ref()) {
                        Ok(role) => role,
                        Err(e) => {
                            r.c.add(file, Some(at(role).line), Some("role"), e);
                            continue;
                        }
                    },
                    None => Role::Member,
                };
                let mut parties: Vec<(Party, At<'a>)> = Vec::new();
                for (single, many, field, make) in [
                    (&s.organisation, &s.organisations, "organisation", Party::Organisation as fn(Slug) -> Party),
                    (&s.body, &s.bodies, "body", Party::Body as fn(Slug) -> Party),
                ] {
                    for v in single.iter().chain(many.iter()) {
                        let target = if field == "organisation" { Target::Organisation } else { Target::Body };
                        r.refer(at(v), field, target, v.get_ref());
                        if let Some(p) = r.slug(at(v), field, v.get_ref()) {
                            parties.push((make(p), at(v)));
                        }
                    }
                }
                let expanded = parties.len() > 1;
                // Keyed per body so that the same words on two bodies stay apart.
                *seats_per_line.entry(line_key(&slug, s.text.get_ref())).or_default() += parties.len().max(1);
                if expanded && s.slug.is_some() {
                    r.c.add(file, Some(sat.line), Some("slug"), "a line that makes several seats cannot give one slug; use `slug_prefix`");
                }
                let mut seat_groups = Vec::new();
                for g in &s.groups {
                    if !b.groups.iter().any(|bg| bg.slug.get_ref() == g.get_ref()) {
                        let hint = suggestion(g.get_ref(), b.groups.iter().map(|bg| bg.slug.get_ref().as_str()));
                        r.c.add(
                            file,
                            Some(at(g).line),
                            Some("groups"),
                            format!("`{slug}` has no group `{}`{hint}; declare it in the body's `groups`", g.get_ref()),
                        );
                    } else if let Some(gs) = r.slug(at(g), "groups", g.get_ref()) {
                        seat_groups.push(gs);
                    }
                }
                let title = s.post.as_ref().map(|p| p.get_ref().trim().to_owned());
                if title.is_some() && parties.is_empty() {
                    r.c.add(file, Some(sat.line), Some("post"), "a seat held ex officio names the organisation or body the post belongs to");
                }
                let one: Vec<Option<(Party, At<'a>)>> = if parties.is_empty() { vec![None] } else { parties.into_iter().map(Some).collect() };
                for party in one {
                    let post = match (&title, &party) {
                        (Some(t), Some((p, _))) => {
                            let post_slug = Slug::parse(&slugify(&format!("{} {t}", p.slug()))).ok();
                            if let Some(ps) = &post_slug {
                                if !posts.iter().any(|x| &x.slug == ps) {
                                    posts.push(Post { slug: ps.clone(), title: t.clone(), of: p.clone(), holder: None });
                                }
                            }
                            post_slug
                        }
                        _ => None,
                    };
                    let explicit = s.slug.as_ref().filter(|_| !expanded).and_then(|x| r.slug(at(x), "slug", x.get_ref()));
                    let base = match (&explicit, &party, &s.slug_prefix) {
                        (Some(e), _, _) => e.to_string(),
                        (None, Some((p, _)), Some(prefix)) => format!("{prefix}-{}", p.slug()),
                        (None, Some((p, _)), None) => match &title {
                            Some(t) => slugify(&format!("{t} {}", p.slug())),
                            None => p.slug().to_string(),
                        },
                        _ => slugify(s.label.as_deref().unwrap_or(s.text.get_ref())),
                    };
                    let Some(seat_slug) = Slug::parse(&base).ok() else { continue };
                    if let Some(first) = seat_slugs.insert(seat_slug.clone(), sat.line) {
                        r.c.add(
                            file,
                            Some(sat.line),
                            Some("slug"),
                            format!("the seat slug `{seat_slug}` is already used in `{slug}` (line {first}); give this seat its own `slug` or `slug_prefix`"),
                        );
                        continue;
                    }
                    pending.push((seats.len(), title.clone(), party.as_ref().map(|(p, _)| p.clone()), s.label.clone().filter(|_| !expanded)));
                    seats.push(Seat {
                        body: slug.clone(),
                        slug: seat_slug,
                        label: String::new(),
                        source_text: s.text.get_ref().clone(),
                        role,
                        on_behalf_of: party.map(|(p, _)| p),
                        post,
                        groups: seat_groups.clone(),
                        note: s.note.clone(),
                        exempt: seat_exempt,
                    });
                }
            }

            for (seat, line) in &rotation_raw {
                if !seat_slugs.keys().any(|k| k.as_str() == seat) {
                    let hint = suggestion(seat, seat_slugs.keys().map(Slug::as_str));
                    r.c.add(file, Some(*line), Some("chair.rotation"), format!("`{slug}` has no seat `{seat}`{hint}; the rotation names the body's own seats"));
                }
            }
            if let Some(kind) = kind {
                bodies.push(Body {
                    slug,
                    name: b.name,
                    short_name: b.short_name,
                    kind,
                    statutory: b.statutory,
                    purpose: b.purpose,
                    terms_of_reference: b.terms_of_reference,
                    operation: b.operation,
                    cadence,
                    chair,
                    decisions: decisions.unwrap_or_default(),
                    agenda_notice_days: b.agenda_notice_days,
                    publication: b.publication,
                    secretariat,
                    accountable_body,
                    groups,
                    established,
                    ended,
                    review_due,
                    review: b.review,
                    membership_notes: b.membership_notes,
                    areas: b.areas.into_iter().map(Spanned::into_inner).collect(),
                    sources: b.sources.iter().filter_map(|s| Slug::parse(s.get_ref()).ok()).collect(),
                    note: b.note,
                    exempt: body_exempt,
                });
            }
        }
    }

    // Labels read as people would write them, now every name is known.
    let names: HashMap<Party, String> = organisations
        .iter()
        .map(|o| (Party::Organisation(o.slug.clone()), o.name.clone()))
        .chain(bodies.iter().map(|b| (Party::Body(b.slug.clone()), b.name.clone())))
        .collect();
    let name_of = |p: &Party| names.get(p).cloned().unwrap_or_else(|| p.slug().to_string());
    for (i, title, party, label) in pending {
        let seat = &mut seats[i];
        seat.label = match (label, title, party) {
            (Some(l), _, _) => l,
            (None, Some(t), Some(p)) => format!("{t}, {}", name_of(&p)),
            (None, None, Some(p)) if expanded_line(&line_key(&seat.body, &seat.source_text), &seats_per_line) => name_of(&p),
            (None, _, _) => seat.source_text.clone(),
        };
    }
    for post in &mut posts {
        post.title = post.title.trim().to_owned();
    }
    (bodies, seats, relations, posts, reports_at)
}

fn line_key(body: &Slug, text: &str) -> String {
    format!("{body}\u{1f}{text}")
}

/// Whether a membership-list line made more than one seat.
fn expanded_line(key: &str, per_line: &HashMap<String, usize>) -> bool {
    per_line.get(key).copied().unwrap_or(0) > 1
}

fn read_posts<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, posts: &mut Vec<Post>) {
    const FILE: &str = "posts.csv";
    let Some(text) = files.get(FILE) else { return };
    let Some(t) = Table::read(FILE, text, &["slug", "title"], &["organisation", "body", "holder"], &mut r.c) else { return };
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(slug), Some(title)) = (t.req(row, "slug", &mut r.c), t.req(row, "title", &mut r.c)) else { continue };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        let holder = t.opt(row, "holder").and_then(|h| {
            r.refer(at, "holder", Target::Person, h);
            r.slug(at, "holder", h)
        });
        let of = match (t.opt(row, "organisation"), t.opt(row, "body")) {
            (Some(o), None) => {
                r.refer(at, "organisation", Target::Organisation, o);
                r.slug(at, "organisation", o).map(Party::Organisation)
            }
            (None, Some(b)) => {
                r.refer(at, "body", Target::Body, b);
                r.slug(at, "body", b).map(Party::Body)
            }
            _ => {
                r.c.add(FILE, Some(row.line), Some("organisation"), "give either `organisation` or `body`, not both or neither");
                None
            }
        };
        match posts.iter_mut().find(|p| p.slug == slug) {
            Some(existing) => {
                if existing.title != title {
                    r.c.add(FILE, Some(row.line), Some("title"), format!("the post `{slug}` is titled `{}` by its seats", existing.title));
                }
                existing.holder = holder;
            }
            None => {
                if let Some(of) = of {
                    posts.push(Post { slug, title: title.to_owned(), of, holder });
                }
            }
        }
    }
}

fn read_memberships<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, seats: &[Seat]) -> Vec<Membership> {
    const FILE: &str = "memberships.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, &["slug", "body", "seat"], &["person", "start_date", "end_date", "substitutes", "exempt"], &mut r.c) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let slug = t.req(row, "slug", &mut r.c).and_then(|s| r.slug(at, "slug", s));
        let body = t.req(row, "body", &mut r.c).and_then(|b| {
            r.refer(at, "body", Target::Body, b);
            r.slug(at, "body", b)
        });
        let seat = t.req(row, "seat", &mut r.c).and_then(|s| r.slug(at, "seat", s));
        if let (Some(b), Some(s)) = (&body, &seat) {
            let known: Vec<&str> = seats.iter().filter(|x| &x.body == b).map(|x| x.slug.as_str()).collect();
            if !known.is_empty() && !known.contains(&s.as_str()) {
                let hint = suggestion(s.as_str(), known.iter().copied());
                r.c.add(FILE, Some(row.line), Some("seat"), format!("`{b}` has no seat `{s}`{hint}"));
            }
        }
        let person = t.opt(row, "person").and_then(|p| {
            r.refer(at, "person", Target::Person, p);
            r.slug(at, "person", p)
        });
        let substitutes = t.opt(row, "substitutes").map_or_else(Vec::new, |v| {
            v.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .filter_map(|p| {
                    r.refer(at, "substitutes", Target::Person, p);
                    r.slug(at, "substitutes", p)
                })
                .collect()
        });
        let exempt = r.exempt(at, "exempt", t.opt(row, "exempt"));
        let start = r.date(at, "start_date", t.opt(row, "start_date"));
        let end = r.date(at, "end_date", t.opt(row, "end_date"));
        if let (Some(s), Some(e)) = (&start, &end) {
            if e < s {
                r.c.add(FILE, Some(row.line), Some("end_date"), format!("the membership ends ({e}) before it starts ({s})"));
            }
        }
        if let Some(s) = &slug {
            first_use(&mut seen, s, row.line, FILE, &mut r.c);
        }
        if let (Some(slug), Some(body), Some(seat)) = (slug, body, seat) {
            out.push(Membership { slug, body, seat, person, start, end, substitutes, exempt });
        }
    }
    out
}

/// Checks the part of an RFC 5545 RRULE the register relies on: a known
/// FREQ, and well-formed NAME=VALUE parts.
pub fn check_rrule(rule: &str) -> Result<(), String> {
    let mut freq = None;
    for part in rule.split(';') {
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("`{part}` in the rule `{rule}` is not NAME=VALUE; write a rule like `FREQ=MONTHLY;INTERVAL=3`"));
        };
        match name {
            "FREQ" => freq = Some(value),
            "INTERVAL" | "COUNT" => {
                if value.parse::<u32>().map_or(true, |n| n == 0) {
                    return Err(format!("{name} must be a whole number above 0, not `{value}`"));
                }
            }
            "BYDAY" | "BYMONTH" | "BYMONTHDAY" | "BYSETPOS" | "WKST" | "UNTIL" | "BYHOUR" | "BYMINUTE" => {}
            _ => return Err(format!("`{name}` is not a recurrence rule part this register understands")),
        }
    }
    match freq {
        Some("YEARLY" | "MONTHLY" | "WEEKLY" | "DAILY") => Ok(()),
        Some(f) => Err(format!("FREQ=`{f}` is not one of YEARLY, MONTHLY, WEEKLY, DAILY")),
        None => Err(format!("the rule `{rule}` has no FREQ; write a rule like `FREQ=MONTHLY;INTERVAL=3`")),
    }
}

fn check_reporting_cycles<'a>(bodies: &[Body], relations: &[Relation], reports_at: &HashMap<Slug, At<'a>>, r: &mut Reader<'a>) {
    let parent: HashMap<&Slug, &Slug> = relations.iter().filter(|x| x.kind == RelationKind::ReportsTo).map(|x| (&x.from, &x.to)).collect();
    let mut reported = HashSet::new();
    for b in bodies {
        let mut path = vec![&b.slug];
        let mut cur = &b.slug;
        while let Some(next) = parent.get(cur) {
            if let Some(pos) = path.iter().position(|p| p == next) {
                let cycle: Vec<&Slug> = path[pos..].to_vec();
                let mut key: Vec<String> = cycle.iter().map(|s| s.to_string()).collect();
                key.sort();
                if reported.insert(key) {
                    let text = cycle.iter().map(|s| s.to_string()).chain(std::iter::once(next.to_string())).collect::<Vec<_>>().join(" → ");
                    let at = reports_at.get(cur).copied().unwrap_or(At { file: "bodies/", line: 0 });
                    r.c.add(
                        at.file,
                        Some(at.line).filter(|l| *l > 0),
                        Some("reports_to"),
                        format!("reporting lines go round in a circle: {text}; a body cannot report, directly or indirectly, to itself"),
                    );
                }
                break;
            }
            path.push(next);
            cur = next;
        }
    }
}
