//! The register kept in the portal by its keeper: bodies set up and ended,
//! and posts (a councillor's among them) with whoever holds them. Each is
//! planned without I/O, like the secretariat's commands: checked against the
//! register, refused field by field, or a [`Change`] with its audit entry.

use crate::change::*;
use crate::forms::*;
use crate::ids::{slugify, PartialDate, Slug};
use crate::permissions::{Actor, Resource};
use crate::places::model::{Area, AreaKind};
use crate::register::commands::{body_from_form, person_for};
use crate::register::forms::*;
use crate::register::model::*;
use crate::register::queries::Index;
use crate::register::visibility::sees_body;
use serde_json::json;

/// The area a person means by `text`: its code, or its name.
pub(crate) fn area_named<'a>(ix: &'a Index, text: &str) -> Result<&'a Area, String> {
    crate::places::commands::area_named(&ix.register.areas, text)
}

/// A body of the register that `actor` may see, chosen in a list.
fn chosen_body<'a>(ix: &'a Index, actor: &Actor, errors: &mut Vec<FieldError>, field: &'static str, slug: &str) -> Option<&'a Body> {
    let s = slug.trim();
    if s.is_empty() {
        return None;
    }
    let found = ix.body(s).filter(|_| sees_body(&ix.register, actor, s));
    if found.is_none() {
        errors.push(err(field, "Select one of the bodies listed, or none"));
    }
    found
}

// ---- setting up a body -------------------------------------------------------------

