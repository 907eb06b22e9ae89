//! The register as a Popolo document (popoloproject.com, version 1.0.1):
//! bodies and partners are organizations, seats and offices are posts,
//! holders and nominating partners are memberships, areas carry their GSS
//! code as their identifier. Every `*_id` names an object in the document.

use crate::register::model::*;
use crate::register::queries::Index;
use serde_json::{json, Map, Value};

/// Identifiers are unique across councils: `{council}/{kind}/{slug}`.
fn id(council: &str, kind: &str, slug: &str) -> String {
    format!("{council}/{kind}/{slug}")
}

fn party_id(council: &str, p: &Party) -> String {
    match p {
        Party::Organisation(s) => id(council, "organisations", s.as_str()),
        Party::Body(s) => id(council, "bodies", s.as_str()),
    }
}

fn obj(pairs: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(pairs.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect::<Map<_, _>>())
}

/// Adds one register's objects to the five Popolo collections.
pub fn append(ix: &Index, doc: &mut PopoloDocument) {
    let reg = &ix.register;
    let c = reg.council.slug.as_str();
    for o in &reg.organisations {
        doc.organizations.push(obj(vec![
            ("id", Some(json!(id(c, "organisations", o.slug.as_str())))),
            ("name", Some(json!(o.name))),
            ("other_names", o.short_name.as_ref().map(|s| json!([{ "name": s, "note": "short name" }]))),
            ("classification", Some(json!(o.kind.code()))),
            ("parent_id", o.parent.as_ref().map(|p| json!(id(c, "organisations", p.as_str())))),
            ("dissolution_date", o.ended.as_ref().map(|d| json!(d.as_str()))),
            ("description", o.note.as_ref().map(|n| json!(n))),
        ]));
    }
    for b in &reg.bodies {
        let parent = ix.parent_of(b.slug.as_str()).map(|r| json!(id(c, "bodies", r.to.as_str())));
        let area = b.areas.iter().find(|a| ix.area(a).is_some()).map(|a| json!(id(c, "areas", a)));
        doc.organizations.push(obj(vec![
            ("id", Some(json!(id(c, "bodies", b.slug.as_str())))),
            ("name", Some(json!(b.name))),
            ("other_names", b.short_name.as_ref().map(|s| json!([{ "name": s, "note": "short name" }]))),
            ("classification", Some(json!(b.kind.code()))),
            ("parent_id", parent),
            ("area_id", area),
            ("abstract", b.purpose.as_ref().map(|p| json!(p))),
            ("founding_date", b.established.as_ref().map(|d| json!(d.as_str()))),
            ("dissolution_date", b.ended.as_ref().map(|d| json!(d.as_str()))),
        ]));
    }
    for p in &reg.people {
        doc.persons.push(obj(vec![
            ("id", Some(json!(id(c, "people", p.slug.as_str())))),
            ("name", Some(json!(p.name))),
            ("summary", p.note.as_ref().map(|n| json!(n))),
        ]));
    }
    for p in &reg.posts {
        let post_id = id(c, "offices", p.slug.as_str());
        let org_id = party_id(c, &p.of);
        let area = p.area.as_ref().filter(|a| ix.area(a).is_some());
        let label = match area.and_then(|a| ix.area(a)) {
            Some(a) => format!("{}, {}", p.title, a.name),
            None => format!("{}, {}", p.title, ix.party_name(&p.of)),
        };
        doc.posts.push(obj(vec![
            ("id", Some(json!(post_id))),
            ("label", Some(json!(label))),
            ("role", Some(json!(p.title))),
            ("organization_id", Some(json!(org_id))),
            ("area_id", area.map(|a| json!(id(c, "areas", a)))),
        ]));
        // A political party is an organization of its own, as Popolo has it.
        let party = p.party.as_ref().map(|name| {
            let party_id = id(c, "parties", &crate::ids::slugify(name));
            if !doc.organizations.iter().any(|o| o["id"] == json!(party_id)) {
                doc.organizations.push(json!({ "id": party_id, "name": name, "classification": "party" }));
            }
            json!(party_id)
        });
        if let Some(h) = &p.holder {
            doc.memberships.push(obj(vec![
                ("id", Some(json!(format!("{post_id}/holder")))),
                ("person_id", Some(json!(id(c, "people", h.as_str())))),
                ("organization_id", Some(json!(org_id))),
                ("post_id", Some(json!(post_id))),
                ("role", Some(json!(p.title))),
                ("on_behalf_of_id", party),
                ("start_date", p.start.as_ref().map(|d| json!(d.as_str()))),
                ("end_date", p.end.as_ref().map(|d| json!(d.as_str()))),
            ]));
        }
    }
    for s in &reg.seats {
        let body_id = id(c, "bodies", s.body.as_str());
        let seat_id = format!("{body_id}/seats/{}", s.slug);
        doc.posts.push(obj(vec![
            ("id", Some(json!(seat_id))),
            ("label", Some(json!(s.label))),
            ("other_label", (s.label != s.source_text).then(|| json!([s.source_text]))),
            ("role", Some(json!(s.role.code()))),
            ("organization_id", Some(json!(body_id))),
        ]));
        let filled: Vec<&Membership> = ix.memberships_of(s.body.as_str(), s.slug.as_str()).collect();
        let on_behalf = s.on_behalf_of.as_ref().map(|p| json!(party_id(c, p)));
        for m in &filled {
            doc.memberships.push(obj(vec![
                ("id", Some(json!(id(c, "memberships", m.slug.as_str())))),
                ("person_id", m.person.as_ref().map(|p| json!(id(c, "people", p.as_str())))),
                ("organization_id", Some(json!(body_id))),
                ("post_id", Some(json!(seat_id))),
                ("on_behalf_of_id", on_behalf.clone()),
                ("role", Some(json!(s.role.code()))),
                ("start_date", m.start.as_ref().map(|d| json!(d.as_str()))),
                ("end_date", m.end.as_ref().map(|d| json!(d.as_str()))),
            ]));
        }
        // A seat that a partner fills, whoever its representative is.
        if filled.is_empty() && on_behalf.is_some() {
            doc.memberships.push(obj(vec![
                ("id", Some(json!(format!("{seat_id}/membership")))),
                ("label", Some(json!(s.label))),
                ("organization_id", Some(json!(body_id))),
                ("post_id", Some(json!(seat_id))),
                ("on_behalf_of_id", on_behalf),
                ("role", Some(json!(s.role.code()))),
            ]));
        }
    }
    for a in &reg.areas {
        doc.areas.push(obj(vec![
            ("id", Some(json!(id(c, "areas", &a.code)))),
            ("name", Some(json!(a.name))),
            ("identifier", a.has_gss_code().then(|| json!(a.code))),
            ("classification", Some(json!(a.kind.code()))),
            ("parent_id", a.parent.as_ref().filter(|p| ix.area(p).is_some()).map(|p| json!(id(c, "areas", p)))),
        ]));
    }
}

