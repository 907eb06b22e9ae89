//! Changes to the register, planned without I/O: each takes a form as typed,
//! checks it against the register, and either returns a [`Change`] (the
//! records to write, with what each was before and after) or the problems,
//! field by field, in words that say how to fix them.
//!
//! Forms keep every value as typed, so a page showing errors shows the
//! values back and nothing is lost on a failed submit.

use crate::dataset::check_rrule;
use crate::ids::{slugify, PartialDate, Slug};
use crate::permissions::Resource;
use crate::queries::Index;
use crate::register::*;
use chrono::TimeZone;
use placeworks_kernel::Exemption;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod business;
pub use business::*;

/// A problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// One record to write. Records are replaced whole, keyed as in the register.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// A new person.
    AddPerson(Person),
    /// A body, replacing the one with the same slug.
    PutBody(Box<Body>),
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
}

impl Write {
    /// The edited record this write replaces, as (kind, id), for records that
    /// are edited in forms and so carry a version: bodies, seats and memberships.
    pub fn record(&self) -> Option<(&'static str, String)> {
        match self {
            Write::PutBody(b) => Some(("body", b.slug.to_string())),
            Write::PutSeat(s) => Some(("seat", seat_id(&s.body, &s.slug))),
            Write::PutMembership(m) => Some(("membership", m.slug.to_string())),
            _ => None,
        }
    }
}

/// Puts `record` in place of the one `same` finds, or after the others: as
/// the store does, which keeps a replaced record's position and gives a new
/// one the next.
fn put<T>(records: &mut Vec<T>, record: T, same: impl Fn(&T) -> bool) {
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
    /// The body the record belongs to.
    pub body: Slug,
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

/// One line of text, trimmed, with inner runs of space made single.
fn line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn opt_line(s: &str) -> Option<String> {
    Some(line(s)).filter(|s| !s.is_empty())
}

fn check_len(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(err(field, format!("{what} must be {max} characters or fewer")));
    }
}

/// Paragraphs from a text area: one item a line, blank lines dropped.
fn lines(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) -> Vec<String> {
    let items: Vec<String> = value.lines().map(line).filter(|l| !l.is_empty()).collect();
    if items.len() > 100 {
        errors.push(err(field, format!("{what} can have at most 100 lines")));
    }
    if items.iter().any(|i| i.chars().count() > 2000) {
        errors.push(err(field, format!("Each line of {} must be 2000 characters or fewer", what.to_lowercase())));
    }
    items
}

fn date(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) -> Option<PartialDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    PartialDate::parse(v).map_err(|_| errors.push(err(field, format!("{what} must be a real date, like 2024-05-01 (or just 2024-05)")))).ok()
}

fn number(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(err(field, format!("{what} must be a whole number from {} to {}", range.start(), range.end())));
            None
        }
    }
}

fn exemption(errors: &mut Vec<FieldError>, value: &str) -> Option<Exemption> {
    let v = value.trim();
    if v.is_empty() || v == "public" {
        return None;
    }
    Exemption::parse(v)
        .map_err(|_| errors.push(err("exempt", "Select whether the record is public or which paragraph of Schedule 12A it is exempt under")))
        .ok()
}

fn exempt_text(e: Option<Exemption>) -> String {
    e.map(|e| e.number().to_string()).unwrap_or_default()
}

fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty() && v != "no" && v != "false")
}

fn tick(on: bool) -> Option<String> {
    on.then(|| "yes".to_owned())
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("register records serialise")
}

/// A free slug: `base`, or `base-2`, `base-3` and so on.
fn free_slug(base: &str, taken: impl Fn(&str) -> bool) -> Slug {
    let base = if base.is_empty() { "item".to_owned() } else { base.to_owned() };
    let s = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|s| !taken(s)).expect("a free slug");
    Slug::parse(&s).expect("slugify makes slugs")
}

