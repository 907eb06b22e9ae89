//! Governance health: the register checked against the rules the bodies set
//! themselves. Each breach names the rule it breaks, in the source's words
//! where there are some, and the record to fix.

use crate::decisions::RatificationStatus;
use crate::meetings::model::{AttendanceKind, Meeting, MeetingStatus};
use crate::meetings::schedule;
use crate::recurrence;
use crate::register::model::Body;
use crate::register::queries::Index;
use chrono::NaiveDate;
use serde::Serialize;

/// Every rule checked, with a heading for its breaches, in the order shown.
pub const RULES: [(&str, &str); 16] = [
    ("agenda-late", "Agendas published late or not at all"),
    ("agenda-awaiting-approval", "Agendas near their deadline still awaiting the chair's agreement"),
    ("meeting-missing", "Meetings missing from a body's cadence"),
    ("not-met", "Bodies that have not met for twice their cadence"),
    ("notice-without-ratification", "Decisions without enough notice and without ratification"),
    ("ratification-outstanding", "Ratifications outstanding"),
    ("ratification-declined", "Decisions a constituent body declined to ratify"),
    ("minutes-not-approved", "Minutes not approved"),
    ("quorum-not-met", "Meetings without a quorum"),
    ("chair-rotation-broken", "Chair rotation broken"),
    ("seat-vacant", "Seats without a holder"),
    ("review-overdue", "Governance reviews overdue"),
    ("substitute-not-named", "Substitutes not named in advance"),
    ("decision-outside-powers", "Decisions outside what the body may decide"),
    ("commitment-overdue", "Commitments overdue"),
    ("dispute-open", "Disagreements still open"),
];

/// Days before an agenda's deadline from which one still awaiting the
/// chair's agreement is flagged.
pub const APPROVAL_WARNING_DAYS: u64 = 7;

/// The limits the checks apply where the bodies' own rules are silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Days a constituent body has to answer a request to ratify.
    pub ratification_days: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { ratification_days: 42 }
    }
}

/// One breach of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// One of [`RULES`].
    pub rule: &'static str,
    /// The rule in words.
    pub rule_text: String,
    pub body: String,
    pub body_name: String,
    /// What is wrong, in words.
    pub what: String,
    /// The page to put it right, under the council's address: `bodies/x`.
    pub href: String,
}

/// Every breach in a register as of `today`, with the default limits.
pub fn check(ix: &Index, today: NaiveDate) -> Vec<Breach> {
    check_with(ix, today, Limits::default())
}

/// Every breach in a register as of `today`, body by body.
pub fn check_with(ix: &Index, today: NaiveDate, limits: Limits) -> Vec<Breach> {
    let reg = &ix.register;
    let mut out = Vec::new();
    for b in reg.bodies.iter().filter(|b| b.is_current(today)) {
        if let Some(due) = b.review_due.as_ref().filter(|d| d.passed(today)) {
            out.push(Breach {
                rule: "review-overdue",
                rule_text: b.review.clone().unwrap_or_else(|| format!("The arrangements are reviewed by {}", due.display())),
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                what: format!("The review was due by {} and none is recorded", due.display()),
                href: format!("bodies/{}", b.slug),
            });
        }
        let vacant: Vec<&str> = ix
            .seats_of(b.slug.as_str())
            .filter(|s| s.role.decides())
            .filter(|s| {
                let held = ix.memberships_of(b.slug.as_str(), s.slug.as_str()).any(|m| m.person.is_some() && m.is_current(today));
                let ex_officio = s.post.as_ref().and_then(|p| ix.post(p.as_str())).is_some_and(|p| p.holder.is_some());
                !held && !ex_officio
            })
            .map(|s| s.label.as_str())
            .collect();
        if !vacant.is_empty() {
            let n = ix.seats_of(b.slug.as_str()).filter(|s| s.role.decides()).count();
            out.push(Breach {
                rule: "seat-vacant",
                rule_text: "Every member's seat has a holder".to_owned(),
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                what: format!("{} of {n} member seats have no holder recorded: {}", vacant.len(), vacant.join("; ")),
                href: format!("bodies/{}", b.slug),
            });
        }
        meetings(ix, b, today, &mut out);
    }
    decisions(ix, today, limits, &mut out);
    undertakings(ix, today, &mut out);
    out
}

