//! A meeting's business: its agenda and papers, who attended, whether it was
//! held and its minutes, the decisions taken at it, the forward plan of
//! decisions to come, and the constituent bodies' ratifications.

use super::*;
use crate::dataset::{outcome_verb, OUTCOME_VERBS};
use crate::schedule::find_meeting;
use chrono::NaiveDate;

/// The largest paper that may be uploaded.
pub const MAX_PAPER_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of file a paper may be: PDF and office formats, by extension,
/// with the bytes each must begin with.
pub const PAPER_TYPES: [(&str, &str, &[u8]); 10] = [
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ("odp", "application/vnd.oasis.opendocument.presentation", b"PK\x03\x04"),
    ("doc", "application/msword", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
    ("xls", "application/vnd.ms-excel", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
    ("ppt", "application/vnd.ms-powerpoint", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
];

/// An uploaded file, before it becomes a paper.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    /// The first bytes of the file (at least 8, where it has them).
    pub head: Vec<u8>,
    pub size: usize,
    pub sha256: String,
}

/// The media type of an upload, or why it cannot be a paper.
pub fn paper_type(u: &Upload) -> Result<&'static str, String> {
    let names = || PAPER_TYPES.iter().map(|t| t.0.to_uppercase()).collect::<Vec<_>>().join(", ");
    if u.size == 0 {
        return Err("The selected file is empty".to_owned());
    }
    if u.size > MAX_PAPER_BYTES {
        return Err(format!("The selected file must be smaller than {} MB", MAX_PAPER_BYTES / 1024 / 1024));
    }
    let ext = u.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((_, media, magic)) = PAPER_TYPES.iter().find(|t| t.0 == ext) else {
        return Err(format!("The selected file must be a {}", names()));
    };
    if !u.head.starts_with(magic) {
        return Err(format!("The selected file is not a real {} file: check it opens, then upload it again", ext.to_uppercase()));
    }
    Ok(media)
}

/// The meeting to change, refused when there is none.
fn meeting_to_change(ix: &Index, slug: &str) -> Result<(Meeting, Option<crate::schedule::Planned>), Vec<FieldError>> {
    find_meeting(ix, slug).ok_or_else(|| vec![err("meeting", "There is no such meeting")])
}

fn meeting_change(ix: &Index, action: &'static str, mut writes: Vec<Write>, new: Meeting) -> Change {
    let old = ix.register.meetings.iter().find(|m| m.slug == new.slug);
    let recorded = Recorded {
        action,
        record_kind: "meeting",
        record_id: new.slug.to_string(),
        body: new.body.clone(),
        before: old.map(to_value),
        after: Some(to_value(&new)),
    };
    let body = new.body.clone();
    writes.push(Write::PutMeeting(new));
    Change { writes, resource: Resource::Meeting(body), recorded }
}

fn not_cancelled(errors: &mut Vec<FieldError>, m: &Meeting, field: &'static str, what: &str) {
    if m.status == MeetingStatus::Cancelled {
        errors.push(err(field, format!("This meeting is cancelled, so {what}. Reinstate it by moving it to a new date first")));
    }
}

// ---- the agenda ----------------------------------------------------------------------

/// "Add an agenda item" (or a paper to an item already on the agenda).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AgendaItemForm {
    pub number: String,
    pub title: String,
    pub presenter: String,
    pub decision_required: Option<String>,
    pub exempt: String,
    pub paper_title: String,
}

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
    let media = upload.and_then(|u| paper_type(u).map_err(|e| errors.push(err("paper", e))).ok());
    if existing.is_some() && upload.is_none() && form.title.trim().is_empty() {
        errors.push(err("paper", format!("Item {number} is already on the agenda: choose a paper to add to it, or give a new title")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let index = existing.unwrap_or_else(|| {
        m.items.push(AgendaItem { number: number.clone(), title: String::new(), presenter: None, decision_required: false, exempt: None, papers: Vec::new() });
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
        // A planned meeting is recorded with its first item.
        m.items.sort_by_key(|a| agenda_order(&a.number));
        return Ok(meeting_change(ix, "add-agenda-item", Vec::new(), m));
    }
    // One row: the item, with its papers; its "before" is the item as it was.
    let item = m.items[index].clone();
    let before = existing.and_then(|_| ix.register.meetings.iter().find(|x| x.slug == m.slug)?.items.iter().find(|i| i.number == item.number)).map(to_value);
    let recorded = Recorded {
        action: "add-agenda-item",
        record_kind: "agenda-item",
        record_id: format!("{}/{}", m.slug, item.number),
        body: m.body.clone(),
        before,
        after: Some(to_value(&item)),
    };
    let body = m.body.clone();
    Ok(Change { writes: vec![Write::PutAgendaItem { meeting: m.slug, item }], resource: Resource::Meeting(body), recorded })
}

/// The order of agenda items: "2" before "10", and "4" before "4a". Items
/// are always kept in it, in memory and as read from the store.
pub fn agenda_order(n: &str) -> (u64, String) {
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), n[digits.len()..].to_owned())
}

/// Publishes a meeting's agenda today.
pub fn plan_publish_agenda(ix: &Index, meeting: &str, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (mut m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "agenda", "its agenda cannot be published");
    if m.items.is_empty() {
        errors.push(err("agenda", "Add at least one item to the agenda before publishing it"));
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

/// "Record attendance" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AttendanceForm {
    pub person: String,
    pub kind: String,
    /// The seat they sat in: `seat-slug`.
    pub seat: String,
    /// For a substitute: the membership of the member they stand in for.
    pub substitute_for: String,
    pub chair_agreed: Option<String>,
}

/// Records one person's attendance at a meeting (replacing what was recorded
/// of them before).
pub fn plan_attendance(ix: &Index, meeting: &str, form: &AttendanceForm) -> Result<Change, Vec<FieldError>> {
    let (mut m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "person", "nobody can attend it");
    check_name(&mut errors, "person", &form.person, "Enter the name of the person attending");
    let kind = AttendanceKind::parse(form.kind.trim())
        .map_err(|_| errors.push(err("kind", "Select how they took part: present, apologies, substitute, adviser, observer or in attendance")))
        .ok();
    let body = m.body.to_string();
    let mut seat = None;
    if !form.seat.trim().is_empty() {
        match ix.seats_of(&body).find(|s| s.slug.as_str() == form.seat.trim()) {
            Some(s) => seat = Some(s.slug.clone()),
            None => errors.push(err("seat", "Select one of the body's seats, or none")),
        }
    }
    let mut new_people = Vec::new();
    let person = (!form.person.trim().is_empty()).then(|| person_for(ix, &form.person, &mut new_people));
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
        body: m.body.clone(),
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

/// "Record the meeting as held", "Save draft minutes" or "Approve the minutes".
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MinutesForm {
    /// `held`, `minutes` or `approve`.
    pub action: String,
    /// For `held`: the seat whose holder chaired.
    pub chaired_by: String,
    /// For `minutes`: the text, a paragraph a line.
    pub minutes: String,
    /// For `approve`: the meeting that approved them.
    pub approved_at: String,
}

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

/// The organisations that make up a body: those its members' seats are for.
/// They are the constituent bodies asked to ratify its decisions.
pub fn constituents(ix: &Index, body: &str) -> Vec<Slug> {
    let mut out: Vec<Slug> = Vec::new();
    for s in ix.seats_of(body).filter(|s| s.role.decides()) {
        if let Some(Party::Organisation(o)) = &s.on_behalf_of {
            if !out.contains(o) {
                out.push(o.clone());
            }
        }
    }
    out
}

/// The notice a decision had, in days, and the notice its body's rule asks
/// for, when the decision had less.
pub fn short_notice(ix: &Index, d: &Decision) -> Option<(Option<i64>, u32)> {
    let required = ix.body(d.body.as_str())?.decisions.notice_days?;
    let day = NaiveDate::parse_from_str(d.date.as_str(), "%Y-%m-%d").ok()?;
    let had = d.notified.map(|n| (day - n).num_days());
    (had.is_none_or(|h| h < i64::from(required))).then_some((had, required))
}

/// Whether a decision must be ratified by each constituent body: its body's
/// rule says so for decisions beyond delegated authority or taken with too
/// little notice.
pub fn needs_ratification(ix: &Index, d: &Decision) -> bool {
    !d.forthcoming
        && ix.body(d.body.as_str()).is_some_and(|b| b.decisions.ratification_by_constituents)
        && (d.beyond_delegation || short_notice(ix, d).is_some())
}

/// Where a decision is with ratification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RatificationState {
    NotNeeded,
    Awaiting,
    Ratified,
    Failed,
}

impl RatificationState {
    pub fn label(self) -> &'static str {
        match self {
            RatificationState::NotNeeded => "No ratification needed",
            RatificationState::Awaiting => "Awaiting ratification",
            RatificationState::Ratified => "Ratified",
            RatificationState::Failed => "Not ratified",
        }
    }
}

pub fn ratification_state(ix: &Index, d: &Decision) -> RatificationState {
    if !needs_ratification(ix, d) {
        RatificationState::NotNeeded
    } else if d.ratifications.iter().any(|r| r.status == RatificationStatus::Declined) {
        RatificationState::Failed
    } else if !d.ratifications.is_empty() && d.ratifications.iter().all(|r| r.status == RatificationStatus::Ratified) {
        RatificationState::Ratified
    } else {
        RatificationState::Awaiting
    }
}

/// "Record a decision" taken at a meeting, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DecisionForm {
    /// The forthcoming decision on the forward plan it takes, if any.
    pub forthcoming: String,
    pub title: String,
    pub summary: String,
    /// One resolution a line, each with its outcome verb in capitals.
    pub resolutions: String,
    /// `consensus` or `vote`.
    pub reached: String,
    pub votes_for: String,
    pub votes_against: String,
    pub votes_abstaining: String,
    /// The day it was first notified, when not taken from the forward plan.
    pub notified: String,
    pub beyond_delegation: Option<String>,
    pub key_decision: Option<String>,
    pub exempt: String,
    /// The wards (or other areas) it affects: codes or names, one a line or separated by commas.
    pub areas: String,
    /// An earlier decision on the same matter: the two share an issue history.
    pub follows: String,
}

