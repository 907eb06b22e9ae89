//! What of a council's programmes an actor may see. Programmes, their
//! initiatives, measures and money are public; what they point at may not
//! be: a confidential body (a lead, the body directing a fund, a bidder, a
//! level of working) or a confidential decision. Each such pointer is taken
//! out when the register the actor sees no longer holds what it points at,
//! so no page, feed or export names it or gives away that it exists.

use crate::council::Register;
use crate::ids::Slug;
use crate::register::model::Party;

/// Takes out of `out`'s programmes every pointer to a body or decision that
/// `out` (the register as the actor sees it) no longer holds.
pub fn filter(out: &mut Register) {
    let bodies: Vec<Slug> = out.bodies.iter().map(|b| b.slug.clone()).collect();
    let decisions: Vec<Slug> = out.decisions.iter().map(|d| d.slug.clone()).collect();
    let seen = |p: &Option<Party>| match p {
        Some(Party::Body(b)) => bodies.contains(b),
        _ => true,
    };
    let decision_seen = |d: &Option<Slug>| d.as_ref().is_none_or(|d| decisions.contains(d));
    for p in &mut out.programmes {
        if p.governed_by.as_ref().is_some_and(|b| !bodies.contains(b)) {
            p.governed_by = None;
        }
        for l in &mut p.levels {
            l.bodies.retain(|b| bodies.contains(b));
        }
        p.decisions.retain(|d| decisions.contains(d));
    }
    for i in &mut out.initiatives {
        if !seen(&i.lead) {
            i.lead = None;
        }
        i.decisions.retain(|d| decisions.contains(d));
    }
    for f in &mut out.funds {
        if !seen(&f.held_by) {
            f.held_by = None;
        }
        for a in &mut f.allocations {
            if !decision_seen(&a.decision) {
                a.decision = None;
            }
        }
        for b in &mut f.bids {
            if !seen(&b.by) {
                b.by = None;
            }
            if !decision_seen(&b.decision) {
                b.decision = None;
            }
        }
    }
    for s in &mut out.strategies {
        if !seen(&s.owner) {
            s.owner = None;
        }
        s.decisions.retain(|d| decisions.contains(d));
    }
    for p in &mut out.plans {
        if p.led_by.as_ref().is_some_and(|b| !bodies.contains(b)) {
            p.led_by = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_to_a_body_or_decision_the_actor_cannot_see_is_taken_out() {
        let files = crate::dataset::DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap();
        let mut reg = crate::dataset::read(&files).unwrap();
        let slug = |s: &str| Slug::parse(s).unwrap();
        reg.initiatives[0].lead = Some(Party::Body(slug("confidential-board")));
        reg.initiatives[0].decisions = vec![slug("secret-decision")];
        reg.plans[0].led_by = Some(slug("confidential-board"));
        reg.strategies[0].owner = Some(Party::Body(slug("confidential-board")));
        let mut seen = reg.clone();
        filter(&mut seen);
        assert_eq!((seen.plans[0].led_by.as_ref(), seen.strategies[0].owner.as_ref()), (None, None), "no plan or strategy names the board");
        assert_eq!((seen.initiatives[0].lead.as_ref(), seen.initiatives[0].decisions.len()), (None, 0), "neither the board nor the decision is named");
        assert_eq!(reg.initiatives[0].decisions.len(), 1, "the register itself keeps them");
    }
}