/// Finds a person by name (ignoring case and spacing), or plans a new one.
fn person_for(ix: &Index, name: &str, planned: &mut Vec<Person>) -> Slug {
    let norm = |s: &str| line(s).to_lowercase();
    if let Some(p) = ix.register.people.iter().chain(planned.iter()).find(|p| norm(&p.name) == norm(name)) {
        return p.slug.clone();
    }
    let slug = free_slug(&slugify(name), |s| ix.person(s).is_some() || planned.iter().any(|p| p.slug.as_str() == s));
    planned.push(Person { slug: slug.clone(), name: line(name), note: None, exempt: None });
    slug
}

fn check_name(errors: &mut Vec<FieldError>, field: &'static str, value: &str, missing: &str) {
    let v = value.trim();
    if v.is_empty() {
        errors.push(err(field, missing));
    } else {
        check_len(errors, field, "Name", v, 200);
    }
}

// ---- adding a member ---------------------------------------------------------------

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

/// What adding a member writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMembership {
    pub membership: Membership,
    /// People named for the first time.
    pub new_people: Vec<Person>,
}

/// A membership as the audit trail shows it: names, not slugs.
fn membership_value(ix: &Index, new_people: &[Person], m: &Membership) -> Value {
    let name_of = |slug: &Slug| {
        new_people
            .iter()
            .find(|p| &p.slug == slug)
            .map(|p| p.name.clone())
            .or_else(|| ix.person(slug.as_str()).map(|p| p.name.clone()))
            .unwrap_or_else(|| slug.to_string())
    };
    json!({
        "seat": m.seat, "person": m.person.as_ref().map(name_of), "start_date": m.start, "end_date": m.end,
        "substitutes": m.substitutes.iter().map(name_of).collect::<Vec<_>>(),
        "exempt": m.exempt,
    })
}

/// Plans adding a member, with an optional named substitute, to a body's seat.
pub fn plan_add_membership(ix: &Index, body: &str, form: &AddMembershipForm) -> Result<PlannedMembership, Vec<FieldError>> {
    let mut errors = Vec::new();
    let seat = ix.seats_of(body).find(|s| s.slug.as_str() == form.seat.trim());
    if seat.is_none() {
        errors.push(err("seat", if form.seat.trim().is_empty() { "Select the seat the member will hold" } else { "Select one of this body's seats" }));
    }
    let person = form.person.trim();
    check_name(&mut errors, "person", person, "Enter the member's full name");
    let start = date(&mut errors, "start_date", "Date the membership starts", &form.start_date);
    let substitute = form.substitute.trim();
    if substitute.chars().count() > 200 {
        errors.push(err("substitute", "Name must be 200 characters or fewer"));
    } else if !substitute.is_empty() && line(substitute).to_lowercase() == line(person).to_lowercase() {
        errors.push(err("substitute", "A substitute must be someone other than the member"));
    }
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let seat = seat.expect("checked above");
    let mut new_people = Vec::new();
    let person = person_for(ix, person, &mut new_people);
    let substitutes = if substitute.is_empty() { Vec::new() } else { vec![person_for(ix, substitute, &mut new_people)] };
    let taken = |s: &str| ix.register.memberships.iter().any(|m| m.slug.as_str() == s);
    let slug = (1..).map(|n| slugify(&format!("{body} {} {n}", seat.slug))).find(|s| !taken(s)).and_then(|s| Slug::parse(&s).ok()).expect("a free slug");
    Ok(PlannedMembership {
        membership: Membership { slug, body: seat.body.clone(), seat: seat.slug.clone(), person: Some(person), start, end: None, substitutes, exempt },
        new_people,
    })
}

impl PlannedMembership {
    /// The planned membership as a change to write.
    pub fn into_change(self, ix: &Index) -> Change {
        let after = membership_value(ix, &self.new_people, &self.membership);
        let m = self.membership;
        let recorded = Recorded {
            action: "add-membership",
            record_kind: "membership",
            record_id: m.slug.to_string(),
            body: m.body.clone(),
            before: None,
            after: Some(after),
        };
        let resource = Resource::Seat(m.body.clone());
        let mut writes: Vec<Write> = self.new_people.into_iter().map(Write::AddPerson).collect();
        writes.push(Write::PutMembership(m));
        Change { writes, resource, recorded }
    }
}

// ---- changing a membership ---------------------------------------------------------

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