/// Plans a new body: its record, its seats (a chair's seat first where it has
/// a chair), its chair's membership when named, its reporting line, and the
/// body it replaces.
pub fn plan_create_body(ix: &Index, actor: &Actor, form: &NewBodyForm) -> Result<Change, Vec<FieldError>> {
    let mut errors = Vec::new();
    let established = date(&mut errors, "established", "Date the body was established", &form.established);
    let parent = chosen_body(ix, actor, &mut errors, "reports_to", &form.reports_to);
    let replaces = chosen_body(ix, actor, &mut errors, "replaces", &form.replaces);
    if let Some(p) = parent {
        if p.ended.is_some() {
            errors.push(err("reports_to", format!("{} has ended: select a body that still exists", p.name)));
        }
    }
    let mut areas: Vec<String> = Vec::new();
    for a in lines(&mut errors, "areas", "Areas", &form.areas) {
        match area_named(ix, &a) {
            Ok(area) if !areas.contains(&area.code) => areas.push(area.code.clone()),
            Ok(_) => {}
            Err(e) => errors.push(err("areas", e)),
        }
    }
    let seat_labels = lines(&mut errors, "seats", "Seats", &form.seats);
    if seat_labels.iter().any(|l| l.chars().count() > 200) {
        errors.push(err("seats", "Each seat must be 200 characters or fewer"));
    }
    let chair_person = line(&form.chair_person);
    check_len(&mut errors, "chair_person", "Name", &chair_person, 200);
    let name = line(&form.details.name);
    let slug = free_slug(&slugify(&name), |s| ix.body(s).is_some());
    let blank = Body {
        slug: slug.clone(),
        name: String::new(),
        short_name: None,
        kind: BodyKind::Partnership,
        statutory: false,
        purpose: None,
        terms_of_reference: Vec::new(),
        operation: Vec::new(),
        cadence: None,
        chair: None,
        decisions: DecisionRules::default(),
        agenda_notice_days: None,
        publication: Vec::new(),
        secretariat: None,
        accountable_body: None,
        groups: Vec::new(),
        established,
        ended: None,
        review_due: None,
        review: None,
        membership_notes: Vec::new(),
        powers: Vec::new(),
        escalation: Vec::new(),
        areas,
        standing_items: Vec::new(),
        sources: Vec::new(),
        example: Vec::new(),
        note: None,
        exempt: None,
    };
    let body = body_from_form(ix, &form.details, &blank, errors)?;
    let chaired = body.chair.as_ref().is_some_and(|c| c.kind != ChairKind::NotStated);
    if !chair_person.is_empty() && !body.chair.as_ref().is_some_and(|c| matches!(c.kind, ChairKind::Appointed | ChairKind::Elected)) {
        return Err(vec![err("chair_person", "Name a chair only for an appointed or elected chair; an ex officio chair is whoever holds the post")]);
    }
    let mut seats: Vec<Seat> = Vec::new();
    let seat = |label: &str, role: Role, taken: &[Seat]| Seat {
        body: slug.clone(),
        slug: free_slug(&slugify(label), |s| taken.iter().any(|x| x.slug.as_str() == s)),
        label: label.to_owned(),
        source_text: label.to_owned(),
        role,
        on_behalf_of: None,
        post: None,
        groups: Vec::new(),
        note: None,
        exempt: body.exempt,
    };
    if chaired {
        let mut chair = seat("Chair", Role::Chair, &seats);
        chair.post = body.chair.as_ref().and_then(|c| c.post.clone());
        seats.push(chair);
    }
    for label in &seat_labels {
        let s = seat(label, Role::Member, &seats);
        seats.push(s);
    }
    let mut writes = vec![Write::AddBody(Box::new(body.clone()))];
    let mut new_people = Vec::new();
    let chair_membership = (!chair_person.is_empty()).then(|| {
        let person = person_for(ix, actor, &chair_person, &mut new_people);
        Membership {
            slug: Slug::parse(&format!("{slug}-chair-1")).expect("a slug"),
            body: slug.clone(),
            seat: seats[0].slug.clone(),
            person: Some(person),
            start: body.established.clone(),
            end: None,
            substitutes: Vec::new(),
            exempt: body.exempt,
        }
    });
    writes.extend(seats.iter().cloned().map(Write::PutSeat));
    writes.extend(new_people.into_iter().map(Write::AddPerson));
    writes.extend(chair_membership.clone().map(Write::PutMembership));
    let relation = |kind, to: &Body| Relation { kind, from: slug.clone(), to: to.slug.clone(), note: None, exempt: body.exempt };
    if let Some(p) = parent {
        writes.push(Write::PutRelation(relation(RelationKind::ReportsTo, p)));
    }
    if let Some(r) = replaces {
        writes.push(Write::PutRelation(relation(RelationKind::Replaces, r)));
    }
    let after = json!({
        "body": to_value(&body),
        "seats": seats.iter().map(|s| format!("{} ({})", s.label, s.role.label())).collect::<Vec<_>>(),
        "chair": (!chair_person.is_empty()).then_some(chair_person),
        "reports_to": parent.map(|p| p.name.clone()),
        "replaces": replaces.map(|r| r.name.clone()),
    });
    let recorded =
        Recorded { action: "create-body", record_kind: "body", record_id: slug.to_string(), body: Some(slug.clone()), before: None, after: Some(after) };
    Ok(Change { writes, resource: Resource::Register, recorded })
}

// ---- ending a body -----------------------------------------------------------------

