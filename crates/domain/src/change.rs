//! A change to a council's register, as every command plans it: the records
//! to write, the permission they need, and what the audit trail keeps of
//! them. The store makes the writes to its rows; `Write::apply_to` makes
//! them to a register held in memory, the same way.

use crate::council::Register;
use crate::decisions::model::*;
use crate::ids::Slug;
use crate::meetings::model::*;
use crate::permissions::{can, Action, Actor, Grant, Resource};
use crate::register::model::*;
use serde_json::Value;

/// One record to write. Records are replaced whole, keyed as in the register.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// A new person.
    AddPerson(Person),
    /// A person's details, replacing the person with the same slug.
    PutPerson(Person),
    /// A partner organisation, replacing the one with its slug.
    PutOrganisation(Organisation),
    /// One of the council's own areas, replacing the one with its code.
    PutArea(Box<crate::places::model::Area>),
    /// A new body; refused when one has its slug.
    AddBody(Box<Body>),
    /// A body, replacing the one with the same slug.
    PutBody(Box<Body>),
    /// A post, new or replacing the one with the same slug.
    PutPost(Post),
    /// A seat, new or replacing the one with the same body and slug.
    PutSeat(Seat),
    /// A membership, new or replacing the one with the same slug.
    PutMembership(Membership),
    /// A relation, new or replacing the one with the same kind and ends.
    PutRelation(Relation),
    /// Takes a relation away.
    RemoveRelation { kind: RelationKind, from: Slug, to: Slug },
    /// A meeting record, new or replacing the one with the same slug, with
    /// its agenda.
    PutMeeting(Meeting),
    /// An item on a meeting's agenda, with its papers, new or replacing the
    /// one with the same number: one row, not the whole meeting.
    PutAgendaItem { meeting: Slug, item: AgendaItem },
    /// One person's attendance at a meeting, replacing what was recorded of
    /// them before (and so listed after the others): one row.
    PutAttendance { meeting: Slug, attendance: Attendance },
    /// A decision record, new or replacing the one with the same slug.
    PutDecision(Decision),
    /// The chair's agreement of part of a meeting's business, after those
    /// recorded before: one row.
    PutApproval { meeting: Slug, approval: Approval },
    /// Takes away the chair's agreement of part of a meeting's business
    /// (an agenda changed after it was agreed must be agreed again).
    RemoveApproval { meeting: Slug, what: ApprovalKind },
    /// One constituent body's answer to a request to ratify a decision,
    /// replacing what was recorded of that body before (in its place): one row.
    PutRatification { decision: Slug, ratification: Ratification },
    /// A disagreement, new or replacing the one with the same slug.
    PutDispute(Dispute),
    /// A commitment, new or replacing the one with the same slug.
    PutCommitment(Commitment),
    /// An actual for one of a programme's measures, replacing the one
    /// reported for its period (in its place): one row, and one more in
    /// the measure's history of entries.
    PutActual { measure: Slug, actual: crate::programmes::model::Actual },
    /// A programme's highlights for a period, replacing those written for it before (in their place): one row.
    PutHighlight { programme: Slug, highlight: crate::programmes::model::Highlight },
    /// An action of a plan (at its position), its words kept: one row.
    PutPlanAction { plan: Slug, position: usize, action: crate::programmes::model::PlanAction },
    /// A programme's name, aim, launch date and status: one row.
    PutProgrammeDetails { programme: Slug, details: crate::programmes::model::ProgrammeDetails },
}

impl Write {
    /// The edited record this write replaces, as (kind, id), for records that
    /// are edited in forms and so carry a version: bodies, seats and memberships.
    pub fn record(&self) -> Option<(&'static str, String)> {
        match self {
            Write::PutBody(b) => Some(("body", b.slug.to_string())),
            Write::PutPost(p) => Some(("post", p.slug.to_string())),
            Write::PutArea(a) => Some(("area", a.code.clone())),
            Write::PutOrganisation(o) => Some(("organisation", o.slug.to_string())),
            Write::PutPerson(p) => Some(("person", p.slug.to_string())),
            Write::PutSeat(s) => Some(("seat", seat_id(&s.body, &s.slug))),
            Write::PutMembership(m) => Some(("membership", m.slug.to_string())),
            Write::PutActual { measure, actual } => Some(("actual", crate::programmes::model::actual_id(measure, actual.period))),
            Write::PutHighlight { programme, highlight } => Some(("highlight", format!("{programme} {}", highlight.period))),
            Write::PutPlanAction { plan, position, .. } => Some(("plan-action", crate::programmes::model::plan_action_id(plan, position + 1))),
            Write::PutProgrammeDetails { programme, .. } => Some(("programme", programme.to_string())),
            _ => None,
        }
    }
}