/// Plans a change to a membership.
pub fn plan_edit_membership(ix: &Index, body: &str, slug: &str, form: &MembershipForm) -> Result<Change, Vec<FieldError>> {
    let Some(old) = ix.register.memberships.iter().find(|m| m.slug.as_str() == slug && m.body.as_str() == body) else {
        return Err(vec![err("membership", "That membership is not in this body")]);
    };
    let mut errors = Vec::new();
    let start = date(&mut errors, "start_date", "Date the membership starts", &form.start_date);
    let end = date(&mut errors, "end_date", "Date the membership ends", &form.end_date);
    if let (Some(s), Some(e)) = (&start, &end) {
        if e < s {
            errors.push(err("end_date", format!("Date the membership ends must be the same as or after the date it starts ({s})")));
        }
    }
    let names = lines(&mut errors, "substitutes", "Substitutes", &form.substitutes);
    if names.iter().any(|n| n.chars().count() > 200) {
        errors.push(err("substitutes", "Each substitute's name must be 200 characters or fewer"));
    }
    let member_name = old.person.as_ref().and_then(|p| ix.person(p.as_str())).map(|p| p.name.to_lowercase());
    if names.iter().any(|n| Some(n.to_lowercase()) == member_name) {
        errors.push(err("substitutes", "A substitute must be someone other than the member"));
    }
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut new_people = Vec::new();
    let mut substitutes: Vec<Slug> = Vec::new();
    for n in &names {
        let s = person_for(ix, n, &mut new_people);
        if !substitutes.contains(&s) {
            substitutes.push(s);
        }
    }
    let new = Membership { start, end, substitutes, exempt, ..old.clone() };
    let before = membership_value(ix, &[], old);
    let after = membership_value(ix, &new_people, &new);
    let recorded = Recorded {
        action: "edit-membership",
        record_kind: "membership",
        record_id: new.slug.to_string(),
        body: new.body.clone(),
        before: Some(before),
        after: Some(after),
    };
    let mut writes: Vec<Write> = new_people.into_iter().map(Write::AddPerson).collect();
    writes.push(Write::PutMembership(new));
    Ok(Change { writes, resource: Resource::Membership(old.body.clone()), recorded })
}

// ---- editing a body ----------------------------------------------------------------

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

