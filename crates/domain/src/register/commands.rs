//! Changes to the register, planned without I/O: each takes a form as typed,
//! checks it against the register, and either returns a [`Change`] (the
//! records to write, with what each was before and after) or the problems,
//! field by field, in words that say how to fix them.

use crate::change::*;
use crate::forms::*;
use crate::ids::{slugify, Slug};
use crate::permissions::{Actor, Resource};
use crate::recurrence::check_rrule;
use crate::register::forms::*;
use crate::register::model::*;
use crate::register::queries::Index;
use crate::register::visibility::sees_body;
use chrono::NaiveDate;
use serde_json::{json, Value};

/// Finds a person `actor` may see by name (ignoring case and spacing), or
/// plans a new one: a name typed by someone who may not see a confidential
/// person of that name makes a new person, so a form can neither find nor
/// tie anything to someone hidden from whoever fills it in.
pub(crate) fn person_for(ix: &Index, actor: &Actor, name: &str, planned: &mut Vec<Person>) -> Slug {
    let norm = |s: &str| line(s).to_lowercase();
    let named: Vec<&Person> = ix.register.people.iter().chain(planned.iter()).filter(|p| norm(&p.name) == norm(name)).collect();
    if !named.is_empty() {
        // Whom the actor sees is the register's rule, worked out only when a name matches.
        let seen = ix.register.visible_to(actor);
        if let Some(p) = named.iter().find(|p| planned.iter().any(|q| q.slug == p.slug) || seen.people.iter().any(|q| q.slug == p.slug)) {
            return p.slug.clone();
        }
    }
    let slug = free_slug(&slugify(name), |s| ix.person(s).is_some() || planned.iter().any(|p| p.slug.as_str() == s));
    planned.push(Person { slug: slug.clone(), name: line(name), note: None, exempt: None, sources: Vec::new(), example: Vec::new() });
    slug
}

/// What adding a member writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMembership {
    pub membership: Membership,
    /// People named for the first time.
    pub new_people: Vec<Person>,
}

/// A membership as the audit trail shows it: names, not slugs.
pub(crate) fn membership_value(ix: &Index, new_people: &[Person], m: &Membership) -> Value {
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
/// A body that has ended by `today` takes no new members.
pub fn plan_add_membership(ix: &Index, actor: &Actor, body: &str, form: &AddMembershipForm, today: NaiveDate) -> Result<PlannedMembership, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Some(ended) = ix.body(body).filter(|b| !b.is_current(today)).and_then(|b| b.ended.as_ref()) {
        errors.push(err("seat", format!("This body ended ({}): it takes no new members", ended.display())));
    }
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
    let person = person_for(ix, actor, person, &mut new_people);
    let substitutes = if substitute.is_empty() { Vec::new() } else { vec![person_for(ix, actor, substitute, &mut new_people)] };
    let taken = |s: &str| ix.register.memberships.iter().any(|m| m.slug.as_str() == s);
    // A public membership is numbered among its seat's; a confidential one
    // is named so that it reveals nothing, nor shifts the public numbers.
    let slug = match exempt {
        None => (1..).map(|n| slugify(&format!("{body} {} {n}", seat.slug))).find(|s| !taken(s)).and_then(|s| Slug::parse(&s).ok()).expect("a free slug"),
        Some(_) => record_slug(exempt, "membership", &format!("{body} {} {person}", seat.slug), taken),
    };
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
            body: Some(m.body.clone()),
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

/// Plans a change to a membership.
pub fn plan_edit_membership(ix: &Index, actor: &Actor, body: &str, slug: &str, form: &MembershipForm) -> Result<Change, Vec<FieldError>> {
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
        let s = person_for(ix, actor, n, &mut new_people);
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
        body: Some(new.body.clone()),
        before: Some(before),
        after: Some(after),
    };
    let mut writes: Vec<Write> = new_people.into_iter().map(Write::AddPerson).collect();
    writes.push(Write::PutMembership(new));
    Ok(Change { writes, resource: Resource::Membership(old.body.clone()), recorded })
}

// ---- editing a body ----------------------------------------------------------------

/// Plans a change to a body's details.
pub fn plan_edit_body(ix: &Index, body: &str, form: &BodyForm) -> Result<Change, Vec<FieldError>> {
    let Some(old) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let new = body_from_form(ix, form, old, Vec::new())?;
    let recorded = Recorded {
        action: "edit-body",
        record_kind: "body",
        record_id: body.to_owned(),
        body: Some(old.slug.clone()),
        before: Some(to_value(old)),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutBody(Box::new(new))], resource: Resource::Body(old.slug.clone()), recorded })
}