/// Commitments overdue and disagreements open.
fn undertakings(ix: &Index, today: NaiveDate, out: &mut Vec<Breach>) {
    let reg = &ix.register;
    for c in reg.commitments.iter().filter(|c| c.overdue(today)) {
        let (body, href) = match &c.by {
            crate::register::model::Party::Body(b) => (b.to_string(), format!("bodies/{b}")),
            crate::register::model::Party::Organisation(o) => (o.to_string(), format!("organisations/{o}")),
        };
        let made = c.made.as_ref().map(|m| format!(" in {}", m.display())).unwrap_or_default();
        out.push(Breach {
            rule: "commitment-overdue",
            rule_text: "A commitment is met by its due date".to_owned(),
            body,
            body_name: ix.party_name(&c.by).to_owned(),
            what: format!("Committed{made} “{}”, due by {}, and nothing is recorded as meeting it", c.text, c.due.display()),
            href,
        });
    }
    for d in reg.disputes.iter().filter(|d| d.open(today)) {
        let Some(b) = ix.body(d.body.as_str()) else { continue };
        let stage = d
            .steps
            .iter()
            .rfind(|s| s.on <= today)
            .map_or_else(|| "not yet taken to any stage".to_owned(), |s| format!("at “{}” since {}", s.stage, long(s.on)));
        out.push(Breach {
            rule: "dispute-open",
            rule_text: b
                .escalation
                .first()
                .map_or_else(|| "A disagreement is resolved".to_owned(), |first| format!("Disagreements go to {}", first.trim_end_matches('.'))),
            body: b.slug.to_string(),
            body_name: b.name.clone(),
            what: format!("“{}”, raised on {}, is open: {stage}", d.title, long(d.raised)),
            href: format!("bodies/{}/disputes/{}", b.slug, d.slug),
        });
    }
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn day_of(m: &Meeting) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").ok()
}

fn held(m: &Meeting) -> bool {
    matches!(m.status, MeetingStatus::Held | MeetingStatus::DraftMinutes | MeetingStatus::MinutesApproved)
}

