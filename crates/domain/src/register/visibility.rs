//! What of the register an actor may see: bodies, people, posts, seats,
//! memberships and relations. The rule the other capabilities' filters build
//! on ([`Seen`]), so a meeting's attendance or a decision's body is judged
//! by the same answer as the register's own pages.

use crate::council::Register;
use crate::ids::Slug;
use crate::permissions::{can, Action, Actor, Resource};
use crate::register::model::{Party, Person};
use std::collections::HashSet;

/// Whether `actor` sees a record that is exempt or not, of this resource.
pub fn sees(actor: &Actor, exempt: bool, resource: Resource) -> bool {
    !exempt || can(actor, Action::ViewConfidential, &resource)
}

/// Whether `actor` may see the body `slug` at all (a body not in the
/// register is not seen either).
pub fn sees_body(reg: &Register, actor: &Actor, slug: &str) -> bool {
    reg.bodies.iter().find(|b| b.slug.as_str() == slug).is_some_and(|b| sees(actor, b.exempt.is_some(), Resource::Body(b.slug.clone())))
}

/// Whether `actor` sees the person `p`: anyone public; a confidential one
/// only with the right to see every confidential person (administrators), or
/// through a body the person sits on (as a member or a named substitute, or
/// holding one of its posts) whose confidential records the actor sees.
pub fn sees_person(reg: &Register, actor: &Actor, p: &Person) -> bool {
    if p.exempt.is_none() || can(actor, Action::ViewConfidential, &Resource::Person) {
        return true;
    }
    let opens = |body: &Slug| can(actor, Action::ViewConfidential, &Resource::Membership(body.clone()));
    reg.memberships.iter().any(|m| (m.person.as_ref() == Some(&p.slug) || m.substitutes.contains(&p.slug)) && opens(&m.body))
        || reg.posts.iter().any(|x| x.holder.as_ref() == Some(&p.slug) && matches!(&x.of, Party::Body(b) if opens(b)))
}

/// What of the register survived the filter: the keys the other
/// capabilities' filters check their records against.
#[derive(Debug, Default)]
pub struct Seen {
    pub bodies: HashSet<Slug>,
    pub people: HashSet<Slug>,
    /// Seats, as (body, seat).
    pub seats: HashSet<(Slug, Slug)>,
    /// Memberships the actor may not see, as (body, seat, person): whoever
    /// sits or stands in by one of them must not be shown sitting there.
    pub hidden_sittings: HashSet<(Slug, Slug, Slug)>,
}

impl Seen {
    /// Whether `person` holds (or stands in for) a hidden membership of
    /// `body`: in `seat`, or in any seat when none is given.
    pub fn sits_hidden(&self, body: &Slug, seat: Option<&Slug>, person: &Slug) -> bool {
        self.hidden_sittings.iter().any(|(b, s, p)| b == body && p == person && seat.is_none_or(|x| x == s))
    }
}

/// Takes out of `out` (a copy of `full`) every register record `actor` may
/// not see, with everything that would give it away (a hidden body's seats,
/// memberships, posts and relations; a hidden person's memberships, posts and
/// substitute places), and says what is left.
pub fn filter(full: &Register, out: &mut Register, actor: &Actor) -> Seen {
    let bodies: HashSet<Slug> =
        full.bodies.iter().filter(|b| sees(actor, b.exempt.is_some(), Resource::Body(b.slug.clone()))).map(|b| b.slug.clone()).collect();
    let people: HashSet<Slug> = full.people.iter().filter(|p| sees_person(full, actor, p)).map(|p| p.slug.clone()).collect();
    let party_ok = |p: &Party| match p {
        Party::Body(b) => bodies.contains(b),
        Party::Organisation(_) => true,
    };
    out.bodies.retain(|b| bodies.contains(&b.slug));
    out.posts.retain(|p| party_ok(&p.of));
    for p in &mut out.posts {
        if p.holder.as_ref().is_some_and(|h| !people.contains(h)) {
            p.holder = None;
        }
    }
    let posts: HashSet<Slug> = out.posts.iter().map(|p| p.slug.clone()).collect();
    out.seats.retain(|s| {
        bodies.contains(&s.body) && s.on_behalf_of.as_ref().is_none_or(party_ok) && sees(actor, s.exempt.is_some(), Resource::Seat(s.body.clone()))
    });
    for s in &mut out.seats {
        if s.post.as_ref().is_some_and(|p| !posts.contains(p)) {
            s.post = None;
        }
    }
    for b in &mut out.bodies {
        if let Some(chair) = &mut b.chair {
            if chair.post.as_ref().is_some_and(|p| !posts.contains(p)) {
                chair.post = None;
            }
        }
    }
    let seats: HashSet<(Slug, Slug)> = out.seats.iter().map(|s| (s.body.clone(), s.slug.clone())).collect();
    out.memberships.retain(|m| {
        seats.contains(&(m.body.clone(), m.seat.clone()))
            && m.person.as_ref().is_none_or(|p| people.contains(p))
            && sees(actor, m.exempt.is_some(), Resource::Membership(m.body.clone()))
    });
    for m in &mut out.memberships {
        m.substitutes.retain(|s| people.contains(s));
    }
    let kept: HashSet<&Slug> = out.memberships.iter().map(|m| &m.slug).collect();
    let hidden_sittings = full
        .memberships
        .iter()
        .filter(|m| !kept.contains(&m.slug))
        .flat_map(|m| m.person.iter().chain(&m.substitutes).map(move |p| (m.body.clone(), m.seat.clone(), p.clone())))
        .collect();
    out.relations.retain(|r| bodies.contains(&r.from) && bodies.contains(&r.to) && sees(actor, r.exempt.is_some(), Resource::Body(r.from.clone())));
    Seen { bodies, people, seats, hidden_sittings }
}

/// Takes out the people `actor` may not see, and those named nowhere
/// visible but named in something hidden: the last step, once every
/// capability has filtered its records.
pub fn prune_people(full: &Register, out: &mut Register, seen: &Seen) {
    let named: HashSet<&Slug> =
        out.memberships.iter().flat_map(|m| m.person.iter().chain(&m.substitutes)).chain(out.posts.iter().filter_map(|p| p.holder.as_ref())).collect();
    let hidden_mentions: HashSet<&Slug> =
        full.memberships.iter().flat_map(|m| m.person.iter().chain(&m.substitutes)).chain(full.posts.iter().filter_map(|p| p.holder.as_ref())).collect();
    out.people.retain(|p| seen.people.contains(&p.slug) && (named.contains(&p.slug) || !hidden_mentions.contains(&p.slug)));
}