/// Areas named by code or name, one a line or separated by commas.
fn areas_field(ix: &Index, errors: &mut Vec<FieldError>, value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in value.split([',', '\n']).map(line).filter(|n| !n.is_empty()) {
        let found = ix.area(&name).or_else(|| ix.register.areas.iter().find(|a| a.name.eq_ignore_ascii_case(&name)));
        match found {
            Some(a) if !out.contains(&a.code) => out.push(a.code.clone()),
            Some(_) => {}
            None => {
                errors.push(err("areas", format!("“{name}” is not an area in the register: give a ward's name or its GSS code, like E05015942")));
                break;
            }
        }
    }
    out
}

fn day_field(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| errors.push(err(field, format!("{what} must be a real date, like 2027-03-09")))).ok()
}

fn decision_change(ix: &Index, action: &'static str, d: Decision) -> Change {
    let old = ix.register.decisions.iter().find(|x| x.slug == d.slug);
    let recorded =
        Recorded { action, record_kind: "decision", record_id: d.slug.to_string(), body: d.body.clone(), before: old.map(to_value), after: Some(to_value(&d)) };
    let body = d.body.clone();
    Change { writes: vec![Write::PutDecision(d)], resource: Resource::Decision(body), recorded }
}

/// Records a decision taken at a meeting. Where it needs ratification, each
/// constituent body is asked, today.
pub fn plan_decision(ix: &Index, meeting: &str, form: &DecisionForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "title", "no decision can be recorded at it");
    if NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").is_ok_and(|d| d > today) {
        errors.push(err("title", "This meeting has not happened yet: record its decisions on or after its day, or put them on the forward plan"));
    }
    let plan = (!form.forthcoming.trim().is_empty())
        .then(|| ix.register.decisions.iter().find(|d| d.forthcoming && d.body == m.body && d.slug.as_str() == form.forthcoming.trim()));
    if plan == Some(None) {
        errors.push(err("forthcoming", "Select one of the body's forthcoming decisions, or none"));
    }
    let plan = plan.flatten();
    let title = if form.title.trim().is_empty() { plan.map(|p| p.title.clone()).unwrap_or_default() } else { line(&form.title) };
    if title.is_empty() {
        errors.push(err("title", "Enter the decision's title"));
    }
    check_len(&mut errors, "title", "Title", &title, 200);
    let summary = lines(&mut errors, "summary", "Decision", &form.summary);
    let mut resolutions = Vec::new();
    for (i, text) in lines(&mut errors, "resolutions", "Resolutions", &form.resolutions).into_iter().enumerate() {
        match outcome_verb(&text) {
            Some(v) => resolutions.push(Resolution { number: Some((i + 1).to_string()), text, verb: v.to_owned() }),
            None => errors.push(err(
                "resolutions",
                format!("Resolution {} has no outcome verb: end it as minuted, in capitals, with one of {}", i + 1, OUTCOME_VERBS.join(", ")),
            )),
        }
    }
    if resolutions.is_empty() && !errors.iter().any(|e| e.field == "resolutions") {
        errors.push(err("resolutions", "Enter what was resolved, one resolution a line, like “That the plan be AGREED.”"));
    }
    let reached = match form.reached.trim() {
        "consensus" => Some(Reached::Consensus),
        "vote" => {
            let n = |errors: &mut Vec<FieldError>, f: &'static str, w: &str, v: &str| {
                number(errors, f, w, if v.trim().is_empty() { "0" } else { v }, 0..=1000).unwrap_or(0)
            };
            Some(Reached::Vote {
                r#for: n(&mut errors, "votes_for", "Votes for", &form.votes_for),
                against: n(&mut errors, "votes_against", "Votes against", &form.votes_against),
                abstaining: n(&mut errors, "votes_abstaining", "Abstentions", &form.votes_abstaining),
            })
        }
        _ => {
            errors.push(err("reached", "Select how the decision was reached: by consensus or by a vote"));
            None
        }
    };
    let notified = plan.and_then(|p| p.notified).or_else(|| day_field(&mut errors, "notified", "The day it was first notified", &form.notified));
    let exempt = exemption(&mut errors, &form.exempt);
    let mut areas = areas_field(ix, &mut errors, &form.areas);
    let earlier = (!form.follows.trim().is_empty()).then(|| ix.register.decisions.iter().find(|d| !d.forthcoming && d.slug.as_str() == form.follows.trim()));
    if earlier == Some(None) {
        errors.push(err("follows", "Select one of the decisions already taken, or none"));
    }
    let earlier = earlier.flatten();
    if !errors.is_empty() {
        return Err(errors);
    }
    if areas.is_empty() {
        areas = plan.map(|p| p.areas.clone()).unwrap_or_default();
    }
    let slug = plan
        .map(|p| p.slug.clone())
        .unwrap_or_else(|| free_slug(&slugify(&format!("{title} {}", m.date.as_str())), |s| ix.register.decisions.iter().any(|d| d.slug.as_str() == s)));
    let mut d = Decision {
        slug,
        body: m.body.clone(),
        date: m.date.clone(),
        title,
        key_decision: Some(ticked(&form.key_decision)),
        call_in: None,
        summary,
        minutes: Vec::new(),
        resolutions,
        reached,
        areas,
        documents: Vec::new(),
        // Following an earlier decision joins its issue (named after it, if it had none).
        issue: earlier.map(|e| e.issue.clone().unwrap_or_else(|| e.slug.clone())).or_else(|| plan.and_then(|p| p.issue.clone())),
        meeting: Some(m.slug.clone()),
        sources: Vec::new(),
        exempt,
        forthcoming: false,
        notified,
        beyond_delegation: ticked(&form.beyond_delegation) || plan.is_some_and(|p| p.beyond_delegation),
        ratifications: Vec::new(),
    };
    if needs_ratification(ix, &d) {
        d.ratifications = constituents(ix, m.body.as_str())
            .into_iter()
            .map(|o| Ratification { organisation: o, requested: today, status: RatificationStatus::Pending, answered: None, minute: None })
            .collect();
    }
    let mut change = decision_change(ix, "record-decision", d);
    if let Some(e) = earlier.filter(|e| e.issue.is_none()) {
        change.writes.push(Write::PutDecision(Decision { issue: Some(e.slug.clone()), ..e.clone() }));
    }
    Ok(change)
}