/// The rules about one body's meetings.
fn meetings(ix: &Index, b: &Body, today: NaiveDate, out: &mut Vec<Breach>) {
    let body = b.slug.as_str();
    let breach = |rule: &'static str, rule_text: String, what: String, href: String| Breach {
        rule,
        rule_text,
        body: body.to_owned(),
        body_name: b.name.clone(),
        what,
        href,
    };
    let recorded: Vec<&Meeting> = ix.register.meetings.iter().filter(|m| m.body == b.slug).collect();
    let record = |slug: &str| recorded.iter().find(|m| m.slug.as_str() == slug).copied();
    let cadence_text = b.cadence.as_ref().map(|c| c.text.clone()).unwrap_or_default();
    let first = b.cadence.as_ref().and_then(|c| c.first);
    // The cadence's meetings so far, and those whose agenda is due by now.
    let horizon = today + chrono::Days::new(b.agenda_notice_days.unwrap_or(0).into());
    let planned = first.and_then(|f| schedule::planned(ix, body, f.date(), horizon).ok()).unwrap_or_default();
    for p in planned.iter().filter(|p| !p.cancelled) {
        let m = record(&p.slug);
        if p.start.date() < today && !m.is_some_and(held) {
            out.push(breach(
                "meeting-missing",
                cadence_text.clone(),
                format!("The meeting planned for {} is not recorded as held", p.start.format("%-d %B %Y, %H:%M")),
                format!("meetings/{}", p.slug),
            ));
        }
        if let (Some(m), Some(seat)) = (m.filter(|m| held(m)), &p.chair_seat) {
            if let Some(chair) = m.chaired_by.as_ref().filter(|c| c.as_str() != seat) {
                let label = |s: &str| ix.seats_of(body).find(|x| x.slug.as_str() == s).map_or(s.to_owned(), |x| x.label.clone());
                let rule = b.chair.as_ref().and_then(|c| c.text.clone()).unwrap_or_else(|| "The chair rotates in turn".to_owned());
                out.push(breach(
                    "chair-rotation-broken",
                    rule,
                    format!("{} was chaired by {}; it was {}'s turn", long(p.start.date()), label(chair.as_str()), label(seat)),
                    format!("meetings/{}", p.slug),
                ));
            }
        }
    }
    // Agendas: every meeting to take place, recorded or planned, by its deadline.
    if let Some(notice) = b.agenda_notice_days {
        let rule = format!("The agenda is published at least {notice} days before the meeting");
        let mut seen = std::collections::HashSet::new();
        let candidates = recorded
            .iter()
            .map(|m| (m.slug.to_string(), Some(*m), day_of(m)))
            .chain(planned.iter().filter(|p| !p.cancelled).map(|p| (p.slug.clone(), record(&p.slug), Some(p.start.date()))));
        for (slug, m, day) in candidates {
            let (Some(day), true) = (day, seen.insert(slug.clone())) else { continue };
            if m.is_some_and(|m| m.status == MeetingStatus::Cancelled) {
                continue;
            }
            let deadline = day - chrono::Days::new(notice.into());
            match m.and_then(|m| m.agenda_published) {
                Some(p) if p > deadline => out.push(breach(
                    "agenda-late",
                    rule.clone(),
                    format!("The agenda for {} was published on {}, after its deadline of {}", long(day), long(p), long(deadline)),
                    format!("meetings/{slug}"),
                )),
                None if deadline < today => out.push(breach(
                    "agenda-late",
                    rule.clone(),
                    format!("The agenda for {} was due by {} and has not been published", long(day), long(deadline)),
                    format!("meetings/{slug}"),
                )),
                _ => {}
            }
        }
    }
    // Agendas the chair must agree, near their deadline and not yet agreed.
    if b.chair.as_ref().is_some_and(|c| c.agrees.contains(&crate::register::model::ApprovalKind::Agenda)) {
        let notice = u64::from(b.agenda_notice_days.unwrap_or(0));
        for m in recorded.iter().filter(|m| m.status == MeetingStatus::Scheduled && m.agenda_published.is_none()) {
            let Some(day) = day_of(m) else { continue };
            let deadline = day - chrono::Days::new(notice);
            let near = deadline >= today && deadline <= today + chrono::Days::new(APPROVAL_WARNING_DAYS);
            if near && crate::meetings::commands::awaiting_approval(ix, m, crate::register::model::ApprovalKind::Agenda) {
                out.push(breach(
                    "agenda-awaiting-approval",
                    b.chair.as_ref().and_then(|c| c.text.clone()).unwrap_or_else(|| "The chair agrees the agenda before it is published".to_owned()),
                    format!("The agenda for {} is due by {} and the chair has not agreed it", long(day), long(deadline)),
                    format!("meetings/{}/manage", m.slug),
                ));
            }
        }
    }
    // Held meetings: quorum, minutes, substitutes.
    let mut by_date: Vec<&Meeting> = recorded.iter().copied().filter(|m| held(m)).collect();
    by_date.sort_by(|x, y| x.date.as_str().cmp(y.date.as_str()));
    for (i, m) in by_date.iter().enumerate() {
        let day = day_of(m).map(long).unwrap_or_else(|| m.date.display());
        let href = format!("meetings/{}", m.slug);
        // Where the body sets a notice period, a missing agenda is reported
        // above against its deadline; without one, a meeting of a body whose
        // cadence the register keeps, held with no agenda published at all,
        // is still a breach. (A body with no cadence here has its meetings
        // recorded from elsewhere, minutes and all, agendas unrecorded.)
        if m.agenda_published.is_none() && b.agenda_notice_days.is_none() && b.cadence.as_ref().is_some_and(|c| c.rule.is_some()) {
            out.push(breach(
                "agenda-late",
                "An agenda is published before every meeting".to_owned(),
                format!("The meeting of {day} was held with no agenda published"),
                href.clone(),
            ));
        }
        if let Some(q) = b.decisions.quorum {
            let n = crate::meetings::quorum_count(ix, m);
            if !m.attendance.is_empty() && n < q as usize {
                out.push(breach(
                    "quorum-not-met",
                    format!("The quorum is {q} members"),
                    format!("{day}: {n} {} present", if n == 1 { "member was" } else { "members were" }),
                    href.clone(),
                ));
            }
        }
        if m.status != MeetingStatus::MinutesApproved && by_date.get(i + 1).is_some() {
            out.push(breach(
                "minutes-not-approved",
                "Minutes are approved at the next meeting".to_owned(),
                format!("The minutes of {day} were not approved at the next meeting, on {}", by_date[i + 1].date.display()),
                href.clone(),
            ));
        }
        for a in m.attendance.iter().filter(|a| a.kind == AttendanceKind::Substitute && !a.chair_agreed) {
            let named = ix.register.memberships.iter().any(|x| x.body == b.slug && x.person == a.substitute_for && x.substitutes.contains(&a.person));
            if !named {
                let who = ix.person(a.person.as_str()).map_or(a.person.as_str(), |p| p.name.as_str());
                out.push(breach(
                    "substitute-not-named",
                    "Only a named substitute, or one the chair agrees, may stand in".to_owned(),
                    format!("{day}: {who} stood in without being named or agreed"),
                    href.clone(),
                ));
            }
        }
    }
    // Twice the cadence without a meeting.
    if let (Some(c), Some(first)) = (&b.cadence, first) {
        let next =
            c.rule.as_deref().and_then(|r| recurrence::occurrences(r, first, first.date(), first.date() + chrono::Days::new(800), 2).ok()).unwrap_or_default();
        if let [a, b2] = next[..] {
            let gap = (b2 - a).num_days() * 2;
            let last = by_date.last().and_then(|m| day_of(m)).unwrap_or(first.date());
            if first.date() < today && (today - last).num_days() > gap {
                let since = if by_date.is_empty() {
                    format!("no meeting is recorded since its first was due on {}", long(first.date()))
                } else {
                    format!("its last recorded meeting was on {}", long(last))
                };
                out.push(breach("not-met", cadence_text.clone(), format!("It has not met for more than {gap} days: {since}"), format!("bodies/{body}")));
            }
        }
    }
}