/// Plans a change to a body's details.
pub fn plan_edit_body(ix: &Index, body: &str, form: &BodyForm) -> Result<Change, Vec<FieldError>> {
    let Some(old) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    check_name(&mut errors, "name", &form.name, "Enter the body's name");
    check_len(&mut errors, "short_name", "Short name", form.short_name.trim(), 50);
    let kind = BodyKind::parse(form.kind.trim()).map_err(|_| errors.push(err("kind", "Select what kind of body this is"))).ok();
    check_len(&mut errors, "purpose", "Purpose", form.purpose.trim(), 4000);
    let terms = lines(&mut errors, "terms_of_reference", "Terms of reference", &form.terms_of_reference);
    check_len(&mut errors, "cadence_text", "How often it meets", form.cadence_text.trim(), 200);
    let rule = form.cadence_rule.trim();
    if !rule.is_empty() {
        if let Err(e) = check_rrule(rule) {
            errors.push(err("cadence_rule", format!("Meeting rule is not a recurrence rule this register understands: {e}")));
        }
        if form.cadence_text.trim().is_empty() {
            errors.push(err("cadence_text", "Enter how often the body meets, in words, as well as the rule"));
        }
    }
    let first = match form.cadence_first.trim() {
        "" => None,
        f => match chrono::NaiveDateTime::parse_from_str(f, "%Y-%m-%dT%H:%M") {
            Ok(d) => {
                if !rule.is_empty() && check_rrule(rule).is_ok() {
                    if let Err(e) = crate::schedule::occurrences(rule, d, d.date(), d.date(), 1) {
                        errors.push(err("cadence_first", format!("First meeting: {e}")));
                    }
                }
                Some(d)
            }
            Err(_) => {
                errors.push(err("cadence_first", "First meeting must be a date and time like 2027-01-14T10:00 (London time)"));
                None
            }
        },
    };
    let agenda_notice_days = number(&mut errors, "agenda_notice_days", "Days' notice for the agenda", &form.agenda_notice_days, 0..=365);
    let quorum = number(&mut errors, "quorum", "Quorum", &form.quorum, 1..=500);
    let notice_days = number(&mut errors, "notice_days", "Days' notice of a decision", &form.notice_days, 0..=365);
    let chair_kind = match form.chair_kind.trim() {
        "" => None,
        k => ChairKind::parse(k).map_err(|_| errors.push(err("chair_kind", "Select how the chair is chosen"))).ok(),
    };
    let chair_post = match form.chair_post.trim() {
        "" => None,
        p => match ix.post(p) {
            Some(post) => Some(post.slug.clone()),
            None => {
                errors.push(err("chair_post", "Select one of the posts listed"));
                None
            }
        },
    };
    if chair_kind == Some(ChairKind::ExOfficio) && chair_post.is_none() && form.chair_post.trim().is_empty() {
        errors.push(err("chair_post", "Select the post that chairs the body ex officio"));
    }
    let rotation = number(&mut errors, "rotation_meetings", "Meetings each chair holds", &form.rotation_meetings, 1..=52);
    if chair_kind == Some(ChairKind::Rotating) && rotation.is_none() && form.rotation_meetings.trim().is_empty() {
        errors.push(err("rotation_meetings", "Enter how many consecutive meetings each chair holds"));
    }
    check_len(&mut errors, "chair_text", "How the chair is chosen", form.chair_text.trim(), 1000);
    let review_due = date(&mut errors, "review_due", "Date the arrangements are next reviewed", &form.review_due);
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let new = Body {
        name: line(&form.name),
        short_name: opt_line(&form.short_name),
        kind: kind.expect("checked"),
        purpose: Some(form.purpose.trim().to_owned()).filter(|p| !p.is_empty()),
        terms_of_reference: terms,
        cadence: opt_line(&form.cadence_text).map(|text| Cadence { text, rule: Some(rule.to_owned()).filter(|r| !r.is_empty()), first }),
        agenda_notice_days,
        decisions: DecisionRules {
            consensus: ticked(&form.consensus),
            quorum,
            notice_days,
            ratification_by_constituents: ticked(&form.ratification),
            ..old.decisions.clone()
        },
        chair: chair_kind.map(|kind| ChairArrangement {
            rotation: old.chair.as_ref().map(|c| c.rotation.clone()).unwrap_or_default(),
            kind,
            text: opt_line(&form.chair_text),
            post: chair_post,
            rotation_meetings: rotation,
            chair_hosts: ticked(&form.chair_hosts),
        }),
        review_due,
        exempt,
        ..old.clone()
    };
    let recorded = Recorded {
        action: "edit-body",
        record_kind: "body",
        record_id: body.to_owned(),
        body: old.slug.clone(),
        before: Some(to_value(old)),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutBody(Box::new(new))], resource: Resource::Body(old.slug.clone()), recorded })
}

// ---- seats -------------------------------------------------------------------------

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

fn party_code(p: &Party) -> String {
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

/// Plans adding a seat (`seat` is `None`) or changing one.
pub fn plan_seat(ix: &Index, body: &str, seat: Option<&str>, form: &SeatForm) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let old = match seat {
        Some(slug) => match ix.seats_of(body).find(|s| s.slug.as_str() == slug) {
            Some(s) => Some(s),
            None => return Err(vec![err("seat", "That seat is not in this body")]),
        },
        None => None,
    };
    let mut errors = Vec::new();
    let label = line(&form.label);
    if label.is_empty() {
        errors.push(err("label", "Enter what the seat is, like “Chief Executive, Buckinghamshire Council”"));
    }
    check_len(&mut errors, "label", "What the seat is", &label, 200);
    let role = Role::parse(form.role.trim()).map_err(|_| errors.push(err("role", "Select the part the seat plays"))).ok();
    let party = match form.on_behalf_of.trim().split_once(':') {
        None if form.on_behalf_of.trim().is_empty() => None,
        Some(("organisation", s)) if ix.organisation(s).is_some() => Slug::parse(s).ok().map(Party::Organisation),
        Some(("body", s)) if ix.body(s).is_some() && s != body => Slug::parse(s).ok().map(Party::Body),
        _ => {
            errors.push(err("on_behalf_of", "Select one of the organisations or bodies listed, or none"));
            None
        }
    };
    check_len(&mut errors, "note", "Note", form.note.trim(), 2000);
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let new = match old {
        Some(old) => Seat { label: label.clone(), role: role.expect("checked"), on_behalf_of: party, note: opt_line(&form.note), exempt, ..old.clone() },
        None => Seat {
            body: b.slug.clone(),
            slug: free_slug(&slugify(&label), |s| ix.seats_of(body).any(|x| x.slug.as_str() == s)),
            label: label.clone(),
            source_text: label,
            role: role.expect("checked"),
            on_behalf_of: party,
            post: None,
            groups: Vec::new(),
            note: opt_line(&form.note),
            exempt,
        },
    };
    let recorded = Recorded {
        action: if old.is_some() { "edit-seat" } else { "add-seat" },
        record_kind: "seat",
        record_id: new.slug.to_string(),
        body: b.slug.clone(),
        before: old.map(to_value),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutSeat(new)], resource: Resource::Seat(b.slug.clone()), recorded })
}