/// A body's details as the form gives them, over `old` (what the form does
/// not show is kept), or the form's problems with `errors` found before.
pub(crate) fn body_from_form(ix: &Index, form: &BodyForm, old: &Body, mut errors: Vec<FieldError>) -> Result<Body, Vec<FieldError>> {
    check_name(&mut errors, "name", &form.name, "Enter the body's name");
    check_len(&mut errors, "short_name", "Short name", form.short_name.trim(), 50);
    let kind = BodyKind::parse(form.kind.trim()).map_err(|_| errors.push(err("kind", "Select what kind of body this is"))).ok();
    check_len(&mut errors, "purpose", "Purpose", form.purpose.trim(), 4000);
    let terms = lines(&mut errors, "terms_of_reference", "Terms of reference", &form.terms_of_reference);
    check_len(&mut errors, "cadence_text", "How often it meets", form.cadence_text.trim(), 200);
    let rule = form.cadence_rule.trim();
    if rule.chars().count() > 500 {
        errors.push(err("cadence_rule", "Meeting rule must be 500 characters or fewer, like FREQ=MONTHLY;BYDAY=2TU"));
    } else if !rule.is_empty() {
        if let Err(e) = check_rrule(rule) {
            errors.push(err("cadence_rule", format!("Meeting rule is not a recurrence rule this register understands: {e}")));
        }
        if form.cadence_text.trim().is_empty() {
            errors.push(err("cadence_text", "Enter how often the body meets, in words, as well as the rule"));
        }
    }
    let first = match form.cadence_first.trim() {
        "" => None,
        f => match crate::forms::written_moment(f) {
            Ok(d) => {
                if !rule.is_empty() && check_rrule(rule).is_ok() {
                    match crate::recurrence::check_schedule(rule, d) {
                        Err(e @ crate::recurrence::ScheduleError::TooOften { .. }) => errors.push(err("cadence_rule", format!("Meeting rule: {e}"))),
                        Err(e) => errors.push(err("cadence_first", format!("First meeting: {e}"))),
                        Ok(()) => {}
                    }
                }
                Some(d)
            }
            Err(_) => {
                errors.push(err("cadence_first", "First meeting must be a day and a time, like 14/01/2027 10am (London time)"));
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
            agrees: old.chair.as_ref().map(|c| c.agrees.clone()).unwrap_or_default(),
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
    Ok(settle_example(old, new))
}

/// A value the officer changes is theirs, no longer the example's: its mark goes.
fn settle_example(old: &Body, mut new: Body) -> Body {
    let first = |b: &Body| b.cadence.as_ref().and_then(|c| c.first);
    let rule = |b: &Body| b.cadence.as_ref().and_then(|c| c.rule.clone());
    let changed = |field: &str| match field {
        "name" => old.name != new.name,
        "short_name" => old.short_name != new.short_name,
        "kind" => old.kind != new.kind,
        "purpose" => old.purpose != new.purpose,
        "terms_of_reference" => old.terms_of_reference != new.terms_of_reference,
        "cadence" => old.cadence != new.cadence,
        "cadence.first" => first(old) != first(&new),
        "cadence.rule" => rule(old) != rule(&new),
        "chair" => old.chair != new.chair,
        "areas" => old.areas != new.areas,
        "agenda_notice_days" => old.agenda_notice_days != new.agenda_notice_days,
        "review_due" => old.review_due != new.review_due,
        _ => false,
    };
    let keep: Vec<String> = new.example.iter().filter(|f| !changed(f)).cloned().collect();
    new.example = keep;
    new
}

// ---- seats -------------------------------------------------------------------------

/// Plans adding a seat (`seat` is `None`) or changing one.
/// The body it sits on behalf of, when one, must be one `actor` may see;
/// a body that has ended by `today` takes no new seats.
pub fn plan_seat(ix: &Index, actor: &Actor, body: &str, seat: Option<&str>, form: &SeatForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let old = match seat {
        Some(slug) => match ix.seats_of(body).find(|s| s.slug.as_str() == slug) {
            Some(s) => Some(s),
            None => return Err(vec![err("seat", "That seat is not in this body")]),
        },
        None => None,
    };
    let mut errors = Vec::new();
    if let (None, Some(ended), false) = (old, &b.ended, b.is_current(today)) {
        errors.push(err("label", format!("{} ended ({}): a body that has ended takes no new seats", b.name, ended.display())));
    }
    let label = line(&form.label);
    if label.is_empty() {
        errors.push(err("label", "Enter what the seat is, like “Chief Executive, Buckinghamshire Council”"));
    }
    check_len(&mut errors, "label", "What the seat is", &label, 200);
    let role = Role::parse(form.role.trim()).map_err(|_| errors.push(err("role", "Select the part the seat plays"))).ok();
    let party = match form.on_behalf_of.trim().split_once(':') {
        None if form.on_behalf_of.trim().is_empty() => None,
        Some(("organisation", s)) if ix.organisation(s).is_some() => Slug::parse(s).ok().map(Party::Organisation),
        Some(("body", s)) if sees_body(&ix.register, actor, s) && s != body => Slug::parse(s).ok().map(Party::Body),
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
            slug: record_slug(exempt, "seat", &slugify(&label), |s| ix.seats_of(body).any(|x| x.slug.as_str() == s)),
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
        body: Some(b.slug.clone()),
        before: old.map(to_value),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutSeat(new)], resource: Resource::Seat(b.slug.clone()), recorded })
}

// ---- relations ---------------------------------------------------------------------

/// Whether following reporting lines up from `from` reaches `to`.
pub(crate) fn reports_up_to(ix: &Index, from: &str, to: &str) -> bool {
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

/// Plans a reporting line or link from `body` to another body, one `actor`
/// may see: a body hidden from them is refused as one that does not exist,
/// and is never named in a refusal.
pub fn plan_add_relation(ix: &Index, actor: &Actor, body: &str, form: &RelationForm) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    let kind = RelationKind::parse(form.kind.trim()).map_err(|_| errors.push(err("kind", "Select how the bodies are related"))).ok();
    let to = form.to.trim();
    let target = ix.body(to).filter(|_| sees_body(&ix.register, actor, to));
    let name_of = |slug: &str| ix.body(slug).filter(|_| sees_body(&ix.register, actor, slug)).map_or("another body", |x| x.name.as_str());
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
                let name = name_of(p.to.as_str());
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
        body: Some(b.slug.clone()),
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
        body: Some(old.from.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{self, DatasetFiles};

    fn riverside() -> Index {
        let files = DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        Index::new(dataset::read(&files).unwrap())
    }

    /// A day on which Riverside's bodies all exist.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
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
        let plan = plan_add_membership(
            &ix,
            &Actor::anonymous(),
            "riverside-partnership-board",
            &form("riverside-cvs", "  Jo   Bloggs ", "2024-06", "Sam Patel"),
            today(),
        )
        .unwrap();
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
        let errors = plan_add_membership(&ix, &Actor::anonymous(), "riverside-partnership-board", &form("", "", "2024-13-01", ""), today()).unwrap_err();
        assert_eq!(fields(&errors), ["seat", "person", "start_date"]);
        let errors = plan_add_membership(&ix, &Actor::anonymous(), "riverside-partnership-board", &form("not-a-seat", "Jo", "", "jo"), today()).unwrap_err();
        assert_eq!(errors[0].message, "Select one of this body's seats");
        assert_eq!(errors[1].message, "A substitute must be someone other than the member");
        let errors = plan_add_membership(&ix, &Actor::anonymous(), "riverside-delivery-group", &form("riverside-cvs", "Jo", "", ""), today()).unwrap_err();
        assert_eq!(errors[0].field, "seat", "a seat of another body is refused");
        let mut f = form("riverside-cvs", "Jo", "", "");
        f.exempt = "9".into();
        assert_eq!(fields(&plan_add_membership(&ix, &Actor::anonymous(), "riverside-partnership-board", &f, today()).unwrap_err()), ["exempt"]);
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
        let change = plan_seat(&ix, &Actor::anonymous(), "riverside-partnership-board", None, &f, today()).unwrap();
        let Write::PutSeat(s) = &change.writes[0] else { panic!("a seat write") };
        assert!(ix.seats_of("riverside-partnership-board").all(|x| x.slug != s.slug), "a new slug, not an existing seat's");
        assert_eq!(change.recorded.action, "add-seat");
        let bad = SeatForm { on_behalf_of: "organisation:nobody".into(), role: "king".into(), ..f };
        assert_eq!(fields(&plan_seat(&ix, &Actor::anonymous(), "riverside-partnership-board", None, &bad, today()).unwrap_err()), ["role", "on_behalf_of"]);
    }

    #[test]
    fn reporting_lines_cannot_loop_or_double() {
        let ix = riverside();
        let child = ix.register.relations.iter().find(|r| r.kind == RelationKind::ReportsTo).expect("riverside has a reporting line");
        let (from, to) = (child.from.to_string(), child.to.to_string());
        let again =
            plan_add_relation(&ix, &Actor::anonymous(), &from, &RelationForm { kind: "reports-to".into(), to: to.clone(), ..Default::default() }).unwrap_err();
        assert_eq!(fields(&again), ["to"]);
        let looped = plan_add_relation(&ix, &Actor::anonymous(), &to, &RelationForm { kind: "reports-to".into(), to: from.clone(), ..Default::default() });
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
        let errors = plan_edit_membership(&ix, &Actor::anonymous(), m.body.as_str(), m.slug.as_str(), &f).unwrap_err();
        assert_eq!(fields(&errors), ["end_date"]);
        let f = MembershipForm { end_date: "2099-01-01".into(), substitutes: "New Person\nnew   person".into(), ..MembershipForm::from_record(&ix, m) };
        let change = plan_edit_membership(&ix, &Actor::anonymous(), m.body.as_str(), m.slug.as_str(), &f).unwrap();
        assert_eq!(change.writes.len(), 2, "one new person however often named, then the membership");
    }
}
