//! The register's forms as typed: a member, a membership, a body's details,
//! a seat, a link between bodies.

use crate::forms::*;
use crate::register::model::*;
use crate::register::queries::Index;
use serde::{Deserialize, Serialize};

/// "Add a member" as typed into the form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AddMembershipForm {
    pub seat: String,
    pub person: String,
    pub start_date: String,
    pub substitute: String,
    pub exempt: String,
}

/// "Change a membership": when it ends, its substitutes, whether it is exempt.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MembershipForm {
    pub start_date: String,
    pub end_date: String,
    /// Substitutes' names, one a line.
    pub substitutes: String,
    pub exempt: String,
}

impl MembershipForm {
    /// The form filled in from a membership.
    pub fn from_record(ix: &Index, m: &Membership) -> MembershipForm {
        MembershipForm {
            start_date: m.start.as_ref().map(ToString::to_string).unwrap_or_default(),
            end_date: m.end.as_ref().map(ToString::to_string).unwrap_or_default(),
            substitutes: m.substitutes.iter().filter_map(|s| ix.person(s.as_str())).map(|p| p.name.clone()).collect::<Vec<_>>().join("\n"),
            exempt: exempt_text(m.exempt),
        }
    }
}

/// "Change a body's details" as typed: what it is for, how it meets, how it
/// decides, who chairs it, when it is reviewed, and whether it is exempt.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct BodyForm {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub purpose: String,
    /// One role a line.
    pub terms_of_reference: String,
    pub cadence_text: String,
    pub cadence_rule: String,
    /// The first meeting the rule counts from: `2027-01-14T10:00`, London time.
    pub cadence_first: String,
    pub agenda_notice_days: String,
    pub consensus: Option<String>,
    pub quorum: String,
    pub notice_days: String,
    pub ratification: Option<String>,
    pub chair_kind: String,
    pub chair_text: String,
    pub chair_post: String,
    pub rotation_meetings: String,
    pub chair_hosts: Option<String>,
    pub review_due: String,
    pub exempt: String,
}

impl BodyForm {
    /// The form filled in from a body.
    pub fn from_record(b: &Body) -> BodyForm {
        let chair = b.chair.as_ref();
        let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        BodyForm {
            name: b.name.clone(),
            short_name: b.short_name.clone().unwrap_or_default(),
            kind: b.kind.code().to_owned(),
            purpose: b.purpose.clone().unwrap_or_default(),
            terms_of_reference: b.terms_of_reference.join("\n"),
            cadence_text: b.cadence.as_ref().map(|c| c.text.clone()).unwrap_or_default(),
            cadence_rule: b.cadence.as_ref().and_then(|c| c.rule.clone()).unwrap_or_default(),
            cadence_first: b.cadence.as_ref().and_then(|c| c.first).map(|f| f.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default(),
            agenda_notice_days: num(b.agenda_notice_days),
            consensus: tick(b.decisions.consensus),
            quorum: num(b.decisions.quorum),
            notice_days: num(b.decisions.notice_days),
            ratification: tick(b.decisions.ratification_by_constituents),
            chair_kind: chair.map(|c| c.kind.code().to_owned()).unwrap_or_default(),
            chair_text: chair.and_then(|c| c.text.clone()).unwrap_or_default(),
            chair_post: chair.and_then(|c| c.post.as_ref()).map(ToString::to_string).unwrap_or_default(),
            rotation_meetings: num(chair.and_then(|c| c.rotation_meetings)),
            chair_hosts: tick(chair.is_some_and(|c| c.chair_hosts)),
            review_due: b.review_due.as_ref().map(ToString::to_string).unwrap_or_default(),
            exempt: exempt_text(b.exempt),
        }
    }
}

/// "Add a seat" or "Change a seat" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SeatForm {
    pub label: String,
    pub role: String,
    /// `organisation:slug` or `body:slug`, or empty.
    pub on_behalf_of: String,
    pub note: String,
    pub exempt: String,
}

pub(crate) fn party_code(p: &Party) -> String {
    match p {
        Party::Organisation(s) => format!("organisation:{s}"),
        Party::Body(s) => format!("body:{s}"),
    }
}

impl SeatForm {
    /// The form filled in from a seat.
    pub fn from_record(s: &Seat) -> SeatForm {
        SeatForm {
            label: s.label.clone(),
            role: s.role.code().to_owned(),
            on_behalf_of: s.on_behalf_of.as_ref().map(party_code).unwrap_or_default(),
            note: s.note.clone().unwrap_or_default(),
            exempt: exempt_text(s.exempt),
        }
    }
}

/// "Add a link to another body" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RelationForm {
    pub kind: String,
    pub to: String,
    pub note: String,
    pub exempt: String,
}

/// "Set up a new body" as typed: its details (as the change form has them),
/// when it was established, where it sits, the areas it serves, its seats
/// and who chairs it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NewBodyForm {
    #[serde(flatten)]
    pub details: BodyForm,
    pub established: String,
    /// The body it reports to: a slug, or empty.
    pub reports_to: String,
    /// The body it replaces: a slug, or empty.
    pub replaces: String,
    /// The areas it serves, one a line: names or codes.
    pub areas: String,
    /// The member seats, one a line (a chair's seat is added for a chair).
    pub seats: String,
    /// Who chairs it, when the chair is appointed or elected and known.
    pub chair_person: String,
}

/// "End a body" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct EndBodyForm {
    pub ended: String,
    /// The body that replaces it: a slug, or empty.
    pub replaced_by: String,
}

/// "Add a post" or "Change a post" as typed, with who holds it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PostForm {
    pub title: String,
    /// `organisation:slug` or `body:slug`.
    pub of: String,
    /// For a councillor: the ward or division, by name or code.
    pub area: String,
    /// The holder's name, or empty for a vacant post.
    pub holder: String,
    pub party: String,
    pub start_date: String,
    pub end_date: String,
}

impl PostForm {
    /// The form filled in from a post.
    pub fn from_record(ix: &Index, p: &Post) -> PostForm {
        PostForm {
            title: p.title.clone(),
            of: party_code(&p.of),
            area: p.area.as_ref().and_then(|a| ix.area(a)).map(|a| a.name.clone()).or_else(|| p.area.clone()).unwrap_or_default(),
            holder: p.holder.as_ref().and_then(|h| ix.person(h.as_str())).map(|h| h.name.clone()).unwrap_or_default(),
            party: p.party.clone().unwrap_or_default(),
            start_date: p.start.as_ref().map(ToString::to_string).unwrap_or_default(),
            end_date: p.end.as_ref().map(ToString::to_string).unwrap_or_default(),
        }
    }
}

/// "Add an organisation" or "Change an organisation" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub sector: String,
    /// The slug of the organisation it is part of, or empty.
    pub parent: String,
    pub ended: String,
    pub note: String,
}

impl OrganisationForm {
    /// The form filled in from an organisation.
    pub fn from_record(o: &Organisation) -> OrganisationForm {
        OrganisationForm {
            name: o.name.clone(),
            short_name: o.short_name.clone().unwrap_or_default(),
            kind: o.kind.code().to_owned(),
            sector: o.sector.code().to_owned(),
            parent: o.parent.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            ended: o.ended.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            note: o.note.clone().unwrap_or_default(),
        }
    }
}

/// "Change a person's details" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub note: String,
}

impl PersonForm {
    /// The form filled in from a person.
    pub fn from_record(p: &Person) -> PersonForm {
        PersonForm { name: p.name.clone(), note: p.note.clone().unwrap_or_default() }
    }
}