impl Write {
    /// What an actor must be allowed to edit to make this write to `reg`:
    /// the record written and, where it replaces one, the record replaced
    /// (so a write can touch nothing of another body's, whatever its
    /// command planned). `None` when the record it writes into is not there.
    pub fn resources(&self, reg: &Register) -> Option<Vec<Resource>> {
        let meeting_body = |slug: &Slug| reg.meetings.iter().find(|m| m.slug == *slug).map(|m| m.body.clone());
        Some(match self {
            Write::AddPerson(_) => vec![Resource::Person],
            Write::PutBody(b) | Write::AddBody(b) => vec![Resource::Body(b.slug.clone())],
            Write::PutPost(_) => vec![Resource::Post],
            Write::PutArea(_) => vec![Resource::Area],
            Write::PutOrganisation(_) => vec![Resource::Organisation],
            Write::PutPerson(_) => vec![Resource::Person],
            Write::PutSeat(s) => vec![Resource::Seat(s.body.clone())],
            Write::PutMembership(m) => std::iter::once(m.body.clone())
                .chain(reg.memberships.iter().filter(|x| x.slug == m.slug).map(|x| x.body.clone()))
                .map(Resource::Membership)
                .collect(),
            Write::PutRelation(r) => vec![Resource::Body(r.from.clone())],
            Write::RemoveRelation { from, .. } => vec![Resource::Body(from.clone())],
            // A planned meeting recorded with nothing but its agenda is agenda
            // work; with nothing but the chair's agreement, the chair's.
            Write::PutMeeting(m)
                if meeting_body(&m.slug).is_none() && m.attendance.is_empty() && m.minutes.is_empty() && m.approvals.is_empty() && !m.items.is_empty() =>
            {
                vec![Resource::Agenda(m.body.clone())]
            }
            Write::PutMeeting(m)
                if meeting_body(&m.slug).is_none() && m.attendance.is_empty() && m.minutes.is_empty() && m.items.is_empty() && !m.approvals.is_empty() =>
            {
                vec![Resource::Approval(m.body.clone())]
            }
            Write::PutMeeting(m) => std::iter::once(m.body.clone()).chain(meeting_body(&m.slug)).map(Resource::Meeting).collect(),
            Write::PutAgendaItem { meeting, .. } => vec![Resource::Agenda(meeting_body(meeting)?)],
            Write::PutAttendance { meeting, .. } => vec![Resource::Meeting(meeting_body(meeting)?)],
            Write::PutApproval { meeting, .. } => vec![Resource::Approval(meeting_body(meeting)?)],
            Write::RemoveApproval { meeting, .. } => vec![Resource::Agenda(meeting_body(meeting)?)],
            Write::PutDecision(d) => std::iter::once(d.body.clone())
                .chain(reg.decisions.iter().filter(|x| x.slug == d.slug).map(|x| x.body.clone()))
                .map(Resource::Decision)
                .collect(),
            Write::PutRatification { decision, .. } => vec![Resource::Decision(reg.decisions.iter().find(|d| d.slug == *decision)?.body.clone())],
            Write::PutDispute(d) => {
                std::iter::once(d.body.clone()).chain(reg.disputes.iter().filter(|x| x.slug == d.slug).map(|x| x.body.clone())).map(Resource::Dispute).collect()
            }
            Write::PutCommitment(c) => std::iter::once(&c.by)
                .chain(reg.commitments.iter().filter(|x| x.slug == c.slug).map(|x| &x.by))
                .map(|by| match by {
                    Party::Body(b) => Resource::Decision(b.clone()),
                    Party::Organisation(_) => Resource::Register,
                })
                .collect(),
            Write::PutActual { measure, .. } => {
                vec![crate::programmes::model::figures_resource(&reg.initiatives, reg.measures.iter().find(|m| m.slug == *measure)?)]
            }
            Write::PutHighlight { programme, .. } => vec![Resource::Programme(programme.clone())],
            Write::PutPlanAction { plan, .. } => vec![crate::programmes::model::plan_resource(reg.plans.iter().find(|p| p.slug == *plan)?)],
            Write::PutProgrammeDetails { programme, .. } => {
                reg.programmes.iter().find(|p| p.slug == *programme)?;
                vec![Resource::Programme(programme.clone())]
            }
        })
    }
}

