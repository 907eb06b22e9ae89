//! Confidential (exempt) information, and the one place that takes it out
//! of a register before anybody without the right sees it.
//!
//! A record marked exempt carries the paragraph of Part 1 of Schedule 12A to
//! the Local Government Act 1972 that allows it to be withheld. Pages, the
//! API, the Popolo export and anything else public read a register that has
//! been through [`Register::visible_to`], so none of them can show what the
//! viewer may not see, and list counts agree with what is shown.

use crate::council::Register;
use crate::ids::Slug;
use crate::permissions::{can, Action, Actor, Resource};
use crate::register::model::Party;
use std::collections::HashSet;

pub use placeworks_kernel::Exemption;

impl Register {
    /// Whether anything in the register is exempt.
    pub fn has_exempt(&self) -> bool {
        self.people.iter().any(|p| p.exempt.is_some())
            || self.bodies.iter().any(|b| b.exempt.is_some())
            || self.seats.iter().any(|s| s.exempt.is_some())
            || self.memberships.iter().any(|m| m.exempt.is_some())
            || self.relations.iter().any(|r| r.exempt.is_some())
            || self.decisions.iter().any(|d| d.exempt.is_some())
            || self.meetings.iter().any(|m| m.items.iter().any(|i| i.exempt.is_some()))
    }

    /// The register as `actor` may see it: every exempt record the actor may
    /// not see is gone, with everything that would give it away (a hidden
    /// body's seats, memberships, posts and relations; a hidden person's
    /// memberships, posts and substitute places; people named only in hidden
    /// records).
    pub fn visible_to(&self, actor: &Actor) -> Register {
        if !self.has_exempt() {
            return self.clone();
        }
        let sees = |exempt: bool, resource: Resource| !exempt || can(actor, Action::ViewConfidential, &resource);
        let bodies: HashSet<&Slug> = self.bodies.iter().filter(|b| sees(b.exempt.is_some(), Resource::Body(b.slug.clone()))).map(|b| &b.slug).collect();
        let people: HashSet<&Slug> = self.people.iter().filter(|p| sees(p.exempt.is_some(), Resource::Person)).map(|p| &p.slug).collect();
        let party_ok = |p: &Party| match p {
            Party::Body(b) => bodies.contains(b),
            Party::Organisation(_) => true,
        };
        let mut out = self.clone();
        out.bodies.retain(|b| bodies.contains(&b.slug));
        out.posts.retain(|p| party_ok(&p.of));
        for p in &mut out.posts {
            if p.holder.as_ref().is_some_and(|h| !people.contains(h)) {
                p.holder = None;
            }
        }
        let posts: HashSet<Slug> = out.posts.iter().map(|p| p.slug.clone()).collect();
        out.seats
            .retain(|s| bodies.contains(&s.body) && s.on_behalf_of.as_ref().is_none_or(party_ok) && sees(s.exempt.is_some(), Resource::Seat(s.body.clone())));
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
                && sees(m.exempt.is_some(), Resource::Membership(m.body.clone()))
        });
        for m in &mut out.memberships {
            m.substitutes.retain(|s| people.contains(s));
        }
        out.relations.retain(|r| bodies.contains(&r.from) && bodies.contains(&r.to) && sees(r.exempt.is_some(), Resource::Body(r.from.clone())));
        out.decisions.retain(|d| bodies.contains(&d.body) && sees(d.exempt.is_some(), Resource::Decision(d.body.clone())));
        out.meetings.retain(|m| bodies.contains(&m.body));
        for m in &mut out.meetings {
            let body = m.body.clone();
            m.items.retain(|i| sees(i.exempt.is_some(), Resource::Document(body.clone())));
            m.attendance.retain(|a| people.contains(&a.person));
        }
        // People named nowhere visible, but named in something hidden, go too.
        let named: HashSet<&Slug> =
            out.memberships.iter().flat_map(|m| m.person.iter().chain(&m.substitutes)).chain(out.posts.iter().filter_map(|p| p.holder.as_ref())).collect();
        let hidden_mentions: HashSet<&Slug> =
            self.memberships.iter().flat_map(|m| m.person.iter().chain(&m.substitutes)).chain(self.posts.iter().filter_map(|p| p.holder.as_ref())).collect();
        out.people.retain(|p| people.contains(&p.slug) && (named.contains(&p.slug) || !hidden_mentions.contains(&p.slug)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_one_to_seven() {
        assert_eq!(Exemption::parse("3").unwrap().number(), 3);
        assert_eq!(Exemption::parse("paragraph 7").unwrap().number(), 7);
        assert!(Exemption::parse("0").unwrap_err().contains("from 1 to 7"));
        assert!(Exemption::parse("8").unwrap_err().contains("no paragraph 8"));
        assert!(Exemption::parse("three").is_err());
        assert_eq!(serde_json::to_string(&Exemption::paragraph(3).unwrap()).unwrap(), "3");
        assert!(serde_json::from_str::<Exemption>("9").is_err());
        assert!(Exemption::paragraph(3).unwrap().description().contains("financial or business affairs"));
    }
}