/// The rules about notice and ratification.
fn decisions(ix: &Index, today: NaiveDate, limits: Limits, out: &mut Vec<Breach>) {
    for d in ix.register.decisions.iter().filter(|d| !d.forthcoming) {
        let Some(b) = ix.body(d.body.as_str()) else { continue };
        let state = crate::decisions::ratification_state(ix, d);
        let breach = |rule: &'static str, rule_text: String, what: String| Breach {
            rule,
            rule_text,
            body: b.slug.to_string(),
            body_name: b.name.clone(),
            what,
            href: format!("decisions/{}", d.slug),
        };
        let rule = b
            .decisions
            .text
            .iter()
            .find(|t| t.contains("ratification"))
            .cloned()
            .unwrap_or_else(|| "Decisions taken with too little notice are ratified by each constituent body".to_owned());
        if let Some((had, required)) = crate::decisions::short_notice(ix, d)
            .filter(|_| state != crate::decisions::RatificationState::Ratified && state != crate::decisions::RatificationState::NotNeeded)
        {
            let had = had.map_or("no notice recorded".to_owned(), |h| format!("{h} days' notice"));
            out.push(breach(
                "notice-without-ratification",
                rule.clone(),
                format!("“{}” was taken on {} with {had} (the rule asks for {required}) and is not yet ratified", d.title, d.date.display()),
            ));
        }
        if !b.powers.is_empty() && (d.power.is_none() || d.beyond_delegation) && state != crate::decisions::RatificationState::Ratified {
            let what = match (&d.power, d.beyond_delegation) {
                (_, true) => format!("“{}” goes beyond what {} may decide and is not ratified", d.title, b.name),
                _ => format!("“{}” is recorded under none of the body's powers", d.title),
            };
            let powers: Vec<&str> = b.powers.iter().map(|p| p.text.as_str()).collect();
            out.push(breach("decision-outside-powers", format!("{} may decide: {}", b.name, powers.join("; ")), what));
        }
        for r in d.ratifications.iter() {
            let org = ix.organisation(r.organisation.as_str()).map_or(r.organisation.as_str(), |o| o.name.as_str());
            match r.status {
                RatificationStatus::Pending if (today - r.requested).num_days() > limits.ratification_days => {
                    out.push(breach(
                        "ratification-outstanding",
                        format!("Constituent bodies answer a request to ratify within {} days", limits.ratification_days),
                        format!("{org} was asked to ratify “{}” on {} and has not answered", d.title, long(r.requested)),
                    ));
                }
                RatificationStatus::Declined => out.push(breach("ratification-declined", rule.clone(), format!("{org} declined to ratify “{}”", d.title))),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{self, DatasetFiles};

    fn riverside() -> Index {
        let files = DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        Index::new(dataset::read(&files).unwrap())
    }

    #[test]
    fn a_review_is_overdue_once_its_month_has_passed() {
        let ix = riverside();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let rules = |t: &str| check(&ix, day(t)).into_iter().filter(|b| b.rule == "review-overdue").map(|b| b.body).collect::<Vec<_>>();
        assert!(rules("2025-04-30").is_empty(), "due in April 2025: not overdue on its last day");
        assert_eq!(rules("2025-05-01"), ["riverside-partnership-board"]);
    }

    #[test]
    fn a_seat_is_vacant_without_a_current_holder() {
        let ix = riverside();
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let vacant = check(&ix, day).into_iter().find(|b| b.rule == "seat-vacant" && b.body == "riverside-partnership-board").expect("some seats are empty");
        assert!(!vacant.what.contains("Riverside CVS"), "Sam Patel holds the CVS seat from May 2024: {}", vacant.what);
        let before = check(&ix, NaiveDate::from_ymd_opt(2022, 1, 1).unwrap())
            .into_iter()
            .find(|b| b.rule == "seat-vacant" && b.body == "riverside-partnership-board")
            .unwrap();
        assert!(before.what.contains("Riverside CVS") || before.what.contains("voluntary"), "before the membership starts the seat is vacant: {}", before.what);
    }
}