impl Change {
    /// Whether `actor` may make this change to `reg`: edit what it names and
    /// every record each of its writes touches.
    pub fn permitted(&self, reg: &Register, actor: &Actor) -> bool {
        let actor = &with_derived_grants(reg, actor);
        can(actor, Action::Edit, &self.resource)
            && self.writes.iter().all(|w| w.resources(reg).is_some_and(|rs| rs.iter().all(|r| can(actor, Action::Edit, r))))
    }
}

/// `actor` with the grants the register gives it: the secretariat of a body
/// that manages another's agenda drafts that agenda.
pub fn with_derived_grants(reg: &Register, actor: &Actor) -> Actor {
    let mut out = actor.clone();
    for r in reg.relations.iter().filter(|r| r.kind == RelationKind::ManagesAgendaOf) {
        if actor.secretariat_of().any(|b| *b == r.from) {
            out.grants.push(Grant::DraftsAgendaOf(r.to.clone()));
        }
    }
    out
}

/// Puts `record` in place of the one `same` finds, or after the others: as
/// the store does, which keeps a replaced record's position and gives a new
/// one the next.
pub(crate) fn put<T>(records: &mut Vec<T>, record: T, same: impl Fn(&T) -> bool) {
    match records.iter().position(same) {
        Some(i) => records[i] = record,
        None => records.push(record),
    }
}

