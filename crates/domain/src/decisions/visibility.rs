//! What of a council's decisions an actor may see: those of bodies they see,
//! exempt ones only with the right to see the body's confidential decisions.

use crate::council::Register;
use crate::decisions::model::{Decision, Dispute};
use crate::permissions::{Actor, Resource};
use crate::register::visibility::{sees, sees_body, Seen};

fn seen(d: &Decision, actor: &Actor) -> bool {
    sees(actor, d.exempt.is_some(), Resource::Decision(d.body.clone()))
}

/// Takes out of `decisions` what `actor` may not see.
pub fn filter(decisions: &mut Vec<Decision>, seen_register: &Seen, actor: &Actor) {
    decisions.retain(|d| seen_register.bodies.contains(&d.body) && seen(d, actor));
}

/// Takes out of `disputes` what `actor` may not see: a disagreement is
/// confidential unless the body has opened it.
pub fn filter_disputes(disputes: &mut Vec<Dispute>, seen_register: &Seen, actor: &Actor) {
    disputes.retain(|d| seen_register.bodies.contains(&d.body) && sees(actor, !d.public, Resource::Dispute(d.body.clone())));
}

/// Whether `actor` may see the decision `slug` (one not in the register is
/// not seen either): what a form that names another decision checks, so it
/// can neither find nor touch one hidden from whoever posts it.
pub fn sees_decision(reg: &Register, actor: &Actor, slug: &str) -> bool {
    reg.decisions.iter().find(|d| d.slug.as_str() == slug).is_some_and(|d| sees_body(reg, actor, d.body.as_str()) && seen(d, actor))
}
