//! Questions people ask of a register: who sits where, who reports to whom,
//! which partnerships overlap. An [`Index`] is built once per register and
//! answers them without scanning.

use crate::council::Register;
use crate::ids::Slug;
use crate::places::model::*;
use crate::register::model::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Lookups over one register, built once.
#[derive(Debug)]
pub struct Index {
    pub register: Register,
    bodies: HashMap<String, usize>,
    organisations: HashMap<String, usize>,
    areas: HashMap<String, usize>,
    posts: HashMap<String, usize>,
    people: HashMap<String, usize>,
    seats_by_body: HashMap<String, Vec<usize>>,
    seats_by_party: HashMap<Party, Vec<usize>>,
    area_children: HashMap<String, Vec<usize>>,
}

/// An organisation and how many seats it holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeatCount {
    pub organisation: String,
    pub name: String,
    pub seats: usize,
    pub bodies: usize,
}

/// Two bodies and the partners that sit on both.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overlap {
    pub a: String,
    pub b: String,
    /// Partners (organisations or bodies) holding a seat on both.
    pub shared: Vec<String>,
    /// Shared partners as a share of the smaller body's partners (Jaccard would
    /// hide a small group wholly inside a big one, which is the duplication
    /// that matters).
    pub share: f64,
}

impl Index {
    /// Indexes a register.
    pub fn new(register: Register) -> Index {
        let pos = |it: Vec<String>| it.into_iter().enumerate().map(|(i, k)| (k, i)).collect::<HashMap<_, _>>();
        let bodies = pos(register.bodies.iter().map(|b| b.slug.to_string()).collect());
        let organisations = pos(register.organisations.iter().map(|o| o.slug.to_string()).collect());
        let areas = pos(register.areas.iter().map(|a| a.code.clone()).collect());
        let posts = pos(register.posts.iter().map(|p| p.slug.to_string()).collect());
        let people = pos(register.people.iter().map(|p| p.slug.to_string()).collect());
        let mut seats_by_body: HashMap<String, Vec<usize>> = HashMap::new();
        let mut seats_by_party: HashMap<Party, Vec<usize>> = HashMap::new();
        for (i, s) in register.seats.iter().enumerate() {
            seats_by_body.entry(s.body.to_string()).or_default().push(i);
            if let Some(p) = &s.on_behalf_of {
                seats_by_party.entry(p.clone()).or_default().push(i);
            }
        }
        let mut area_children: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in register.areas.iter().enumerate() {
            if let Some(p) = &a.parent {
                area_children.entry(p.clone()).or_default().push(i);
            }
        }
        Index { register, bodies, organisations, areas, posts, people, seats_by_body, seats_by_party, area_children }
    }

    pub fn body(&self, slug: &str) -> Option<&Body> {
        self.bodies.get(slug).map(|&i| &self.register.bodies[i])
    }

    pub fn organisation(&self, slug: &str) -> Option<&Organisation> {
        self.organisations.get(slug).map(|&i| &self.register.organisations[i])
    }

    pub fn area(&self, code: &str) -> Option<&Area> {
        self.areas.get(code).map(|&i| &self.register.areas[i])
    }

    pub fn post(&self, slug: &str) -> Option<&Post> {
        self.posts.get(slug).map(|&i| &self.register.posts[i])
    }

    pub fn person(&self, slug: &str) -> Option<&Person> {
        self.people.get(slug).map(|&i| &self.register.people[i])
    }

    /// The name of an organisation or body.
    pub fn party_name<'a>(&'a self, p: &'a Party) -> &'a str {
        match p {
            Party::Organisation(s) => self.organisation(s.as_str()).map_or(s.as_str(), |o| o.name.as_str()),
            Party::Body(s) => self.body(s.as_str()).map_or(s.as_str(), |b| b.name.as_str()),
        }
    }

    /// A body's seats, in the order of its membership list.
    pub fn seats_of(&self, body: &str) -> impl Iterator<Item = &Seat> {
        self.seats_by_body.get(body).into_iter().flatten().map(|&i| &self.register.seats[i])
    }

    /// Seats held on behalf of an organisation or body, across all bodies.
    pub fn seats_held_by(&self, party: &Party) -> impl Iterator<Item = &Seat> {
        self.seats_by_party.get(party).into_iter().flatten().map(|&i| &self.register.seats[i])
    }

