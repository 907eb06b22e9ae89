//! What of a council's meetings an actor may see: the meetings of bodies
//! they see, agenda items by their exemption, and attendance only where it
//! gives away no hidden person, seat or membership.

use crate::meetings::model::{Attendance, Meeting};
use crate::permissions::{Actor, Resource};
use crate::register::visibility::{sees, Seen};
use crate::Slug;

/// Takes out of `meetings` what `actor` may not see, given what of the
/// register they see.
pub fn filter(meetings: &mut Vec<Meeting>, seen: &Seen, actor: &Actor) {
    meetings.retain(|m| seen.bodies.contains(&m.body));
    for m in meetings {
        let body = m.body.clone();
        m.items.retain(|i| sees(actor, i.exempt.is_some(), Resource::Document(body.clone())));
        m.attendance.retain(|a| attendance_seen(&body, a, seen));
    }
}

/// An attendance is shown only when its person (and the member a substitute
/// stood in for) and its seat are seen, and neither sat there by a
/// membership the actor may not see: otherwise the record would name the
/// holder of an exempt membership, or an exempt seat, on a public page.
fn attendance_seen(body: &Slug, a: &Attendance, seen: &Seen) -> bool {
    let seat_ok = a.seat.as_ref().is_none_or(|s| seen.seats.contains(&(body.clone(), s.clone())));
    let people_ok = seen.people.contains(&a.person) && a.substitute_for.as_ref().is_none_or(|p| seen.people.contains(p));
    let by_hidden = seen.sits_hidden(body, a.seat.as_ref(), &a.person) || a.substitute_for.as_ref().is_some_and(|p| seen.sits_hidden(body, a.seat.as_ref(), p));
    seat_ok && people_ok && !by_hidden
}