// ---- relations ---------------------------------------------------------------------

/// "Add a link to another body" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RelationForm {
    pub kind: String,
    pub to: String,
    pub note: String,
    pub exempt: String,
}

/// Whether following reporting lines up from `from` reaches `to`.
fn reports_up_to(ix: &Index, from: &str, to: &str) -> bool {
    let mut cur = Some(from.to_owned());
    let mut steps = 0;
    while let Some(c) = cur {
        if c == to {
            return true;
        }
        steps += 1;
        if steps > ix.register.bodies.len() {
            return false;
        }
        cur = ix.parent_of(&c).map(|r| r.to.to_string());
    }
    false
}

/// Plans a reporting line or link from `body` to another body.
pub fn plan_add_relation(ix: &Index, body: &str, form: &RelationForm) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    let kind = RelationKind::parse(form.kind.trim()).map_err(|_| errors.push(err("kind", "Select how the bodies are related"))).ok();
    let to = form.to.trim();
    let target = ix.body(to);
    if to.is_empty() {
        errors.push(err("to", "Select the other body"));
    } else if target.is_none() {
        errors.push(err("to", "Select one of the bodies listed"));
    } else if to == body {
        errors.push(err("to", "A body cannot be related to itself; select another body"));
    }
    if let (Some(kind), Some(t)) = (kind, target) {
        if ix.register.relations.iter().any(|r| r.kind == kind && r.from.as_str() == body && r.to == t.slug) {
            errors.push(err("to", format!("{} already {} {}", b.name, kind.label().to_lowercase(), t.name)));
        } else if kind == RelationKind::ReportsTo {
            if let Some(p) = ix.parent_of(body) {
                let name = ix.body(p.to.as_str()).map_or(p.to.as_str(), |x| x.name.as_str());
                errors.push(err("kind", format!("{} already reports to {name}; remove that reporting line first", b.name)));
            } else if reports_up_to(ix, to, body) {
                errors.push(err("to", format!("{} reports up to {} already, so this would make a loop", t.name, b.name)));
            }
        }
    }
    check_len(&mut errors, "note", "Note", form.note.trim(), 2000);
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let new = Relation { kind: kind.expect("checked"), from: b.slug.clone(), to: target.expect("checked").slug.clone(), note: opt_line(&form.note), exempt };
    let recorded = Recorded {
        action: "add-relation",
        record_kind: "relation",
        record_id: format!("{} {} {}", new.from, new.kind.code(), new.to),
        body: b.slug.clone(),
        before: None,
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutRelation(new)], resource: Resource::Body(b.slug.clone()), recorded })
}

