//! Confidential (exempt) information, and the one place that takes it out
//! of a register before anybody without the right sees it.
//!
//! A record marked exempt carries the paragraph of Part 1 of Schedule 12A to
//! the Local Government Act 1972 that allows it to be withheld. Pages, the
//! API, the Popolo export and anything else public read a register that has
//! been through [`Register::visible_to`], so none of them can show what the
//! viewer may not see, and list counts agree with what is shown. Each
//! capability keeps its own rule in its `visibility` room; this puts them
//! together.

use crate::council::Register;
use crate::permissions::Actor;
use crate::{decisions, meetings, programmes, register};

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
            || self.disputes.iter().any(|d| !d.public)
    }

    /// The register as `actor` may see it: each capability takes out what
    /// the actor may not see, by its own rule (`register::visibility`,
    /// `meetings::visibility`, `decisions::visibility`), the register's first
    /// so the others judge their records by what of it survived.
    pub fn visible_to(&self, actor: &Actor) -> Register {
        if !self.has_exempt() {
            return self.clone();
        }
        let mut out = self.clone();
        let seen = register::visibility::filter(self, &mut out, actor);
        meetings::visibility::filter(&mut out.meetings, &seen, actor);
        decisions::visibility::filter(&mut out.decisions, &seen, actor);
        decisions::visibility::filter_disputes(&mut out.disputes, &seen, actor);
        register::visibility::prune_people(self, &mut out, &seen);
        programmes::visibility::filter(&mut out);
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