/// A constituent body's answer, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RatificationForm {
    pub organisation: String,
    /// `pending`, `ratified` or `declined`.
    pub status: String,
    pub answered: String,
    pub minute: String,
}

/// Records a constituent body's answer to a request to ratify a decision.
pub fn plan_ratification(ix: &Index, decision: &str, form: &RatificationForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(d) = ix.register.decisions.iter().find(|d| d.slug.as_str() == decision) else { return Err(vec![err("decision", "There is no such decision")]) };
    let mut errors = Vec::new();
    let body = d.body.to_string();
    let org = form.organisation.trim();
    let members = constituents(ix, &body);
    if !members.iter().any(|o| o.as_str() == org) {
        let name = ix.organisation(org).map_or(org, |o| o.name.as_str());
        let body_name = ix.body(&body).map_or(body.as_str(), |b| b.name.as_str());
        errors.push(err(
            "organisation",
            format!("{name} is not a constituent body of {body_name}: only the organisations its members represent ratify its decisions"),
        ));
    } else if !d.ratifications.iter().any(|r| r.organisation.as_str() == org) {
        errors.push(err("organisation", "This decision has not been sent to that body for ratification"));
    }
    let status = RatificationStatus::parse(form.status.trim())
        .map_err(|_| errors.push(err("status", "Select whether the body ratified or declined the decision, or it is still pending")))
        .ok();
    let answered = day_field(&mut errors, "answered", "The day of its decision", &form.answered);
    let decided_on = NaiveDate::parse_from_str(d.date.as_str(), "%Y-%m-%d").ok();
    if answered.is_some_and(|a| a > today || decided_on.is_some_and(|d| a < d)) {
        errors.push(err("answered", "The day of its decision must fall between the decision and today"));
    }
    check_len(&mut errors, "minute", "Minute reference", form.minute.trim(), 100);
    if matches!(status, Some(RatificationStatus::Ratified | RatificationStatus::Declined)) {
        if answered.is_none() {
            errors.push(err("answered", "Enter the day the body made its decision, like 2027-03-09"));
        }
        if form.minute.trim().is_empty() {
            errors.push(err("minute", "Enter the minute reference of the body's decision"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut new = d.clone();
    let status = status.expect("checked above");
    for r in new.ratifications.iter_mut().filter(|r| r.organisation.as_str() == org) {
        r.status = status;
        r.answered = answered.filter(|_| status != RatificationStatus::Pending);
        r.minute = opt_line(&form.minute).filter(|_| status != RatificationStatus::Pending);
    }
    Ok(decision_change(ix, "record-ratification", new))
}

/// "Add to the forward plan" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ForthcomingForm {
    pub title: String,
    /// The day it is expected to be taken.
    pub date: String,
    /// The day it was first notified (today when left empty).
    pub notified: String,
    pub beyond_delegation: Option<String>,
    pub key_decision: Option<String>,
    pub exempt: String,
}

/// Puts a decision to come on the body's forward plan.
pub fn plan_forthcoming(ix: &Index, body: &str, form: &ForthcomingForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    check_name(&mut errors, "title", &form.title, "Enter the decision's title");
    let date = day_field(&mut errors, "date", "The day it is expected", &form.date);
    if date.is_none() && !errors.iter().any(|e| e.field == "date") {
        errors.push(err("date", "Enter the day the decision is expected, like 2027-03-09"));
    }
    let notified = day_field(&mut errors, "notified", "The day it was first notified", &form.notified).unwrap_or(today);
    if date.is_some_and(|d| d < notified) {
        errors.push(err("date", "The decision cannot be expected before it was notified"));
    }
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let date = date.expect("checked above");
    let title = line(&form.title);
    let slug = free_slug(&slugify(&format!("{title} {}", date.format("%Y-%m-%d"))), |s| ix.register.decisions.iter().any(|d| d.slug.as_str() == s));
    let d = Decision {
        slug,
        body: b.slug.clone(),
        date: PartialDate::parse(&date.format("%Y-%m-%d").to_string()).expect("a real date"),
        title,
        key_decision: Some(ticked(&form.key_decision)),
        call_in: None,
        summary: Vec::new(),
        minutes: Vec::new(),
        resolutions: Vec::new(),
        reached: None,
        areas: Vec::new(),
        documents: Vec::new(),
        issue: None,
        meeting: None,
        sources: Vec::new(),
        exempt,
        forthcoming: true,
        notified: Some(notified),
        beyond_delegation: ticked(&form.beyond_delegation),
        ratifications: Vec::new(),
    };
    Ok(decision_change(ix, "add-forthcoming-decision", d))
}
