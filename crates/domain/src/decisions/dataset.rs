//! Decisions in a dataset: decisions/*.toml.

use crate::decisions::model::*;
use crate::decisions::rules::*;
use crate::ids::Slug;
use crate::reader::*;
use crate::register::model::{Body, Party};
use placeworks_kernel::problems::line_of;
use placeworks_kernel::Exemption;
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDecisionsFile {
    #[serde(default)]
    decision: Vec<RawDecision>,
    #[serde(default)]
    commitment: Vec<RawCommitment>,
    #[serde(default)]
    dispute: Vec<RawDispute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCommitment {
    slug: S,
    organisation: Option<S>,
    body: Option<S>,
    text: String,
    made: Option<S>,
    due: S,
    met_by: Option<S>,
    met: Option<S>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
}

/// The fields of a decision that may be marked as the example's.
pub(crate) const DECISION_FIELDS: &[&str] =
    &["date", "title", "key_decision", "call_in", "summary", "minutes", "resolution", "reached", "votes", "areas", "issue", "meeting", "notified", "power"];
/// The fields of a commitment that may be marked as the example's.
pub(crate) const COMMITMENT_FIELDS: &[&str] = &["organisation", "body", "text", "made", "due", "met_by", "met"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDispute {
    slug: S,
    body: S,
    title: String,
    #[serde(default)]
    parties: Vec<S>,
    raised: S,
    #[serde(default)]
    step: Vec<RawStep>,
    outcome: Option<String>,
    resolved: Option<S>,
    #[serde(default)]
    public: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    stage: S,
    on: S,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDecision {
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
    #[serde(default)]
    example: Vec<S>,
    exempt: Option<Spanned<i64>>,
    /// The day notice of it was first given.
    notified: Option<S>,
    #[serde(default)]
    beyond_delegation: bool,
    power: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawResolution {
    number: Option<String>,
    text: S,
    verb: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVotes {
    r#for: u32,
    against: u32,
    abstaining: u32,
}

/// What the decisions files hold besides decisions.
#[derive(Default)]
pub(crate) struct Undertakings {
    pub commitments: Vec<Commitment>,
    pub disputes: Vec<Dispute>,
    /// (body, power, file, line): each decision's power, checked once the
    /// bodies are known.
    pub pending_powers: Vec<(String, String, String, usize)>,
    /// (body, stage, file, line): each disagreement's stage, likewise.
    pub pending_stages: Vec<(String, String, String, usize)>,
}

/// Reads a day written as `2027-01-04`, naming the field when it is not one.
fn day(r: &mut Reader<'_>, file: &str, line: usize, field: &str, s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| r.c.add(file, Some(line), Some(field), format!("`{s}` is not a day like 2027-01-04"))).ok()
}

pub(crate) fn read_decisions<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>, more: &mut Undertakings) -> Vec<Decision> {
    let mut out = Vec::new();
    let mut seen: HashMap<Slug, (String, usize)> = HashMap::new();
    let mut pending_powers: Vec<(String, String, String, usize)> = Vec::new();
    let mut pending_stages: Vec<(String, String, String, usize)> = Vec::new();
    for file in files.paths().filter(|p| p.starts_with("decisions/") && p.ends_with(".toml")) {
        let text = files.get(file).unwrap_or_default();
        let raw: RawDecisionsFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                toml_problem(file, text, &e, &mut r.c);
                r.unread.push(file.to_owned());
                continue;
            }
        };
        let at = |s: &S| At { file, line: line_of(text, s.span().start) };
        for c in raw.commitment {
            let a = at(&c.slug);
            let Some(slug) = r.slug(a, "slug", c.slug.get_ref()) else { continue };
            if let Some((f, l)) = seen.insert(slug.clone(), (file.to_owned(), a.line)) {
                r.c.add(file, Some(a.line), Some("slug"), format!("duplicate slug `{slug}`: {f}:{l} already uses it"));
            }
            let by = match (&c.organisation, &c.body) {
                (Some(o), None) => {
                    r.refer(at(o), "organisation", Target::Organisation, o.get_ref());
                    Slug::parse(o.get_ref()).ok().map(Party::Organisation)
                }
                (None, Some(b)) => {
                    r.refer(at(b), "body", Target::Body, b.get_ref());
                    Slug::parse(b.get_ref()).ok().map(Party::Body)
                }
                _ => {
                    r.c.add(
                        file,
                        Some(a.line),
                        Some("organisation"),
                        "a commitment is made by an organisation or a body: give one of `organisation` and `body`",
                    );
                    None
                }
            };
            let made = c.made.as_ref().and_then(|m| r.date(at(m), "made", Some(m.get_ref())));
            let due = r.date(at(&c.due), "due", Some(c.due.get_ref()));
            let met = c.met.as_ref().and_then(|m| r.date(at(m), "met", Some(m.get_ref())));
            if let (Some(m), Some(d)) = (&made, &due) {
                if d < m {
                    r.c.add(file, Some(at(&c.due).line), Some("due"), format!("the commitment is due ({}) before it was made ({})", d.display(), m.display()));
                }
            }
            let met_by = c.met_by.as_ref().and_then(|m| {
                r.refer(at(m), "met_by", Target::Decision, m.get_ref());
                Slug::parse(m.get_ref()).ok()
            });
            for s in &c.sources {
                r.refer(at(s), "sources", Target::Source, s.get_ref());
            }
            if c.text.trim().is_empty() {
                r.c.add(file, Some(a.line), Some("text"), "say what was committed to, in the source's words");
            }
            let example = r.example_fields(c.example.iter().map(|e| (at(e), e.get_ref().as_str())), COMMITMENT_FIELDS);
            let (Some(by), Some(due)) = (by, due) else { continue };
            let sources = c.sources.iter().filter_map(|s| Slug::parse(s.get_ref()).ok()).collect();
            more.commitments.push(Commitment { slug, by, text: c.text.trim().to_owned(), made, due, met_by, met, sources, example });
        }
        for d in raw.dispute {
            let a = at(&d.slug);
            let Some(slug) = r.slug(a, "slug", d.slug.get_ref()) else { continue };
            if let Some((f, l)) = seen.insert(slug.clone(), (file.to_owned(), a.line)) {
                r.c.add(file, Some(a.line), Some("slug"), format!("duplicate slug `{slug}`: {f}:{l} already uses it"));
            }
            r.refer(at(&d.body), "body", Target::Body, d.body.get_ref());
            for p in &d.parties {
                r.refer(at(p), "parties", Target::Organisation, p.get_ref());
            }
            let raised = day(r, file, at(&d.raised).line, "raised", d.raised.get_ref());
            let resolved = d.resolved.as_ref().and_then(|x| day(r, file, at(x).line, "resolved", x.get_ref()));
            let mut steps = Vec::new();
            for s in &d.step {
                let Some(on) = day(r, file, at(&s.on).line, "step.on", s.on.get_ref()) else { continue };
                steps.push(DisputeStep { stage: s.stage.get_ref().trim().to_owned(), on, note: s.note.clone() });
                pending_stages.push((d.body.get_ref().clone(), s.stage.get_ref().trim().to_owned(), file.to_owned(), at(&s.stage).line));
            }
            if let (Some(r0), Some(x)) = (raised, resolved) {
                if x < r0 {
                    r.c.add(file, Some(at(&d.slug).line), Some("resolved"), format!("the disagreement is resolved ({x}) before it was raised ({r0})"));
                }
            }
            let (Some(body), Some(raised)) = (Slug::parse(d.body.get_ref()).ok(), raised) else { continue };
            let parties = d.parties.iter().filter_map(|p| Slug::parse(p.get_ref()).ok()).collect();
            more.disputes.push(Dispute { slug, body, title: d.title, parties, raised, steps, outcome: d.outcome, resolved, public: d.public });
        }
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
            let example = r.example_fields(d.example.iter().map(|e| (at(e), e.get_ref().as_str())), DECISION_FIELDS);
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
                example,
                exempt,
                forthcoming: false,
                notified,
                beyond_delegation: d.beyond_delegation,
                power: d.power.as_ref().and_then(|p| {
                    pending_powers.push((d.body.get_ref().clone(), p.get_ref().clone(), file.to_owned(), at(p).line));
                    Slug::parse(p.get_ref()).ok()
                }),
                ratifications: Vec::new(),
            });
        }
    }
    more.pending_powers = pending_powers;
    more.pending_stages = pending_stages;
    out
}

