//! A meeting's business, planned without I/O: the meeting itself, its agenda
//! and papers, who attended, whether it was held, and its minutes.

use crate::change::*;
use crate::forms::*;
use crate::ids::{slugify, PartialDate, Slug};
use crate::meetings::forms::*;
use crate::meetings::model::*;
use crate::meetings::papers::*;
use crate::meetings::schedule::find_meeting;
use crate::permissions::{Actor, Resource};
use crate::register::commands::person_for;
use crate::register::model::*;
use crate::register::queries::Index;
use chrono::{NaiveDate, TimeZone};

/// Plans moving or cancelling a planned meeting, or adding one outside the cadence.
pub fn plan_meeting(ix: &Index, body: &str, form: &MeetingForm, today: chrono::NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    let action = form.action.trim();
    if !["move", "cancel", "add"].contains(&action) {
        errors.push(err("action", "Select whether to move or cancel a planned meeting, or add one"));
    }
    let slot = if action == "move" || action == "cancel" {
        let until = today + chrono::Months::new(24);
        let planned = crate::meetings::schedule::planned(ix, body, today, until).unwrap_or_default();
        match chrono::NaiveDateTime::parse_from_str(form.planned_for.trim(), "%Y-%m-%dT%H:%M") {
            Ok(p) if planned.iter().any(|x| x.rescheduled_from.unwrap_or(x.start) == p) => Some(p),
            _ => {
                errors.push(err("planned_for", "Select one of the meetings planned for this body"));
                None
            }
        }
    } else {
        None
    };
    let when = if action == "move" || action == "add" {
        let typed = form.typed_date();
        let day = if typed.trim_matches(['/', ' ']).is_empty() {
            errors.push(err("date", "Enter the date of the meeting, like 31 12 2026"));
            None
        } else {
            crate::forms::written_day(&typed).map_err(|_| errors.push(err("date", "Date of the meeting must be a real date, like 31 12 2026"))).ok()
        };
        let time =
            crate::forms::written_time(&form.time).map_err(|_| errors.push(err("time", "Time must be a time of day, like 10am or 14:30 (London time)"))).ok();
        match (day, time) {
            (Some(d), Some(t)) => {
                let starts = |p: &Option<PartialDate>| p.as_ref().map(|x| x.as_str().to_owned());
                let iso = d.format("%Y-%m-%d").to_string();
                if starts(&b.established).is_some_and(|e| iso[..e.len()] < *e) || starts(&b.ended).is_some_and(|e| iso[..e.len()] > *e) {
                    errors.push(err("date", format!("{} does not exist on that date: it runs {}", b.name, life(b))));
                }
                if crate::recurrence::LONDON.from_local_datetime(&d.and_time(t)).earliest().is_none() {
                    errors.push(err("time", "That time does not exist in London: the clocks go forward over it"));
                }
                Some(d.and_time(t))
            }
            _ => None,
        }
    } else {
        None
    };
    check_len(&mut errors, "note", "Note", form.note.trim(), 1000);
    if !errors.is_empty() {
        return Err(errors);
    }
    let key = slot.or(when).expect("checked above");
    let slug = crate::meetings::schedule::meeting_slug(body, key);
    let at = if action == "cancel" { key } else { when.expect("checked above") };
    let old = ix.register.meetings.iter().find(|m| m.slug == slug);
    // A moved meeting keeps its agenda and whatever else was recorded of it.
    let kept = old
        .cloned()
        .unwrap_or_else(|| Meeting::new(slug.clone(), b.slug.clone(), PartialDate::parse("2000").expect("a year"), None, MeetingStatus::Scheduled, None, slot));
    let new = Meeting {
        date: PartialDate::parse(&at.format("%Y-%m-%d").to_string()).expect("a real date"),
        time: Some(at.time()),
        status: if action == "cancel" {
            MeetingStatus::Cancelled
        } else if kept.status == MeetingStatus::Cancelled {
            MeetingStatus::Scheduled
        } else {
            kept.status
        },
        planned_for: slot,
        note: opt_line(&form.note),
        ..kept.clone()
    };
    let recorded = Recorded {
        action: match action {
            "cancel" => "cancel-meeting",
            "move" => "reschedule-meeting",
            _ => "add-meeting",
        },
        record_kind: "meeting",
        record_id: slug.to_string(),
        body: Some(b.slug.clone()),
        before: old.map(to_value),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutMeeting(new)], resource: Resource::Meeting(b.slug.clone()), recorded })
}