/// Plans taking away a reporting line or link from `body`.
pub fn plan_remove_relation(ix: &Index, body: &str, kind: &str, to: &str) -> Result<Change, Vec<FieldError>> {
    let Some(old) = ix.register.relations.iter().find(|r| r.from.as_str() == body && r.kind.code() == kind && r.to.as_str() == to) else {
        return Err(vec![err("relation", "That link is not in this body's record")]);
    };
    let recorded = Recorded {
        action: "remove-relation",
        record_kind: "relation",
        record_id: format!("{} {} {}", old.from, old.kind.code(), old.to),
        body: old.from.clone(),
        before: Some(to_value(old)),
        after: None,
    };
    Ok(Change {
        writes: vec![Write::RemoveRelation { kind: old.kind, from: old.from.clone(), to: old.to.clone() }],
        resource: Resource::Body(old.from.clone()),
        recorded,
    })
}

// ---- meetings -----------------------------------------------------------------------

/// "Move, cancel or add a meeting" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MeetingForm {
    /// `move`, `cancel` or `add`.
    pub action: String,
    /// The planned meeting moved or cancelled: `2027-02-02T09:30`.
    pub planned_for: String,
    /// The new day and time, for a move or an added meeting.
    pub date: String,
    pub time: String,
    pub note: String,
}

/// Plans moving or cancelling a planned meeting, or adding one outside the cadence.
pub fn plan_meeting(ix: &Index, body: &str, form: &MeetingForm, today: chrono::NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    let action = form.action.trim();
    if !["move", "cancel", "add"].contains(&action) {
        errors.push(err("action", "Select whether to move or cancel a planned meeting, or add one"));
    }
    let slot = if action == "move" || action == "cancel" {
        let until = today + chrono::Months::new(24);
        let planned = crate::schedule::planned(ix, body, today, until).unwrap_or_default();
        match chrono::NaiveDateTime::parse_from_str(form.planned_for.trim(), "%Y-%m-%dT%H:%M") {
            Ok(p) if planned.iter().any(|x| x.rescheduled_from.unwrap_or(x.start) == p) => Some(p),
            _ => {
                errors.push(err("planned_for", "Select one of the meetings planned for this body"));
                None
            }
        }
    } else {
        None
    };
    let when = if action == "move" || action == "add" {
        let day = chrono::NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
            .map_err(|_| errors.push(err("date", "Date of the meeting must be a real date, like 2027-03-09")))
            .ok();
        let time = chrono::NaiveTime::parse_from_str(form.time.trim(), "%H:%M")
            .map_err(|_| errors.push(err("time", "Time must be a time of day like 14:00 (London time)")))
            .ok();
        match (day, time) {
            (Some(d), Some(t)) => {
                let starts = |p: &Option<PartialDate>| p.as_ref().map(|x| x.as_str().to_owned());
                let iso = d.format("%Y-%m-%d").to_string();
                if starts(&b.established).is_some_and(|e| iso[..e.len()] < *e) || starts(&b.ended).is_some_and(|e| iso[..e.len()] > *e) {
                    errors.push(err("date", format!("{} does not exist on that date: it runs {}", b.name, life(b))));
                }
                if crate::schedule::LONDON.from_local_datetime(&d.and_time(t)).earliest().is_none() {
                    errors.push(err("time", "That time does not exist in London: the clocks go forward over it"));
                }
                Some(d.and_time(t))
            }
            _ => None,
        }
    } else {
        None
    };
    check_len(&mut errors, "note", "Note", form.note.trim(), 1000);
    if !errors.is_empty() {
        return Err(errors);
    }
    let key = slot.or(when).expect("checked above");
    let slug = crate::schedule::meeting_slug(body, key);
    let at = if action == "cancel" { key } else { when.expect("checked above") };
    let old = ix.register.meetings.iter().find(|m| m.slug == slug);
    // A moved meeting keeps its agenda and whatever else was recorded of it.
    let kept = old
        .cloned()
        .unwrap_or_else(|| Meeting::new(slug.clone(), b.slug.clone(), PartialDate::parse("2000").expect("a year"), None, MeetingStatus::Scheduled, None, slot));
    let new = Meeting {
        date: PartialDate::parse(&at.format("%Y-%m-%d").to_string()).expect("a real date"),
        time: Some(at.time()),
        status: if action == "cancel" {
            MeetingStatus::Cancelled
        } else if kept.status == MeetingStatus::Cancelled {
            MeetingStatus::Scheduled
        } else {
            kept.status
        },
        planned_for: slot,
        note: opt_line(&form.note),
        ..kept.clone()
    };
    let recorded = Recorded {
        action: match action {
            "cancel" => "cancel-meeting",
            "move" => "reschedule-meeting",
            _ => "add-meeting",
        },
        record_kind: "meeting",
        record_id: slug.to_string(),
        body: b.slug.clone(),
        before: old.map(to_value),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutMeeting(new)], resource: Resource::Meeting(b.slug.clone()), recorded })
}