/// Checks each decision's power and each disagreement's stage against its
/// body's powers and escalation path, once the bodies are read.
pub(crate) fn check_against_bodies(bodies: &[Body], more: &Undertakings, r: &mut Reader<'_>) {
    let body = |s: &str| bodies.iter().find(|b| b.slug.as_str() == s);
    for (b, p, file, line) in &more.pending_powers {
        let Some(b) = body(b) else { continue };
        if !b.powers.iter().any(|x| x.slug.as_str() == p) {
            let known: Vec<&str> = b.powers.iter().map(|x| x.slug.as_str()).collect();
            let hint = if known.is_empty() {
                format!("`{}` records no powers: add them as [[body.power]]", b.slug)
            } else {
                format!("its powers are {}", known.join(", "))
            };
            r.c.add(file, Some(*line), Some("power"), format!("`{}` has no power `{p}`: {hint}", b.slug));
        }
    }
    for (b, stage, file, line) in &more.pending_stages {
        let Some(b) = body(b) else { continue };
        if !b.escalation.iter().any(|x| x == stage) {
            let hint = if b.escalation.is_empty() {
                format!("`{}` records no escalation path: add its stages as `escalation`", b.slug)
            } else {
                format!("its stages are: {}", b.escalation.join("; "))
            };
            r.c.add(file, Some(*line), Some("step.stage"), format!("“{stage}” is not a stage of `{}`'s escalation path: {hint}", b.slug));
        }
    }
}