pub(crate) fn life(b: &Body) -> String {
    match (&b.established, &b.ended) {
        (Some(s), Some(e)) => format!("from {} to {}", s.display(), e.display()),
        (Some(s), None) => format!("from {}", s.display()),
        (None, Some(e)) => format!("until {}", e.display()),
        (None, None) => "without dates".to_owned(),
    }
}

/// The meeting to change, refused when there is none.
pub(crate) fn meeting_to_change(ix: &Index, slug: &str) -> Result<(Meeting, Option<crate::meetings::schedule::Planned>), Vec<FieldError>> {
    find_meeting(ix, slug).ok_or_else(|| vec![err("meeting", "There is no such meeting")])
}

pub(crate) fn meeting_change(ix: &Index, action: &'static str, mut writes: Vec<Write>, new: Meeting) -> Change {
    let old = ix.register.meetings.iter().find(|m| m.slug == new.slug);
    let recorded = Recorded {
        action,
        record_kind: "meeting",
        record_id: new.slug.to_string(),
        body: Some(new.body.clone()),
        before: old.map(to_value),
        after: Some(to_value(&new)),
    };
    let body = new.body.clone();
    writes.push(Write::PutMeeting(new));
    Change { writes, resource: Resource::Meeting(body), recorded }
}

pub(crate) fn not_cancelled(errors: &mut Vec<FieldError>, m: &Meeting, field: &'static str, what: &str) {
    if m.status == MeetingStatus::Cancelled {
        errors.push(err(field, format!("This meeting is cancelled, so {what}. Reinstate it by moving it to a new date first")));
    }
}

// ---- the agenda ----------------------------------------------------------------------

