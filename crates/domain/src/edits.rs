//! Changes to the register, planned without I/O: each takes a form as typed,
//! checks it against the register, and either returns the records to write
//! or the problems, field by field, in words that say how to fix them.

use crate::ids::{slugify, PartialDate, Slug};
use crate::queries::Index;
use crate::register::{Membership, Person};

/// A problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// "Add a member" as typed into the form.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct AddMembershipForm {
    #[serde(default)]
    pub seat: String,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub substitute: String,
}

/// What adding a member writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMembership {
    pub membership: Membership,
    /// People named for the first time.
    pub new_people: Vec<Person>,
}

/// Finds a person by name (ignoring case and spacing), or plans a new one.
fn person_for(ix: &Index, name: &str, planned: &mut Vec<Person>) -> Slug {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if let Some(p) = ix.register.people.iter().chain(planned.iter()).find(|p| norm(&p.name) == norm(name)) {
        return p.slug.clone();
    }
    let base = slugify(name);
    let taken = |s: &str| ix.person(s).is_some() || planned.iter().any(|p| p.slug.as_str() == s);
    let slug = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|s| !taken(s)).expect("a free slug");
    let slug = Slug::parse(&slug).expect("slugify makes slugs");
    planned.push(Person { slug: slug.clone(), name: name.split_whitespace().collect::<Vec<_>>().join(" "), note: None });
    slug
}

/// Plans adding a member, with an optional named substitute, to a body's seat.
pub fn plan_add_membership(ix: &Index, body: &str, form: &AddMembershipForm) -> Result<PlannedMembership, Vec<FieldError>> {
    let mut errors = Vec::new();
    let seat = ix.seats_of(body).find(|s| s.slug.as_str() == form.seat.trim());
    if seat.is_none() {
        errors.push(err("seat", if form.seat.trim().is_empty() { "Select the seat the member will hold" } else { "Select one of this body's seats" }));
    }
    let person = form.person.trim();
    if person.is_empty() {
        errors.push(err("person", "Enter the member's full name"));
    } else if person.chars().count() > 200 {
        errors.push(err("person", "Name must be 200 characters or fewer"));
    }
    let start = form.start_date.trim();
    let start = if start.is_empty() {
        None
    } else {
        match PartialDate::parse(start) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(err("start_date", "Date the membership starts must be a real date, like 2024-05-01 (or just 2024-05)"));
                None
            }
        }
    };
    let substitute = form.substitute.trim();
    if substitute.chars().count() > 200 {
        errors.push(err("substitute", "Name must be 200 characters or fewer"));
    } else if !substitute.is_empty() && substitute.to_lowercase() == person.to_lowercase() {
        errors.push(err("substitute", "A substitute must be someone other than the member"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let seat = seat.expect("checked above");
    let mut new_people = Vec::new();
    let person = person_for(ix, person, &mut new_people);
    let substitutes = if substitute.is_empty() { Vec::new() } else { vec![person_for(ix, substitute, &mut new_people)] };
    let taken = |s: &str| ix.register.memberships.iter().any(|m| m.slug.as_str() == s);
    let slug = (1..)
        .map(|n| slugify(&format!("{body} {} {n}", seat.slug)))
        .find(|s| !taken(s))
        .and_then(|s| Slug::parse(&s).ok())
        .expect("a free slug");
    Ok(PlannedMembership {
        membership: Membership { slug, body: seat.body.clone(), seat: seat.slug.clone(), person: Some(person), start, end: None, substitutes },
        new_people,
    })
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
        AddMembershipForm { seat: seat.into(), person: person.into(), start_date: start.into(), substitute: sub.into() }
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
    }

    #[test]
    fn every_bad_field_is_named_with_how_to_fix_it() {
        let ix = riverside();
        let errors = plan_add_membership(&ix, "riverside-partnership-board", &form("", "", "2024-13-01", "")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["seat", "person", "start_date"]);
        let errors = plan_add_membership(&ix, "riverside-partnership-board", &form("not-a-seat", "Jo", "", "jo")).unwrap_err();
        assert_eq!(errors[0].message, "Select one of this body's seats");
        assert_eq!(errors[1].message, "A substitute must be someone other than the member");
        let errors = plan_add_membership(&ix, "riverside-delivery-group", &form("riverside-cvs", "Jo", "", "")).unwrap_err();
        assert_eq!(errors[0].field, "seat", "a seat of another body is refused");
    }
}