/// Plans ending a body: it ends on the day given, and every membership of it
/// still open then ends with it. Its history stays.
pub fn plan_end_body(ix: &Index, actor: &Actor, body: &str, form: &EndBodyForm) -> Result<Change, Vec<FieldError>> {
    let Some(old) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    let ended = date(&mut errors, "ended", "Date the body ends", &form.ended);
    if ended.is_none() && form.ended.trim().is_empty() {
        errors.push(err("ended", "Enter the date the body ends, like 31/3/2026"));
    }
    if let (Some(e), Some(s)) = (&ended, &old.established) {
        if before(e, s) {
            errors.push(err("ended", format!("Date the body ends must be the same as or after the date it was established ({})", s.display())));
        }
    }
    if old.ended.is_some() {
        errors.push(err("ended", format!("{} has already ended ({})", old.name, old.ended.as_ref().map(|d| d.display()).unwrap_or_default())));
    }
    let successor = chosen_body(ix, actor, &mut errors, "replaced_by", &form.replaced_by);
    if successor.is_some_and(|s| s.slug.as_str() == body) {
        errors.push(err("replaced_by", "A body cannot replace itself"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let ended = ended.expect("checked");
    let new = Body { ended: Some(ended.clone()), ..old.clone() };
    let mut writes = vec![Write::PutBody(Box::new(new))];
    let mut closed = Vec::new();
    for m in ix.register.memberships.iter().filter(|m| m.body.as_str() == body) {
        let open = m.end.as_ref().is_none_or(|e| before(&ended, e));
        if open {
            closed.push(m.slug.to_string());
            writes.push(Write::PutMembership(Membership { end: Some(ended.clone()), ..m.clone() }));
        }
    }
    if let Some(s) = successor {
        if !ix.register.relations.iter().any(|r| r.kind == RelationKind::Replaces && r.from == s.slug && r.to == old.slug) {
            writes.push(Write::PutRelation(Relation {
                kind: RelationKind::Replaces,
                from: s.slug.clone(),
                to: old.slug.clone(),
                note: None,
                exempt: old.exempt,
            }));
        }
    }
    let recorded = Recorded {
        action: "end-body",
        record_kind: "body",
        record_id: body.to_owned(),
        body: Some(old.slug.clone()),
        before: Some(json!({ "ended": old.ended })),
        after: Some(json!({ "ended": ended, "memberships_ended": closed, "replaced_by": successor.map(|s| s.name.clone()) })),
    };
    Ok(Change { writes, resource: Resource::Register, recorded })
}

/// Whether `a` comes before `b`, at the precision both give.
fn before(a: &PartialDate, b: &PartialDate) -> bool {
    let n = a.as_str().len().min(b.as_str().len());
    a.as_str()[..n] < b.as_str()[..n]
}

// ---- posts and their holders -------------------------------------------------------

/// Plans a new post (`post` is `None`) or a change to one: its title, what it
/// belongs to, the ward or division a councillor's post represents, and who
/// holds it, from when, for which party. A new holder of an ex officio post
/// takes its seats with it: seats name the post, not the person.
pub fn plan_post(ix: &Index, actor: &Actor, post: Option<&str>, form: &PostForm) -> Result<Change, Vec<FieldError>> {
    let old = match post {
        Some(slug) => match ix.post(slug) {
            Some(p) => Some(p),
            None => return Err(vec![err("post", "There is no such post")]),
        },
        None => None,
    };
    let mut errors = Vec::new();
    let title = line(&form.title);
    if title.is_empty() {
        errors.push(err("title", "Enter the post's title, like “Councillor” or “Chief Executive”"));
    }
    check_len(&mut errors, "title", "Title", &title, 200);
    let of = match form.of.trim().split_once(':') {
        Some(("organisation", s)) if ix.organisation(s).is_some() => Slug::parse(s).ok().map(Party::Organisation),
        Some(("body", s)) if ix.body(s).is_some() && sees_body(&ix.register, actor, s) => Slug::parse(s).ok().map(Party::Body),
        _ => {
            errors.push(err("of", "Select the organisation or body the post belongs to"));
            None
        }
    };
    let area = match form.area.trim() {
        "" => None,
        a => match area_named(ix, a) {
            Ok(area) if matches!(area.kind, AreaKind::Ward | AreaKind::ElectoralDivision) || !title.to_lowercase().starts_with("councillor") => {
                Some(area.code.clone())
            }
            Ok(area) => {
                errors.push(err(
                    "area",
                    format!("{} is a {}: a councillor's post is for a ward or an electoral division", area.name, area.kind.label().to_lowercase()),
                ));
                None
            }
            Err(e) => {
                errors.push(err("area", e));
                None
            }
        },
    };
    let holder = line(&form.holder);
    check_len(&mut errors, "holder", "Name", &holder, 200);
    let party = opt_line(&form.party);
    check_len(&mut errors, "party", "Party", party.as_deref().unwrap_or(""), 100);
    let start = date(&mut errors, "start_date", "Date they took the post", &form.start_date);
    let end = date(&mut errors, "end_date", "Date they leave the post", &form.end_date);
    if let (Some(s), Some(e)) = (&start, &end) {
        if before(e, s) {
            errors.push(err("end_date", format!("Date they leave the post must be the same as or after the date they took it ({})", s.display())));
        }
    }
    if holder.is_empty() && (party.is_some() || start.is_some() || end.is_some()) {
        errors.push(err("holder", "Enter who holds the post, or leave the party and dates empty for a vacant post"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut new_people = Vec::new();
    let holder = (!holder.is_empty()).then(|| person_for(ix, actor, &holder, &mut new_people));
    let base = match old {
        Some(o) => o.clone(),
        None => {
            let of_name = of.as_ref().map(|p| ix.party_name(p).to_owned()).unwrap_or_default();
            let place = area.as_ref().and_then(|a| ix.area(a)).map_or(of_name, |a| a.name.clone());
            Post::new(free_slug(&slugify(&format!("{title} {place}")), |s| ix.post(s).is_some()), title.clone(), of.clone().expect("checked"))
        }
    };
    let new = Post { title, of: of.expect("checked"), area, holder, party, start, end, ..base };
    let view = |p: &Post, people: &[Person]| {
        let name = |s: &Slug| people.iter().find(|x| &x.slug == s).map(|x| x.name.clone()).or_else(|| ix.person(s.as_str()).map(|x| x.name.clone()));
        json!({
            "title": p.title, "of": ix.party_name(&p.of), "area": p.area.as_ref().and_then(|a| ix.area(a)).map(|a| a.name.clone()),
            "holder": p.holder.as_ref().and_then(name), "party": p.party, "start_date": p.start, "end_date": p.end,
        })
    };
    let recorded = Recorded {
        action: if old.is_some() { "edit-post" } else { "add-post" },
        record_kind: "post",
        record_id: new.slug.to_string(),
        body: match &new.of {
            Party::Body(b) => Some(b.clone()),
            Party::Organisation(_) => None,
        },
        before: old.map(|o| view(o, &[])),
        after: Some(view(&new, &new_people)),
    };
    let mut writes: Vec<Write> = new_people.into_iter().map(Write::AddPerson).collect();
    writes.push(Write::PutPost(new));
    Ok(Change { writes, resource: Resource::Post, recorded })
}

// ---- organisations -----------------------------------------------------------------

/// Plans a new partner organisation (`org` is `None`) or a change to one:
/// its name, kind and sector, the organisation it is part of (never itself,
/// nor one part of it), and the day it ended.
pub fn plan_organisation(ix: &Index, org: Option<&str>, form: &OrganisationForm) -> Result<Change, Vec<FieldError>> {
    let old = match org {
        Some(slug) => match ix.organisation(slug) {
            Some(o) => Some(o),
            None => return Err(vec![err("name", "There is no such organisation")]),
        },
        None => None,
    };
    let mut errors = Vec::new();
    let name = line(&form.name);
    check_name(&mut errors, "name", &name, "Enter the organisation's name");
    check_len(&mut errors, "name", "Name", &name, 200);
    let short_name = opt_line(&form.short_name);
    check_len(&mut errors, "short_name", "Short name", short_name.as_deref().unwrap_or(""), 50);
    if old.is_none() && ix.register.organisations.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
        errors.push(err("name", format!("{name} is already in the register: change it there instead")));
    }
    let kind = OrganisationKind::parse(form.kind.trim()).map_err(|_| errors.push(err("kind", "Select what kind of organisation it is"))).ok();
    let sector = Sector::parse(form.sector.trim()).map_err(|_| errors.push(err("sector", "Select its sector"))).ok();
    let parent = match form.parent.trim() {
        "" => None,
        p => match ix.organisation(p) {
            None => {
                errors.push(err("parent", "Select one of the organisations listed, or none"));
                None
            }
            Some(parent) => {
                // Walk up from the chosen parent: reaching this organisation would make a loop.
                let mut at = Some(parent);
                let mut seen = 0;
                let mut looped = false;
                while let (Some(a), Some(me)) = (at, org) {
                    if a.slug.as_str() == me {
                        looped = true;
                        break;
                    }
                    seen += 1;
                    at = a.parent.as_ref().and_then(|p| ix.organisation(p.as_str())).filter(|_| seen < 1000);
                }
                if looped {
                    errors.push(err(
                        "parent",
                        format!("{} is part of {}: an organisation cannot be part of itself", parent.name, old.map_or("it", |o| o.name.as_str())),
                    ));
                    None
                } else {
                    Some(parent.slug.clone())
                }
            }
        },
    };
    let ended = date(&mut errors, "ended", "Date it ended", &form.ended);
    let note = opt_line(&form.note);
    check_len(&mut errors, "note", "Note", note.as_deref().unwrap_or(""), 1000);
    if !errors.is_empty() {
        return Err(errors);
    }
    let slug = old.map_or_else(|| free_slug(&slugify(&name), |s| ix.organisation(s).is_some()), |o| o.slug.clone());
    let (kind, sector) = (kind.expect("checked"), sector.expect("checked"));
    // A value the keeper changes is theirs, no longer the example's.
    let example = old
        .map(|o| {
            o.example
                .iter()
                .filter(|f| match f.as_str() {
                    "name" => o.name == name,
                    "short_name" => o.short_name == short_name,
                    "kind" => o.kind == kind,
                    "sector" => o.sector == sector,
                    "parent" => o.parent == parent,
                    "ended" => o.ended == ended,
                    _ => true,
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let new = Organisation {
        slug: slug.clone(),
        name,
        short_name,
        kind,
        sector,
        parent,
        ended,
        note,
        sources: old.map(|o| o.sources.clone()).unwrap_or_default(),
        example,
    };
    let view = |o: &Organisation| {
        json!({
            "name": o.name, "short_name": o.short_name, "kind": o.kind.label(), "sector": o.sector.label(),
            "parent": o.parent.as_ref().and_then(|p| ix.organisation(p.as_str())).map(|p| p.name.clone()), "ended": o.ended, "note": o.note,
        })
    };
    let recorded = Recorded {
        action: if old.is_some() { "edit-organisation" } else { "add-organisation" },
        record_kind: "organisation",
        record_id: slug.to_string(),
        body: None,
        before: old.map(view),
        after: Some(view(&new)),
    };
    Ok(Change { writes: vec![Write::PutOrganisation(new)], resource: Resource::Organisation, recorded })
}

// ---- people ------------------------------------------------------------------------

/// Plans a change to a person's name or note (people are added by naming
/// them as a member or a post's holder). Their seats and posts follow them:
/// those name the person, not the name.
pub fn plan_person(ix: &Index, person: &str, form: &PersonForm) -> Result<Change, Vec<FieldError>> {
    let Some(old) = ix.person(person) else { return Err(vec![err("name", "There is no such person")]) };
    let mut errors = Vec::new();
    let name = line(&form.name);
    check_name(&mut errors, "name", &name, "Enter the person's full name");
    check_len(&mut errors, "name", "Name", &name, 200);
    let note = opt_line(&form.note);
    check_len(&mut errors, "note", "Note", note.as_deref().unwrap_or(""), 1000);
    if !errors.is_empty() {
        return Err(errors);
    }
    let example = old.example.iter().filter(|f| f.as_str() != "name" || old.name == name).cloned().collect();
    let new = Person { name, note, example, ..old.clone() };
    let view = |p: &Person| json!({ "name": p.name, "note": p.note });
    let recorded = Recorded {
        action: "edit-person",
        record_kind: "person",
        record_id: old.slug.to_string(),
        body: None,
        before: Some(view(old)),
        after: Some(view(&new)),
    };
    Ok(Change { writes: vec![Write::PutPerson(new)], resource: Resource::Person, recorded })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{self, DatasetFiles};
    use crate::permissions::Grant;

    fn riverside() -> Index {
        let files = DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        Index::new(dataset::read(&files).unwrap())
    }

    fn keeper() -> Actor {
        Actor::with([Grant::Registrar])
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field).collect()
    }

    fn new_body(name: &str) -> NewBodyForm {
        NewBodyForm {
            details: BodyForm { name: name.into(), kind: "ward-partnership".into(), chair_kind: "appointed".into(), ..Default::default() },
            established: "1/9/2026".into(),
            seats: "Member, Thames Valley Police\nMember, a registered provider\n\nMember, the voluntary sector".into(),
            chair_person: "Pat Example".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_body_comes_with_its_seats_chair_and_reporting_line() {
        let ix = riverside();
        let parent = ix.register.bodies[0].slug.to_string();
        let area = ix.register.areas.iter().find(|a| a.kind == AreaKind::Ward).expect("riverside has a ward");
        let form = NewBodyForm { reports_to: parent.clone(), areas: area.name.to_uppercase(), ..new_body("Northside Ward Partnership") };
        let change = plan_create_body(&ix, &keeper(), &form).unwrap();
        assert_eq!(change.resource, Resource::Register);
        let Write::AddBody(b) = &change.writes[0] else { panic!("the body first") };
        assert_eq!(b.slug.as_str(), "northside-ward-partnership");
        assert_eq!(b.areas, std::slice::from_ref(&area.code), "the area found by its name, whatever its case");
        assert_eq!(b.established.as_ref().unwrap().as_str(), "2026-09-01");
        let seats: Vec<(&str, Role)> = change
            .writes
            .iter()
            .filter_map(|w| match w {
                Write::PutSeat(s) => Some((s.label.as_str(), s.role)),
                _ => None,
            })
            .collect();
        assert_eq!(seats.len(), 4, "a chair's seat and three members': {seats:?}");
        assert_eq!(seats[0], ("Chair", Role::Chair));
        assert!(change.writes.iter().any(|w| matches!(w, Write::AddPerson(p) if p.name == "Pat Example")));
        assert!(change.writes.iter().any(|w| matches!(w, Write::PutMembership(m) if m.seat.as_str() == "chair")));
        assert!(change.writes.iter().any(|w| matches!(w, Write::PutRelation(r) if r.kind == RelationKind::ReportsTo && r.to.as_str() == parent)));
        let mut reg = ix.register.clone();
        for w in &change.writes {
            w.apply_to(&mut reg).unwrap();
        }
        assert!(plan_create_body(&Index::new(reg), &keeper(), &form).is_ok(), "a second body of one name gets a slug of its own");
    }

    #[test]
    fn a_new_body_is_refused_field_by_field() {
        let ix = riverside();
        let form = NewBodyForm {
            details: BodyForm { name: " ".into(), kind: "club".into(), chair_kind: "appointed".into(), ..Default::default() },
            established: "someday".into(),
            reports_to: "nowhere".into(),
            areas: "Atlantis".into(),
            ..Default::default()
        };
        let errors = plan_create_body(&ix, &keeper(), &form).unwrap_err();
        assert_eq!(fields(&errors), ["established", "reports_to", "areas", "name", "kind"]);
        assert!(errors[2].message.contains("Atlantis"), "{}", errors[2].message);
    }

    #[test]
    fn ending_a_body_ends_its_open_memberships_and_keeps_the_past() {
        let ix = riverside();
        let b = ix.register.bodies.iter().find(|b| ix.register.memberships.iter().any(|m| m.body == b.slug && m.end.is_none())).expect("a body with members");
        let open = ix.register.memberships.iter().filter(|m| m.body == b.slug && m.end.is_none()).count();
        let change = plan_end_body(&ix, &keeper(), b.slug.as_str(), &EndBodyForm { ended: "31/3/2027".into(), ..Default::default() }).unwrap();
        let ended: Vec<&Membership> = change
            .writes
            .iter()
            .filter_map(|w| match w {
                Write::PutMembership(m) => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(ended.len(), open);
        assert!(ended.iter().all(|m| m.end.as_ref().unwrap().as_str() == "2027-03-31"));
        let before_start = plan_end_body(&ix, &keeper(), b.slug.as_str(), &EndBodyForm { ended: "1/1/1900".into(), ..Default::default() });
        if b.established.is_some() {
            assert_eq!(fields(&before_start.unwrap_err()), ["ended"]);
        }
        assert_eq!(fields(&plan_end_body(&ix, &keeper(), b.slug.as_str(), &EndBodyForm::default()).unwrap_err()), ["ended"]);
    }

    #[test]
    fn a_councillor_post_is_for_a_ward_or_division_only() {
        let ix = riverside();
        let org = &ix.register.organisations[0];
        let ward = ix.register.areas.iter().find(|a| a.kind == AreaKind::Ward).expect("a ward");
        let other = ix.register.areas.iter().find(|a| !matches!(a.kind, AreaKind::Ward | AreaKind::ElectoralDivision)).expect("an area that is not a ward");
        let form = PostForm {
            title: "Councillor".into(),
            of: format!("organisation:{}", org.slug),
            area: ward.code.clone(),
            holder: "Sam Councillor".into(),
            party: "Independent".into(),
            start_date: "8/5/2025".into(),
            ..Default::default()
        };
        let change = plan_post(&ix, &keeper(), None, &form).unwrap();
        let Some(Write::PutPost(p)) = change.writes.last() else { panic!("a post write") };
        assert_eq!(p.area.as_deref(), Some(ward.code.as_str()));
        assert_eq!(p.party.as_deref(), Some("Independent"));
        assert!(p.holder.is_some());
        let bad = PostForm { area: other.code.clone(), end_date: "1/1/2020".into(), ..form.clone() };
        assert_eq!(fields(&plan_post(&ix, &keeper(), None, &bad).unwrap_err()), ["area", "end_date"]);
        let vacant_with_party = PostForm { holder: String::new(), ..form };
        assert_eq!(fields(&plan_post(&ix, &keeper(), None, &vacant_with_party).unwrap_err()), ["holder"]);
    }

    #[test]
    fn a_body_that_has_ended_takes_no_new_seats_or_members() {
        let ix = riverside();
        let b = ix.register.bodies.iter().find(|b| ix.seats_of(b.slug.as_str()).next().is_some()).expect("a body with seats");
        let change = plan_end_body(&ix, &keeper(), b.slug.as_str(), &EndBodyForm { ended: "31/3/2027".into(), ..Default::default() }).unwrap();
        let mut reg = ix.register.clone();
        for w in &change.writes {
            w.apply_to(&mut reg).unwrap();
        }
        let ended = Index::new(reg);
        let seat = SeatForm { label: "Another member".into(), role: "member".into(), ..Default::default() };
        let after = chrono::NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
        let errors = crate::register::plan_seat(&ended, &keeper(), b.slug.as_str(), None, &seat, after).unwrap_err();
        assert_eq!(fields(&errors), ["label"]);
        assert!(errors[0].message.contains("ended"), "{}", errors[0].message);
        let s = ended.seats_of(b.slug.as_str()).next().unwrap().slug.to_string();
        let member = AddMembershipForm { seat: s, person: "New Person".into(), ..Default::default() };
        assert_eq!(fields(&crate::register::plan_add_membership(&ended, &keeper(), b.slug.as_str(), &member, after).unwrap_err()), ["seat"]);
        // Until its last day it is still a body: its end is set, not yet come.
        let last_day = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        assert!(crate::register::plan_seat(&ended, &keeper(), b.slug.as_str(), None, &seat, last_day).is_ok());
        assert!(crate::register::plan_add_membership(&ended, &keeper(), b.slug.as_str(), &member, last_day).is_ok());
        assert_eq!(
            fields(&plan_end_body(&ended, &keeper(), b.slug.as_str(), &EndBodyForm { ended: "1/4/2027".into(), ..Default::default() }).unwrap_err()),
            ["ended"]
        );
    }
}