/// Adds an item to a meeting's agenda, or a paper to the item with the same
/// number. `upload` is the paper, already stored by its SHA-256.
pub fn plan_agenda_item(ix: &Index, meeting: &str, form: &AgendaItemForm, upload: Option<&Upload>, now: &str) -> Result<Change, Vec<FieldError>> {
    let (mut m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "number", "no item can be added to its agenda");
    let number = line(&form.number);
    if number.is_empty() {
        errors.push(err("number", "Enter the item's number on the agenda, like 4 or 4a"));
    }
    check_len(&mut errors, "number", "Item number", &number, 10);
    let existing = m.items.iter().position(|i| i.number == number);
    if existing.is_none() {
        check_name(&mut errors, "title", &form.title, "Enter the item's title");
    } else {
        check_len(&mut errors, "title", "Title", form.title.trim(), 200);
    }
    check_len(&mut errors, "presenter", "Presenter", form.presenter.trim(), 200);
    check_len(&mut errors, "paper_title", "Paper title", form.paper_title.trim(), 200);
    let exempt = exemption(&mut errors, &form.exempt);
    let from_body = match form.from_body.trim() {
        "" => None,
        b => match ix.body(b).filter(|x| x.slug != m.body) {
            Some(x) => Some(x.slug.clone()),
            None => {
                errors.push(err("title", "The body this item was offered from is not in the register"));
                None
            }
        },
    };
    let media = upload.and_then(|u| paper_type(u).map_err(|e| errors.push(err("paper", e))).ok());
    if existing.is_some() && upload.is_none() && form.title.trim().is_empty() {
        errors.push(err("paper", format!("Item {number} is already on the agenda: choose a paper to add to it, or give a new title")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let index = existing.unwrap_or_else(|| {
        m.items.push(AgendaItem {
            number: number.clone(),
            title: String::new(),
            presenter: None,
            decision_required: false,
            exempt: None,
            papers: Vec::new(),
            from_body: from_body.clone(),
        });
        m.items.len() - 1
    });
    let item = &mut m.items[index];
    if !form.title.trim().is_empty() || existing.is_none() {
        item.title = line(&form.title);
        item.presenter = opt_line(&form.presenter);
        item.decision_required = ticked(&form.decision_required);
        item.exempt = exempt;
    }
    if let (Some(u), Some(media)) = (upload, media) {
        let title = opt_line(&form.paper_title).unwrap_or_else(|| u.file_name.rsplit_once('.').map_or(u.file_name.clone(), |(n, _)| n.to_owned()));
        let taken: Vec<String> = m.items.iter().flat_map(|i| i.papers.iter().map(|p| p.slug.to_string())).collect();
        let slug = free_slug(&slugify(&format!("item {number} {title}")), |s| taken.iter().any(|t| t == s));
        let file_name: String = u.file_name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"')).collect();
        m.items[index].papers.push(Paper {
            slug,
            title,
            file_name,
            media_type: media.to_owned(),
            size: u.size as u64,
            sha256: u.sha256.clone(),
            uploaded: now.to_owned(),
        });
    }
    let recorded = ix.register.meetings.iter().any(|x| x.slug == m.slug);
    if !recorded {
        // A planned meeting is recorded with its first item: agenda work,
        // which the secretariat of a body managing this one's agenda may do.
        m.items.sort_by_key(|a| agenda_order(&a.number));
        let body = m.body.clone();
        return Ok(Change { resource: Resource::Agenda(body), ..meeting_change(ix, "add-agenda-item", Vec::new(), m) });
    }
    // One row: the item, with its papers; its "before" is the item as it was.
    let item = m.items[index].clone();
    let before = existing.and_then(|_| ix.register.meetings.iter().find(|x| x.slug == m.slug)?.items.iter().find(|i| i.number == item.number)).map(to_value);
    let recorded = Recorded {
        action: "add-agenda-item",
        record_kind: "agenda-item",
        record_id: format!("{}/{}", m.slug, item.number),
        body: Some(m.body.clone()),
        before,
        after: Some(to_value(&item)),
    };
    let body = m.body.clone();
    let mut writes = vec![Write::PutAgendaItem { meeting: m.slug.clone(), item }];
    // An agenda agreed by the chair and changed before it is published must be agreed again.
    if m.agenda_published.is_none() && m.approvals.iter().any(|a| a.what == ApprovalKind::Agenda) {
        writes.push(Write::RemoveApproval { meeting: m.slug, what: ApprovalKind::Agenda });
    }
    Ok(Change { writes, resource: Resource::Agenda(body), recorded })
}

/// An item offered for a meeting's agenda: a standing item of its body, or
/// the latest minutes or report of a body below it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Offered {
    pub title: String,
    /// The body it comes up from; none for a standing item.
    pub from_body: Option<Slug>,
    pub from_name: Option<String>,
}

/// What a meeting's agenda is offered, not yet on it: its body's standing
/// items, then for each body that reports to it (or whose agenda it
/// manages) the minutes of that body's latest meeting with minutes before
/// this one, and a report from it.
pub fn offered_items(ix: &Index, m: &Meeting) -> Vec<Offered> {
    let Some(body) = ix.body(m.body.as_str()) else { return Vec::new() };
    let mut out: Vec<Offered> = body.standing_items.iter().map(|t| Offered { title: t.clone(), from_body: None, from_name: None }).collect();
    let below = ix
        .register
        .relations
        .iter()
        .filter(|r| (r.kind == RelationKind::ReportsTo && r.to == body.slug) || (r.kind == RelationKind::ManagesAgendaOf && r.from == body.slug))
        .map(|r| if r.kind == RelationKind::ReportsTo { &r.from } else { &r.to });
    for slug in below {
        let Some(b) = ix.body(slug.as_str()).filter(|b| b.is_current(m.date.last_day())) else { continue };
        let latest = ix
            .register
            .meetings
            .iter()
            .filter(|x| x.body == b.slug && !x.minutes.is_empty() && x.date.as_str() <= m.date.as_str() && x.slug != m.slug)
            .max_by(|x, y| x.date.as_str().cmp(y.date.as_str()));
        let from = || (Some(b.slug.clone()), Some(b.name.clone()));
        if let Some(latest) = latest {
            let (from_body, from_name) = from();
            out.push(Offered { title: format!("Minutes of the {} meeting of {}", b.name, latest.date.display()), from_body, from_name });
        }
        let (from_body, from_name) = from();
        out.push(Offered { title: format!("Report from the {}", b.name), from_body, from_name });
    }
    out.retain(|o| !m.items.iter().any(|i| i.title == o.title));
    out
}

/// The number the next item takes: one after the highest numbered.
pub fn next_item_number(m: &Meeting) -> String {
    let top = m.items.iter().filter_map(|i| i.number.chars().take_while(char::is_ascii_digit).collect::<String>().parse::<u64>().ok()).max().unwrap_or(0);
    (top + 1).to_string()
}

/// Whether the chair must agree a meeting's `what` before it goes out, and
/// has not yet.
pub fn awaiting_approval(ix: &Index, m: &Meeting, what: ApprovalKind) -> bool {
    let agrees = ix.body(m.body.as_str()).and_then(|b| b.chair.as_ref()).is_some_and(|c| c.agrees.contains(&what));
    agrees && !m.approvals.iter().any(|a| a.what == what)
}

/// Whether a meeting's draft minutes may be circulated: not while its
/// body's chair must agree them and has not (the secretariat and the chair
/// see them meanwhile; nobody else does).
pub fn minutes_circulated(ix: &Index, m: &Meeting) -> bool {
    !(m.status == MeetingStatus::DraftMinutes && awaiting_approval(ix, m, ApprovalKind::Minutes))
}

/// Whether a meeting's date is still provisional: it is to come, and its
/// body's chair agrees meeting dates and has not agreed this one.
pub fn date_provisional(ix: &Index, m: &Meeting) -> bool {
    m.status == MeetingStatus::Scheduled && awaiting_approval(ix, m, ApprovalKind::Dates)
}

/// Plans the chair's agreement of part of a meeting's business, by the
/// account named `by`. Only the body's chair may agree it.
pub fn plan_approval(ix: &Index, actor: &Actor, meeting: &str, form: &ApprovalForm, by: &str, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    let what = ApprovalKind::parse(form.what.trim()).map_err(|_| errors.push(err("what", "Select what the chair agrees"))).ok();
    let name = ix.body(m.body.as_str()).map_or("the body", |b| b.name.as_str());
    if !crate::permissions::can(actor, crate::permissions::Action::Edit, &Resource::Approval(m.body.clone())) {
        errors.push(err("what", format!("Only the chair of {name} can agree its business: ask them to sign in and agree it")));
    }
    if let Some(w) = what {
        if w == ApprovalKind::Agenda && m.items.is_empty() {
            errors.push(err("what", "There is no agenda to agree yet: add its items first"));
        }
        if m.approvals.iter().any(|a| a.what == w) {
            errors.push(err("what", format!("{} has already been agreed", w.label())));
        }
    }
    not_cancelled(&mut errors, &m, "what", "there is nothing to agree");
    if !errors.is_empty() {
        return Err(errors);
    }
    let approval = Approval { what: what.expect("checked"), by: line(by), on: today };
    // Recorded on the meeting's row, or with the meeting when it is only planned.
    let recorded_meeting = ix.register.meetings.iter().any(|x| x.slug == m.slug);
    let body = m.body.clone();
    let recorded = Recorded {
        action: "agree",
        record_kind: "approval",
        record_id: format!("{}/{}", m.slug, approval.what.code()),
        body: Some(body.clone()),
        before: None,
        after: Some(serde_json::json!({ "what": approval.what.label(), "by": approval.by, "on": approval.on })),
    };
    let writes = if recorded_meeting {
        vec![Write::PutApproval { meeting: m.slug.clone(), approval }]
    } else {
        let mut new = m.clone();
        new.approvals.push(approval);
        vec![Write::PutMeeting(new)]
    };
    Ok(Change { writes, resource: Resource::Approval(body), recorded })
}

/// Publishes a meeting's agenda today.
pub fn plan_publish_agenda(ix: &Index, meeting: &str, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (mut m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "agenda", "its agenda cannot be published");
    if m.items.is_empty() {
        errors.push(err("agenda", "Add at least one item to the agenda before publishing it"));
    } else if awaiting_approval(ix, &m, ApprovalKind::Agenda) {
        errors.push(err("agenda", "The chair has not agreed this agenda yet: it is published once they have"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    m.agenda_published = Some(today);
    if m.status == MeetingStatus::Scheduled {
        m.status = MeetingStatus::AgendaPublished;
    }
    Ok(meeting_change(ix, "publish-agenda", Vec::new(), m))
}

/// The day a meeting's agenda must be published by, under its body's rule.
pub fn agenda_deadline(ix: &Index, m: &Meeting) -> Option<NaiveDate> {
    let days = ix.body(m.body.as_str())?.agenda_notice_days?;
    let day = NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").ok()?;
    Some(day - chrono::Days::new(days.into()))
}

// ---- attendance ----------------------------------------------------------------------

/// Records one person's attendance at a meeting (replacing what was recorded
/// of them before). Who took part is recorded from the meeting's day, as of
/// `today`; before it, only apologies.
pub fn plan_attendance(ix: &Index, actor: &Actor, meeting: &str, form: &AttendanceForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (mut m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "person", "nobody can attend it");
    check_name(&mut errors, "person", &form.person, "Enter the name of the person attending");
    let kind = AttendanceKind::parse(form.kind.trim())
        .map_err(|_| errors.push(err("kind", "Select how they took part: present, apologies, substitute, adviser, observer or in attendance")))
        .ok();
    let day = NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").ok();
    if let (Some(day), Some(k)) = (day.filter(|d| *d > today), kind.filter(|k| *k != AttendanceKind::Apologies)) {
        errors.push(err(
            "kind",
            format!(
                "The meeting is on {}: record who was {} on or after that day; before it, only apologies can be recorded",
                day.format("%-d %B %Y"),
                k.label().to_lowercase()
            ),
        ));
    }
    let body = m.body.to_string();
    let mut seat = None;
    if !form.seat.trim().is_empty() {
        match ix.seats_of(&body).find(|s| s.slug.as_str() == form.seat.trim()) {
            Some(s) => seat = Some(s.slug.clone()),
            None => errors.push(err("seat", "Select one of the body's seats, or none")),
        }
    }
    let mut new_people = Vec::new();
    let person = (!form.person.trim().is_empty()).then(|| person_for(ix, actor, &form.person, &mut new_people));
    let mut substitute_for = None;
    let chair_agreed = ticked(&form.chair_agreed);
    if kind == Some(AttendanceKind::Substitute) {
        let member = ix.register.memberships.iter().find(|x| x.body.as_str() == body && x.slug.as_str() == form.substitute_for.trim());
        match (member, member.and_then(|x| x.person.as_ref())) {
            (Some(member), Some(absent)) => {
                let named = person.as_ref().is_some_and(|p| member.substitutes.contains(p));
                if !named && !chair_agreed {
                    let who = ix.person(absent.as_str()).map_or("the member", |p| p.name.as_str());
                    errors.push(err(
                        "substitute_for",
                        format!("{} is not a named substitute for {who}: record them only if the chair agreed, and say so", line(&form.person)),
                    ));
                }
                if person.as_ref() == Some(absent) {
                    errors.push(err("substitute_for", "A member cannot stand in for themselves"));
                }
                seat = Some(member.seat.clone());
                substitute_for = Some(absent.clone());
            }
            _ => errors.push(err("substitute_for", "Select the member they stand in for")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let person = person.expect("checked above");
    let attendance = Attendance {
        person: person.clone(),
        seat,
        kind: kind.expect("checked above"),
        substitute_for,
        chair_agreed: chair_agreed && kind == Some(AttendanceKind::Substitute),
    };
    let mut writes: Vec<Write> = new_people.into_iter().map(Write::AddPerson).collect();
    if !ix.register.meetings.iter().any(|x| x.slug == m.slug) {
        // A planned meeting is recorded with its first attendance.
        m.attendance.retain(|a| a.person != person);
        m.attendance.push(attendance);
        return Ok(meeting_change(ix, "record-attendance", writes, m));
    }
    // One row: this person's attendance; its "before" is what was recorded of them.
    let before = m.attendance.iter().find(|a| a.person == person).map(to_value);
    let recorded = Recorded {
        action: "record-attendance",
        record_kind: "attendance",
        record_id: format!("{}/{person}", m.slug),
        body: Some(m.body.clone()),
        before,
        after: Some(to_value(&attendance)),
    };
    let body = m.body.clone();
    writes.push(Write::PutAttendance { meeting: m.slug, attendance });
    Ok(Change { writes, resource: Resource::Meeting(body), recorded })
}

/// How many members (or their substitutes) a meeting's attendance counts
/// towards its quorum.
pub fn quorum_count(ix: &Index, m: &Meeting) -> usize {
    m.attendance
        .iter()
        .filter(|a| matches!(a.kind, AttendanceKind::Present | AttendanceKind::Substitute))
        .filter(|a| a.seat.as_ref().and_then(|s| ix.seats_of(m.body.as_str()).find(|x| &x.slug == s)).is_some_and(|s| s.role.decides()))
        .count()
}

// ---- held, minutes and their approval -----------------------------------------------

/// Moves a meeting on through its life: held, draft minutes, minutes approved.
pub fn plan_minutes(ix: &Index, meeting: &str, form: &MinutesForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (mut m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    let body = m.body.to_string();
    let day = NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").ok();
    let action = match form.action.trim() {
        "held" => {
            not_cancelled(&mut errors, &m, "action", "it cannot be recorded as held");
            if day.is_some_and(|d| d > today) {
                errors.push(err("action", "This meeting has not happened yet: record it as held on or after its day"));
            }
            if !form.chaired_by.trim().is_empty() {
                match ix.seats_of(&body).find(|s| s.slug.as_str() == form.chaired_by.trim()) {
                    Some(s) => m.chaired_by = Some(s.slug.clone()),
                    None => errors.push(err("chaired_by", "Select the seat whose holder chaired the meeting")),
                }
            }
            if matches!(m.status, MeetingStatus::Scheduled | MeetingStatus::AgendaPublished) {
                m.status = MeetingStatus::Held;
            }
            "record-held"
        }
        "minutes" => {
            if !matches!(m.status, MeetingStatus::Held | MeetingStatus::DraftMinutes) {
                errors.push(err("minutes", "Record the meeting as held before writing its minutes; approved minutes cannot be changed"));
            }
            let text = lines(&mut errors, "minutes", "Minutes", &form.minutes);
            if text.is_empty() {
                errors.push(err("minutes", "Enter the minutes, a paragraph a line"));
            }
            // Minutes changed after the chair agreed them must be agreed again.
            if m.minutes != text {
                m.approvals.retain(|a| a.what != ApprovalKind::Minutes);
            }
            m.minutes = text;
            m.status = MeetingStatus::DraftMinutes;
            "draft-minutes"
        }
        "approve" => {
            if m.status != MeetingStatus::DraftMinutes {
                errors.push(err("approved_at", "Only draft minutes can be approved: save the minutes first"));
            }
            match ix.register.meetings.iter().find(|x| x.body == m.body && x.slug.as_str() == form.approved_at.trim()) {
                Some(at)
                    if at.date.as_str() > m.date.as_str()
                        && matches!(at.status, MeetingStatus::Held | MeetingStatus::DraftMinutes | MeetingStatus::MinutesApproved) =>
                {
                    m.minutes_approved_at = Some(at.slug.clone());
                }
                _ => errors.push(err("approved_at", "Select the later meeting, recorded as held, that approved the minutes")),
            }
            m.status = MeetingStatus::MinutesApproved;
            "approve-minutes"
        }
        _ => {
            errors.push(err("action", "Select what to record"));
            ""
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(meeting_change(ix, action, Vec::new(), m))
}

// ---- decisions, notice and ratification ---------------------------------------------