/// A Popolo document: the collections the register fills.
#[derive(Debug, Default, serde::Serialize)]
pub struct PopoloDocument {
    pub organizations: Vec<Value>,
    pub persons: Vec<Value>,
    pub posts: Vec<Value>,
    pub memberships: Vec<Value>,
    pub areas: Vec<Value>,
    /// Meetings planned from the bodies' cadences over the next year.
    pub events: Vec<Value>,
    /// Each resolution of each decision.
    pub motions: Vec<Value>,
}

/// Adds a register's meetings (as events: the year its cadences plan from
/// `from`, and every recorded meeting) and its decisions (as motions, one per
/// resolution, each linked to the meeting it was taken at).
fn append_meetings_and_motions(ix: &Index, from: chrono::NaiveDate, doc: &mut PopoloDocument) {
    use chrono::TimeZone;
    let reg = &ix.register;
    let c = reg.council.slug.as_str();
    let until = from + chrono::Months::new(12);
    let mut emitted = std::collections::HashSet::new();
    for b in &reg.bodies {
        for m in crate::meetings::schedule::planned(ix, b.slug.as_str(), from, until).unwrap_or_default() {
            let Some(start) = crate::recurrence::LONDON.from_local_datetime(&m.start).earliest() else { continue };
            let name = match &m.group {
                Some(g) => format!("{} ({g})", m.body_name),
                None => m.body_name.clone(),
            };
            let status = reg.meetings.iter().find(|r| r.slug.as_str() == m.slug).map_or(if m.cancelled { "cancelled" } else { "planned" }, |r| r.status.code());
            emitted.insert(m.slug.clone());
            doc.events.push(obj(vec![
                ("id", Some(json!(id(c, "events", &m.slug)))),
                ("name", Some(json!(name))),
                ("classification", Some(json!("meeting"))),
                ("status", Some(json!(status))),
                ("start_date", Some(json!(start.format("%Y-%m-%dT%H:%M:%S%:z").to_string()))),
                ("organization_id", Some(json!(id(c, "bodies", &m.body)))),
                ("description", m.chair.as_ref().map(|ch| json!(format!("Chair: {ch}")))),
                ("location", m.host.as_ref().map(|h| json!(format!("Hosted by {h}")))),
            ]));
        }
    }
    let recorded: Vec<&crate::meetings::model::Meeting> = reg.meetings.iter().filter(|m| !emitted.contains(m.slug.as_str())).collect();
    for m in recorded {
        let start = match m.start().and_then(|s| crate::recurrence::LONDON.from_local_datetime(&s).earliest()) {
            Some(s) => s.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => m.date.as_str().to_owned(),
        };
        emitted.insert(m.slug.to_string());
        doc.events.push(obj(vec![
            ("id", Some(json!(id(c, "events", m.slug.as_str())))),
            ("name", Some(json!(ix.body(m.body.as_str()).map_or(m.body.as_str(), |b| b.name.as_str())))),
            ("classification", Some(json!("meeting"))),
            ("status", Some(json!(m.status.code()))),
            ("start_date", Some(json!(start))),
            ("organization_id", Some(json!(id(c, "bodies", m.body.as_str())))),
        ]));
    }
    for d in reg.decisions.iter().filter(|d| !d.forthcoming) {
        let session = d.meeting.as_ref().filter(|m| emitted.contains(m.as_str())).map(|m| json!(id(c, "events", m.as_str())));
        for (i, r) in d.resolutions.iter().enumerate() {
            let n = r.number.clone().unwrap_or_else(|| (i + 1).to_string());
            doc.motions.push(obj(vec![
                ("id", Some(json!(id(c, "motions", &format!("{}-{n}", d.slug))))),
                ("organization_id", Some(json!(id(c, "bodies", d.body.as_str())))),
                ("legislative_session_id", session.clone()),
                ("text", Some(json!(r.text))),
                ("identifier", Some(json!(n))),
                ("classification", Some(json!("resolution"))),
                ("date", Some(json!(d.date.as_str()))),
                ("result", Some(json!(r.verb.to_lowercase()))),
            ]));
        }
    }
}

/// One document covering every given register, with the meetings planned
/// for the year from `from`.
pub fn document<'a>(indexes: impl IntoIterator<Item = &'a Index>, from: chrono::NaiveDate) -> PopoloDocument {
    let mut doc = PopoloDocument::default();
    for ix in indexes {
        append(ix, &mut doc);
        append_meetings_and_motions(ix, from, &mut doc);
    }
    doc
}
