//! Programmes in a dataset: programmes/*.toml, each with `[[programme]]`
//! tables and their `[[programme.level]]`, `[[programme.theme]]` and
//! `[[programme.outcome]]`.

use crate::ids::Slug;
use crate::programmes::model::*;
use crate::reader::*;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    programme: Vec<RawProgramme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    slug: S,
    name: String,
    aim: String,
    launched: Option<S>,
    status: S,
    governed_by: Option<S>,
    #[serde(default)]
    level: Vec<RawLevel>,
    #[serde(default)]
    theme: Vec<RawNamed>,
    #[serde(default)]
    outcome: Vec<RawNamed>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    decisions: Vec<S>,
    roll_up: Option<S>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    name: S,
    text: Option<String>,
    #[serde(default)]
    bodies: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamed {
    slug: S,
    name: String,
    text: Option<String>,
}

/// The fields of a programme that may be marked as the example's.
pub(crate) const PROGRAMME_FIELDS: &[&str] =
    &["name", "aim", "launched", "status", "governed_by", "level", "theme", "outcome", "areas", "decisions", "roll_up"];

pub(crate) fn read_programmes<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>) -> Vec<Programme> {
    let mut out = Vec::new();
    let mut seen: HashMap<Slug, (String, usize)> = HashMap::new();
    for file in files.paths().filter(|p| p.starts_with("programmes/") && p.ends_with(".toml")) {
        let text = files.get(file).unwrap_or_default();
        let raw: RawFile = match toml::from_str(text) {
            Ok(x) => x,
            Err(e) => {
                toml_problem(file, text, &e, &mut r.c);
                r.unread.push(file.to_owned());
                continue;
            }
        };
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        for p in raw.programme {
            let a = at(&p.slug);
            let Some(slug) = r.slug(a, "slug", p.slug.get_ref()) else { continue };
            if let Some((f, l)) = seen.insert(slug.clone(), (file.to_owned(), a.line)) {
                r.c.add(file, Some(a.line), Some("slug"), format!("duplicate slug `{slug}`: {f}:{l} already uses it"));
            }
            if p.aim.trim().is_empty() {
                r.c.add(file, Some(a.line), Some("aim"), "say what the programme aims to do, in the source's words");
            }
            let status = ProgrammeStatus::parse(p.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&p.status).line), Some("status"), e)).ok();
            let roll_up = match &p.roll_up {
                None => Some(RollUp::Plain),
                Some(x) => RollUp::parse(x.get_ref()).map_err(|e| r.c.add(file, Some(at(x).line), Some("roll_up"), e)).ok(),
            };
            let launched = p.launched.as_ref().and_then(|l| r.date(at(l), "launched", Some(l.get_ref())));
            let governed_by = p.governed_by.as_ref().and_then(|b| {
                r.refer(at(b), "governed_by", Target::Body, b.get_ref());
                r.slug(at(b), "governed_by", b.get_ref())
            });
            let mut levels = Vec::new();
            for l in &p.level {
                let bodies = l
                    .bodies
                    .iter()
                    .filter_map(|b| {
                        r.refer(at(b), "level.bodies", Target::Body, b.get_ref());
                        r.slug(at(b), "level.bodies", b.get_ref())
                    })
                    .collect();
                if l.name.get_ref().trim().is_empty() {
                    r.c.add(file, Some(at(&l.name).line), Some("level.name"), "name the level of working");
                }
                levels.push(Level { name: l.name.get_ref().trim().to_owned(), text: l.text.clone(), bodies });
            }
            let mut named = |list: &[RawNamed], field: &'static str| -> Vec<(Slug, String, Option<String>)> {
                let mut got: Vec<(Slug, String, Option<String>)> = Vec::new();
                for n in list {
                    let Some(s) = r.slug(at(&n.slug), field, n.slug.get_ref()) else { continue };
                    if got.iter().any(|(x, _, _)| *x == s) {
                        r.c.add(file, Some(at(&n.slug).line), Some(field), format!("`{s}` is given twice: give each its own slug"));
                        continue;
                    }
                    got.push((s, n.name.trim().to_owned(), n.text.clone()));
                }
                got
            };
            let themes = named(&p.theme, "theme.slug").into_iter().map(|(slug, name, text)| Theme { slug, name, text }).collect();
            let outcomes = named(&p.outcome, "outcome.slug").into_iter().map(|(slug, name, _)| Outcome { slug, name }).collect();
            for x in &p.areas {
                r.refer(at(x), "areas", Target::Area, x.get_ref());
            }
            let decisions = p
                .decisions
                .iter()
                .filter_map(|d| {
                    r.refer(at(d), "decisions", Target::Decision, d.get_ref());
                    r.slug(at(d), "decisions", d.get_ref())
                })
                .collect();
            let sources = p
                .sources
                .iter()
                .filter_map(|s| {
                    r.refer(at(s), "sources", Target::Source, s.get_ref());
                    r.slug(at(s), "sources", s.get_ref())
                })
                .collect();
            let example = r.example_fields(p.example.iter().map(|e| (at(e), e.get_ref().as_str())), PROGRAMME_FIELDS);
            let (Some(status), Some(roll_up)) = (status, roll_up) else { continue };
            out.push(Programme {
                slug,
                name: p.name.trim().to_owned(),
                aim: p.aim.trim().to_owned(),
                launched,
                status,
                governed_by,
                levels,
                themes,
                outcomes,
                areas: p.areas.iter().map(|a| a.get_ref().clone()).collect(),
                decisions,
                roll_up,
                sources,
                example,
                note: p.note.clone(),
            });
        }
    }
    out
}