    /// The memberships filling a seat.
    pub fn memberships_of<'a>(&'a self, body: &'a str, seat: &'a str) -> impl Iterator<Item = &'a Membership> {
        self.register.memberships.iter().filter(move |m| m.body.as_str() == body && m.seat.as_str() == seat)
    }

    /// Relations starting at a body.
    pub fn relations_from<'a>(&'a self, body: &'a str) -> impl Iterator<Item = &'a Relation> {
        self.register.relations.iter().filter(move |r| r.from.as_str() == body)
    }

    /// Relations ending at a body.
    pub fn relations_to<'a>(&'a self, body: &'a str) -> impl Iterator<Item = &'a Relation> {
        self.register.relations.iter().filter(move |r| r.to.as_str() == body)
    }

    /// The body a body reports to, or is part of (its parent in the structure).
    pub fn parent_of<'a>(&'a self, body: &'a str) -> Option<&'a Relation> {
        let rels: Vec<&Relation> = self.relations_from(body).collect();
        rels.iter().find(|r| r.kind == RelationKind::ReportsTo).or_else(|| rels.iter().find(|r| r.kind == RelationKind::PartOf)).copied()
    }

    /// An area's direct children.
    pub fn children_of(&self, code: &str) -> impl Iterator<Item = &Area> {
        self.area_children.get(code).into_iter().flatten().map(|&i| &self.register.areas[i])
    }

    /// An area's ancestors, nearest first.
    pub fn ancestors_of(&self, code: &str) -> Vec<&Area> {
        let mut out = Vec::new();
        let mut cur = self.area(code).and_then(|a| a.parent.clone());
        while let Some(c) = cur {
            let Some(a) = self.area(&c) else { break };
            if out.iter().any(|x: &&Area| x.code == a.code) {
                break;
            }
            out.push(a);
            cur = a.parent.clone();
        }
        out
    }

    /// Bodies serving an area directly.
    pub fn bodies_serving<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Body> {
        self.register.bodies.iter().filter(move |b| b.areas.iter().any(|a| a == code))
    }

    /// Organisations ranked by the seats they hold, most first.
    pub fn seat_counts(&self) -> Vec<SeatCount> {
        let mut out: Vec<SeatCount> = self
            .register
            .organisations
            .iter()
            .map(|o| {
                let seats: Vec<&Seat> = self.seats_held_by(&Party::Organisation(o.slug.clone())).collect();
                let bodies: BTreeSet<&str> = seats.iter().map(|s| s.body.as_str()).collect();
                SeatCount { organisation: o.slug.to_string(), name: o.name.clone(), seats: seats.len(), bodies: bodies.len() }
            })
            .filter(|c| c.seats > 0)
            .collect();
        out.sort_by(|a, b| b.seats.cmp(&a.seats).then(b.bodies.cmp(&a.bodies)).then(a.name.cmp(&b.name)));
        out
    }

    /// Pairs of bodies whose partners overlap, most overlapping first. Only
    /// pairs sharing at least `min_shared` partners are listed.
    pub fn overlaps(&self, min_shared: usize) -> Vec<Overlap> {
        let mut partners: BTreeMap<&str, BTreeSet<&Party>> = BTreeMap::new();
        for s in &self.register.seats {
            if let Some(p) = &s.on_behalf_of {
                partners.entry(s.body.as_str()).or_default().insert(p);
            }
        }
        let keys: Vec<&str> = partners.keys().copied().collect();
        let mut out = Vec::new();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                let (pa, pb) = (&partners[a], &partners[b]);
                let shared: Vec<String> = pa.intersection(pb).map(|p| self.party_name(p).to_owned()).collect();
                if shared.len() >= min_shared.max(1) {
                    let share = shared.len() as f64 / pa.len().min(pb.len()) as f64;
                    out.push(Overlap { a: (*a).to_owned(), b: (*b).to_owned(), shared, share });
                }
            }
        }
        out.sort_by(|x, y| y.shared.len().cmp(&x.shared.len()).then(y.share.total_cmp(&x.share)).then(x.a.cmp(&y.a)));
        out
    }

    /// The bodies a person sits on now: by their memberships (as member or
    /// named substitute), and by the posts they hold that have a seat.
    pub fn bodies_of(&self, person: &Slug, today: chrono::NaiveDate) -> Vec<Slug> {
        let mut out: Vec<Slug> = Vec::new();
        let by_membership = self
            .register
            .memberships
            .iter()
            .filter(|m| m.is_current(today) && (m.person.as_ref() == Some(person) || m.substitutes.contains(person)))
            .map(|m| &m.body);
        let posts: Vec<&Slug> = self.register.posts.iter().filter(|p| p.holder_on(today) == Some(person)).map(|p| &p.slug).collect();
        let by_post = self.register.seats.iter().filter(|s| s.post.as_ref().is_some_and(|p| posts.contains(&p))).map(|s| &s.body);
        for b in by_membership.chain(by_post) {
            if !out.contains(b) {
                out.push(b.clone());
            }
        }
        out
    }

    /// The bodies within one relation of `body`, and `body` itself.
    pub fn neighbourhood(&self, body: &str) -> BTreeSet<String> {
        let mut set: BTreeSet<String> = BTreeSet::from([body.to_owned()]);
        for r in &self.register.relations {
            if r.from.as_str() == body {
                set.insert(r.to.to_string());
            }
            if r.to.as_str() == body {
                set.insert(r.from.to_string());
            }
        }
        set
    }
}
