//! Decisions in a dataset: decisions/*.toml.

use crate::decisions::model::*;
use crate::decisions::rules::*;
use crate::ids::Slug;
use crate::reader::*;
use placeworks_kernel::problems::line_of;
use placeworks_kernel::Exemption;
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDecisionsFile {
    decision: Vec<RawDecision>,
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
    exempt: Option<Spanned<i64>>,
    /// The day notice of it was first given.
    notified: Option<S>,
    #[serde(default)]
    beyond_delegation: bool,
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

pub(crate) fn read_decisions<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>) -> Vec<Decision> {
    let mut out = Vec::new();
    let mut seen: HashMap<Slug, (String, usize)> = HashMap::new();
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
