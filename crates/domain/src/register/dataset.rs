//! The register's files in a dataset: organisations.csv, people.csv,
//! bodies/*.toml with their seats, posts.csv and memberships.csv.

use crate::ids::{slugify, Slug};
use crate::reader::*;
use crate::recurrence::check_rrule;
use crate::register::model::*;
use placeworks_kernel::problems::line_of;
use placeworks_kernel::Exemption;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBodiesFile {
    body: Vec<RawBody>,
}

/// The fields of a body that may be marked as the example's (`cadence.rule`
/// and `cadence.first` are when its cadence plans meetings, `chair.rotation`
/// the order of a rotating chair).
pub(crate) const BODY_FIELDS: &[&str] = &[
    "name",
    "short_name",
    "kind",
    "statutory",
    "purpose",
    "terms_of_reference",
    "operation",
    "cadence",
    "cadence.rule",
    "cadence.first",
    "chair",
    "chair.rotation",
    "decisions",
    "agenda_notice_days",
    "publication",
    "secretariat",
    "accountable_body",
    "groups",
    "established",
    "ended",
    "review_due",
    "review",
    "membership_notes",
    "areas",
    "standing_items",
    "reports_to",
    "links_with",
    "manages_agenda_of",
    "holds_to_account",
    "part_of",
    "replaces",
    "escalation",
    "power",
    "seat",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBody {
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
    standing_items: Vec<String>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
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
    replaces: Vec<S>,
    #[serde(default)]
    escalation: Vec<String>,
    #[serde(default)]
    power: Vec<RawPower>,
    #[serde(default)]
    seat: Vec<RawSeat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPower {
    slug: S,
    text: String,
    held_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCadence {
    text: String,
    rule: Option<S>,
    first: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChair {
    kind: S,
    text: Option<String>,
    post: Option<S>,
    rotation_meetings: Option<u32>,
    #[serde(default)]
    chair_hosts: bool,
    #[serde(default)]
    rotation: Vec<S>,
    #[serde(default)]
    agrees: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDecisions {
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
pub(crate) struct RawGroup {
    slug: S,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSeat {
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

pub(crate) fn read_organisations(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Organisation> {
    const FILE: &str = "organisations.csv";
    let Some(text) = files.get(FILE) else {
        r.c.add(FILE, None, None, "organisations.csv is missing: list the partner organisations, even if there is only one");
        return Vec::new();
    };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else {
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
                sources: r.sources_column(at, t.opt(row, "sources")),
                example: r.example_fields(example_column(at, t.opt(row, "example")), &example_columns(FILE)),
            });
        }
    }
    out
}

pub(crate) fn read_people(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Person> {
    const FILE: &str = "people.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else { return Vec::new() };
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
            out.push(Person {
                slug,
                name: name.to_owned(),
                note: t.opt(row, "note").map(str::to_owned),
                exempt,
                sources: r.sources_column(at, t.opt(row, "sources")),
                example: r.example_fields(example_column(at, t.opt(row, "example")), &example_columns(FILE)),
            });
        }
    }
    out
}

pub(crate) type BodiesOut<'a> = (Vec<Body>, Vec<Seat>, Vec<Relation>, Vec<Post>, HashMap<Slug, At<'a>>);

/// A seat read before every organisation and body is known: its index, its
/// label as given, who it is on behalf of, and its post.
pub(crate) type PendingSeat = (usize, Option<String>, Option<Party>, Option<String>);

pub(crate) fn read_bodies<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, organisations: &[Organisation]) -> BodiesOut<'a> {
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
                r.unread.push(file.to_owned());
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
                // A rule that does not read is one problem; its schedule is not checked as well.
                let rule_reads = c.rule.as_ref().is_none_or(|rule| match check_rrule(rule.get_ref()) {
                    Ok(()) => true,
                    Err(e) => {
                        r.c.add(file, Some(at(rule).line), Some("cadence.rule"), e);
                        false
                    }
                });
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
                if let (Some(rule), Some(first), true) = (&c.rule, first, rule_reads) {
                    if let Err(e) = crate::recurrence::check_schedule(rule.get_ref(), first) {
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
                let agrees = c
                    .agrees
                    .iter()
                    .filter_map(|x| ApprovalKind::parse(x.get_ref()).map_err(|e| r.c.add(file, Some(at(x).line), Some("chair.agrees"), e)).ok())
                    .collect();
                Some(ChairArrangement { kind, text: c.text, post, rotation_meetings: c.rotation_meetings, chair_hosts: c.chair_hosts, rotation, agrees })
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
            let rel_lists: [(RelationKind, &'static str, Vec<&S>); 6] = [
                (RelationKind::ReportsTo, "reports_to", b.reports_to.iter().collect()),
                (RelationKind::LinksWith, "links_with", b.links_with.iter().collect()),
                (RelationKind::ManagesAgendaOf, "manages_agenda_of", b.manages_agenda_of.iter().collect()),
                (RelationKind::HoldsToAccount, "holds_to_account", b.holds_to_account.iter().collect()),
                (RelationKind::PartOf, "part_of", b.part_of.iter().collect()),
                (RelationKind::Replaces, "replaces", b.replaces.iter().collect()),
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
                                    // A post a seat names is taken from the body's sources.
                                    let mut post = Post::new(ps.clone(), t.clone(), p.clone());
                                    post.sources = b.sources.iter().filter_map(|s| Slug::parse(s.get_ref()).ok()).collect();
                                    posts.push(post);
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
            let mut powers: Vec<Power> = Vec::new();
            for p in &b.power {
                let Some(ps) = r.slug(at(&p.slug), "power.slug", p.slug.get_ref()) else { continue };
                if powers.iter().any(|x| x.slug == ps) {
                    r.c.add(file, Some(at(&p.slug).line), Some("power.slug"), format!("`{slug}` already has a power `{ps}`: give each its own slug"));
                    continue;
                }
                if p.text.trim().is_empty() {
                    r.c.add(file, Some(at(&p.slug).line), Some("power.text"), "say what the body may decide under this power");
                    continue;
                }
                powers.push(Power { slug: ps, text: p.text.trim().to_owned(), held_by: p.held_by.clone().filter(|h| !h.trim().is_empty()) });
            }
            let example = r.example_fields(b.example.iter().map(|e| (at(e), e.get_ref().as_str())), BODY_FIELDS);
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
                    standing_items: b.standing_items,
                    powers,
                    escalation: b.escalation,
                    sources: b.sources.iter().filter_map(|s| Slug::parse(s.get_ref()).ok()).collect(),
                    example,
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

pub(crate) fn line_key(body: &Slug, text: &str) -> String {
    format!("{body}\u{1f}{text}")
}

/// Whether a membership-list line made more than one seat.
pub(crate) fn expanded_line(key: &str, per_line: &HashMap<String, usize>) -> bool {
    per_line.get(key).copied().unwrap_or(0) > 1
}

pub(crate) fn read_posts<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, posts: &mut Vec<Post>) {
    const FILE: &str = "posts.csv";
    let Some(text) = files.get(FILE) else { return };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else { return };
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
        let area = t.opt(row, "area").map(|a| {
            r.refer(at, "area", Target::Area, a);
            a.to_owned()
        });
        let party = t.opt(row, "party").map(str::to_owned);
        let start = r.date(at, "start_date", t.opt(row, "start_date"));
        let end = r.date(at, "end_date", t.opt(row, "end_date"));
        if let (Some(s), Some(e)) = (&start, &end) {
            if e < s {
                r.c.add(FILE, Some(row.line), Some("end_date"), format!("the holder's term ends ({e}) before it starts ({s})"));
            }
        }
        let sources = r.sources_column(at, t.opt(row, "sources"));
        let example = r.example_fields(example_column(at, t.opt(row, "example")), &example_columns(FILE));
        let terms = |p: &mut Post| {
            if !sources.is_empty() {
                p.sources = sources.clone();
            }
            p.example = example.clone();
            p.holder = holder.clone();
            p.area = area.clone();
            p.party = party.clone();
            p.start = start.clone();
            p.end = end.clone();
        };
        match posts.iter_mut().find(|p| p.slug == slug) {
            Some(existing) => {
                if existing.title != title {
                    r.c.add(FILE, Some(row.line), Some("title"), format!("the post `{slug}` is titled `{}` by its seats", existing.title));
                }
                terms(existing);
            }
            None => {
                if let Some(of) = of {
                    let mut post = Post::new(slug, title, of);
                    terms(&mut post);
                    posts.push(post);
                }
            }
        }
    }
}

pub(crate) fn read_memberships<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, seats: &[Seat]) -> Vec<Membership> {
    const FILE: &str = "memberships.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else {
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

pub(crate) fn check_reporting_cycles<'a>(bodies: &[Body], relations: &[Relation], reports_at: &HashMap<Slug, At<'a>>, r: &mut Reader<'a>) {
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