fn life(b: &Body) -> String {
    match (&b.established, &b.ended) {
        (Some(s), Some(e)) => format!("from {} to {}", s.display(), e.display()),
        (Some(s), None) => format!("from {}", s.display()),
        (None, Some(e)) => format!("until {}", e.display()),
        (None, None) => "without dates".to_owned(),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{self, DatasetFiles};

    fn riverside() -> Index {
        let files = DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        Index::new(dataset::read(&files).unwrap())
    }

    fn form(seat: &str, person: &str, start: &str, sub: &str) -> AddMembershipForm {
        AddMembershipForm { seat: seat.into(), person: person.into(), start_date: start.into(), substitute: sub.into(), exempt: String::new() }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_new_member_and_substitute_become_people_once() {
        let ix = riverside();
        let plan = plan_add_membership(&ix, "riverside-partnership-board", &form("riverside-cvs", "  Jo   Bloggs ", "2024-06", "Sam Patel")).unwrap();
        assert_eq!(plan.new_people.len(), 1, "Sam Patel already exists");
        assert_eq!(plan.new_people[0].name, "Jo Bloggs");
        assert_eq!(plan.membership.person.as_ref().unwrap().as_str(), "jo-bloggs");
        assert_eq!(plan.membership.substitutes[0].as_str(), "sam-patel");
        assert_eq!(plan.membership.start.as_ref().unwrap().as_str(), "2024-06");
        assert_eq!(plan.membership.slug.as_str(), "riverside-partnership-board-riverside-cvs-1");
        let change = plan.into_change(&ix);
        assert_eq!(change.writes.len(), 2, "the new person, then the membership");
        assert_eq!(change.recorded.after.as_ref().unwrap()["substitutes"], json!(["Sam Patel"]));
    }

    #[test]
    fn every_bad_field_is_named_with_how_to_fix_it() {
        let ix = riverside();
        let errors = plan_add_membership(&ix, "riverside-partnership-board", &form("", "", "2024-13-01", "")).unwrap_err();
        assert_eq!(fields(&errors), ["seat", "person", "start_date"]);
        let errors = plan_add_membership(&ix, "riverside-partnership-board", &form("not-a-seat", "Jo", "", "jo")).unwrap_err();
        assert_eq!(errors[0].message, "Select one of this body's seats");
        assert_eq!(errors[1].message, "A substitute must be someone other than the member");
        let errors = plan_add_membership(&ix, "riverside-delivery-group", &form("riverside-cvs", "Jo", "", "")).unwrap_err();
        assert_eq!(errors[0].field, "seat", "a seat of another body is refused");
        let mut f = form("riverside-cvs", "Jo", "", "");
        f.exempt = "9".into();
        assert_eq!(fields(&plan_add_membership(&ix, "riverside-partnership-board", &f).unwrap_err()), ["exempt"]);
    }

    #[test]
    fn a_body_form_round_trips_and_changes_only_what_was_changed() {
        let ix = riverside();
        let b = ix.body("riverside-partnership-board").unwrap();
        let mut f = BodyForm::from_record(b);
        let unchanged = plan_edit_body(&ix, b.slug.as_str(), &f).unwrap();
        assert_eq!(unchanged.writes, vec![Write::PutBody(Box::new(b.clone()))], "an untouched form writes the body back as it was");
        f.purpose = "To tackle <script>alert(1)</script> inequality".into();
        f.terms_of_reference.push_str("\n\n  Review the partnership each year  \n");
        f.review_due = "2027-03".into();
        f.exempt = "3".into();
        let change = plan_edit_body(&ix, b.slug.as_str(), &f).unwrap();
        let Write::PutBody(new) = &change.writes[0] else { panic!("a body write") };
        assert_eq!(new.terms_of_reference.last().unwrap(), "Review the partnership each year");
        assert_eq!(new.exempt.unwrap().number(), 3);
        let diff: Vec<String> = differences(change.recorded.before.as_ref(), change.recorded.after.as_ref()).into_iter().map(|d| d.0).collect();
        assert_eq!(diff, ["exempt", "purpose", "review_due", "terms_of_reference"]);
    }

    #[test]
    fn a_bad_body_form_names_each_field() {
        let ix = riverside();
        let b = ix.body("riverside-partnership-board").unwrap();
        let f = BodyForm {
            name: " ".into(),
            kind: "club".into(),
            cadence_rule: "FREQ=FORTNIGHTLY".into(),
            quorum: "0".into(),
            chair_kind: "rotating".into(),
            review_due: "next year".into(),
            ..BodyForm::from_record(b)
        };
        let errors = plan_edit_body(&ix, b.slug.as_str(), &f).unwrap_err();
        assert_eq!(fields(&errors), ["name", "kind", "cadence_rule", "quorum", "rotation_meetings", "review_due"]);
        assert!(errors[2].message.contains("FORTNIGHTLY"), "{}", errors[2].message);
        assert_eq!(errors[3].message, "Quorum must be a whole number from 1 to 500");
    }

    #[test]
    fn seats_get_free_slugs_and_check_who_they_represent() {
        let ix = riverside();
        let f = SeatForm { label: "Riverside CVS".into(), role: "member".into(), on_behalf_of: "organisation:riverside-cvs".into(), ..Default::default() };
        let change = plan_seat(&ix, "riverside-partnership-board", None, &f).unwrap();
        let Write::PutSeat(s) = &change.writes[0] else { panic!("a seat write") };
        assert!(ix.seats_of("riverside-partnership-board").all(|x| x.slug != s.slug), "a new slug, not an existing seat's");
        assert_eq!(change.recorded.action, "add-seat");
        let bad = SeatForm { on_behalf_of: "organisation:nobody".into(), role: "king".into(), ..f };
        assert_eq!(fields(&plan_seat(&ix, "riverside-partnership-board", None, &bad).unwrap_err()), ["role", "on_behalf_of"]);
    }

    #[test]
    fn reporting_lines_cannot_loop_or_double() {
        let ix = riverside();
        let child = ix.register.relations.iter().find(|r| r.kind == RelationKind::ReportsTo).expect("riverside has a reporting line");
        let (from, to) = (child.from.to_string(), child.to.to_string());
        let again = plan_add_relation(&ix, &from, &RelationForm { kind: "reports-to".into(), to: to.clone(), ..Default::default() }).unwrap_err();
        assert_eq!(fields(&again), ["to"]);
        let looped = plan_add_relation(&ix, &to, &RelationForm { kind: "reports-to".into(), to: from.clone(), ..Default::default() });
        if ix.parent_of(&to).is_none() {
            assert_eq!(fields(&looped.unwrap_err()), ["to"], "a loop is refused");
        }
        let removed = plan_remove_relation(&ix, &from, "reports-to", &to).unwrap();
        assert_eq!(removed.recorded.after, None);
        assert!(plan_remove_relation(&ix, &from, "reports-to", "nowhere").is_err());
    }

    #[test]
    fn a_membership_ends_no_earlier_than_it_starts() {
        let ix = riverside();
        let m = ix.register.memberships.iter().find(|m| m.start.is_some()).expect("a dated membership");
        let f = MembershipForm { end_date: "1999-01-01".into(), ..MembershipForm::from_record(&ix, m) };
        let errors = plan_edit_membership(&ix, m.body.as_str(), m.slug.as_str(), &f).unwrap_err();
        assert_eq!(fields(&errors), ["end_date"]);
        let f = MembershipForm { end_date: "2099-01-01".into(), substitutes: "New Person\nnew   person".into(), ..MembershipForm::from_record(&ix, m) };
        let change = plan_edit_membership(&ix, m.body.as_str(), m.slug.as_str(), &f).unwrap();
        assert_eq!(change.writes.len(), 2, "one new person however often named, then the membership");
    }
}