impl Write {
    /// Makes this write to a register held in memory, exactly as the store
    /// makes it to the rows (the same keys, the same positions, the same
    /// refusals), so a server's view can follow its own writes without
    /// reading the council back.
    pub fn apply_to(&self, reg: &mut Register) -> Result<(), String> {
        match self {
            Write::AddPerson(p) => {
                if reg.people.iter().any(|q| q.slug == p.slug) {
                    return Err(format!("a person `{}` already exists", p.slug));
                }
                reg.people.push(p.clone());
            }
            Write::AddBody(b) => {
                if reg.bodies.iter().any(|x| x.slug == b.slug) {
                    return Err(format!("a body `{}` already exists", b.slug));
                }
                reg.bodies.push((**b).clone());
            }
            Write::PutPost(p) => put(&mut reg.posts, p.clone(), |x| x.slug == p.slug),
            Write::PutArea(a) => put(&mut reg.areas, (**a).clone(), |x| x.code == a.code),
            Write::PutOrganisation(o) => put(&mut reg.organisations, o.clone(), |x| x.slug == o.slug),
            Write::PutPerson(p) => {
                let i = reg.people.iter().position(|x| x.slug == p.slug).ok_or_else(|| format!("there is no person `{}` to change", p.slug))?;
                reg.people[i] = p.clone();
            }
            Write::PutBody(b) => {
                let i = reg.bodies.iter().position(|x| x.slug == b.slug).ok_or_else(|| format!("there is no body `{}` to change", b.slug))?;
                reg.bodies[i] = (**b).clone();
            }
            Write::PutSeat(s) => put(&mut reg.seats, s.clone(), |x| x.body == s.body && x.slug == s.slug),
            Write::PutMembership(m) => put(&mut reg.memberships, m.clone(), |x| x.slug == m.slug),
            Write::PutRelation(r) => put(&mut reg.relations, r.clone(), |x| x.kind == r.kind && x.from == r.from && x.to == r.to),
            Write::RemoveRelation { kind, from, to } => {
                let i = reg
                    .relations
                    .iter()
                    .position(|x| x.kind == *kind && x.from == *from && x.to == *to)
                    .ok_or_else(|| format!("there is no `{}` link from `{from}` to `{to}`", kind.code()))?;
                reg.relations.remove(i);
            }
            Write::PutMeeting(m) => put(&mut reg.meetings, m.clone(), |x| x.slug == m.slug),
            Write::PutAgendaItem { meeting, item } => {
                let m = reg.meetings.iter_mut().find(|m| m.slug == *meeting).ok_or_else(|| format!("there is no meeting `{meeting}`"))?;
                put(&mut m.items, item.clone(), |x| x.number == item.number);
                m.items.sort_by_key(|i| agenda_order(&i.number));
            }
            Write::PutAttendance { meeting, attendance } => {
                let m = reg.meetings.iter_mut().find(|m| m.slug == *meeting).ok_or_else(|| format!("there is no meeting `{meeting}`"))?;
                m.attendance.retain(|a| a.person != attendance.person);
                m.attendance.push(attendance.clone());
            }
            Write::PutDecision(d) => put(&mut reg.decisions, d.clone(), |x| x.slug == d.slug),
            Write::PutApproval { meeting, approval } => {
                let m = reg.meetings.iter_mut().find(|m| m.slug == *meeting).ok_or_else(|| format!("there is no meeting `{meeting}`"))?;
                m.approvals.push(approval.clone());
            }
            Write::RemoveApproval { meeting, what } => {
                let m = reg.meetings.iter_mut().find(|m| m.slug == *meeting).ok_or_else(|| format!("there is no meeting `{meeting}`"))?;
                m.approvals.retain(|a| a.what != *what);
            }
            Write::PutRatification { decision, ratification } => {
                let d = reg.decisions.iter_mut().find(|d| d.slug == *decision).ok_or_else(|| format!("there is no decision `{decision}`"))?;
                let r = d
                    .ratifications
                    .iter_mut()
                    .find(|r| r.organisation == ratification.organisation)
                    .ok_or_else(|| format!("decision `{decision}` was not sent to `{}` for ratification", ratification.organisation))?;
                *r = ratification.clone();
            }
            Write::PutDispute(d) => put(&mut reg.disputes, d.clone(), |x| x.slug == d.slug),
            Write::PutCommitment(c) => put(&mut reg.commitments, c.clone(), |x| x.slug == c.slug),
            Write::PutActual { measure, actual } => {
                let m = reg.measures.iter_mut().find(|m| m.slug == *measure).ok_or_else(|| format!("there is no measure `{measure}`"))?;
                put(&mut m.actuals, actual.clone(), |x| x.period == actual.period);
            }
            Write::PutHighlight { programme, highlight } => {
                let p = reg.programmes.iter_mut().find(|p| p.slug == *programme).ok_or_else(|| format!("there is no programme `{programme}`"))?;
                put(&mut p.highlights, highlight.clone(), |x| x.period == highlight.period);
            }
            Write::PutPlanAction { plan, position, action } => {
                let p = reg.plans.iter_mut().find(|p| p.slug == *plan).ok_or_else(|| format!("there is no plan `{plan}`"))?;
                let a = p.actions.get_mut(*position).ok_or_else(|| format!("plan `{plan}` has no action {}", position + 1))?;
                *a = action.clone();
            }
            Write::PutProgrammeDetails { programme, details } => {
                let p = reg.programmes.iter_mut().find(|p| p.slug == *programme).ok_or_else(|| format!("there is no programme `{programme}`"))?;
                p.name = details.name.clone();
                p.aim = details.aim.clone();
                p.launched = details.launched.clone();
                p.status = details.status;
            }
        }
        Ok(())
    }
}

/// A seat's id among a council's records: its body and its own slug.
pub fn seat_id(body: &Slug, seat: &Slug) -> String {
    format!("{body}/{seat}")
}

/// What a change records in the audit trail, besides who and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// Such as `edit-body`.
    pub action: &'static str,
    pub record_kind: &'static str,
    pub record_id: String,
    /// The body the record belongs to, if it belongs to one.
    pub body: Option<Slug>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// A planned change: the writes, the permission they need, and the record
/// the audit trail keeps of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub writes: Vec<Write>,
    /// What the actor must be allowed to edit.
    pub resource: Resource,
    pub recorded: Recorded,
}

// ---- reading form values -----------------------------------------------------------

/// The fields that differ between two records, as (field, before, after).
pub fn differences(before: Option<&Value>, after: Option<&Value>) -> Vec<(String, Value, Value)> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (b.get(k).cloned().unwrap_or(Value::Null), a.get(k).cloned().unwrap_or(Value::Null));
            let blank = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty) || v.as_str().is_some_and(str::is_empty);
            (x != y && !(blank(&x) && blank(&y))).then(|| (k.clone(), x, y))
        })
        .collect()
}
