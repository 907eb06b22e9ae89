//! Meetings: when a body meets, its agenda and papers, who came, and the
//! minutes.

use crate::ids::{PartialDate, Slug};
use placeworks_kernel::Exemption;
use serde::{Deserialize, Serialize};
vocabulary! {
    /// Where a meeting is in its life.
    MeetingStatus {
        Scheduled = "scheduled" / "Scheduled",
        AgendaPublished = "agenda-published" / "Agenda published",
        Held = "held" / "Held",
        DraftMinutes = "draft-minutes" / "Draft minutes",
        MinutesApproved = "minutes-approved" / "Minutes approved",
        Cancelled = "cancelled" / "Cancelled",
    }
}

/// A meeting as recorded: held, to come, moved or cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub slug: Slug,
    pub body: Slug,
    /// The day (or only the month, where a record gives no day).
    pub date: PartialDate,
    /// The London time it starts, where known.
    pub time: Option<chrono::NaiveTime>,
    pub status: MeetingStatus,
    /// The group of the body it is for.
    pub group: Option<Slug>,
    /// The meeting the body's cadence planned that this one stands for
    /// (moved or cancelled), in London time.
    pub planned_for: Option<chrono::NaiveDateTime>,
    pub note: Option<String>,
    /// The day the agenda was published, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_published: Option<chrono::NaiveDate>,
    /// The agenda, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<AgendaItem>,
    /// Who came, who sent apologies, and who stood in for whom.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendance: Vec<Attendance>,
    /// The seat whose holder chaired the meeting, once held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chaired_by: Option<Slug>,
    /// The minutes, paragraph by paragraph (draft until approved).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub minutes: Vec<String>,
    /// The meeting at which these minutes were approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_approved_at: Option<Slug>,
    /// What the chair agreed of this meeting's business, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    /// The sources (keys of the council's `[[source]]`) the record is taken from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
}

/// The chair's agreement of part of a meeting's business: who, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    pub what: crate::register::model::ApprovalKind,
    /// The name of the account that agreed it: the chair's.
    pub by: String,
    pub on: chrono::NaiveDate,
}

/// An item of business on an agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Its number on the agenda: "1", "4a".
    pub number: String,
    pub title: String,
    pub presenter: Option<String>,
    /// Whether the meeting is asked to decide something.
    pub decision_required: bool,
    /// Set when the item is taken in private: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub papers: Vec<Paper>,
    /// The body whose business this item brings up (its minutes or report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_body: Option<Slug>,
}

/// An uploaded paper. The file itself is kept outside the database, named by
/// its SHA-256; the record keeps what is needed to serve it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paper {
    pub slug: Slug,
    pub title: String,
    /// The name it was uploaded with, offered again on download.
    pub file_name: String,
    /// Such as `application/pdf`.
    pub media_type: String,
    pub size: u64,
    /// The SHA-256 of the content, in hex: the stored file's name.
    pub sha256: String,
    /// When it was uploaded (UTC, RFC 3339).
    pub uploaded: String,
}

vocabulary! {
    /// How someone took part in a meeting.
    AttendanceKind {
        Present = "present" / "Present",
        Apologies = "apologies" / "Apologies",
        Substitute = "substitute" / "Substitute",
        Adviser = "adviser" / "Adviser",
        Observer = "observer" / "Observer",
        InAttendance = "in-attendance" / "In attendance",
    }
}

/// One line of a meeting's attendance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub person: Slug,
    /// The seat they sat in (for a substitute, the absent member's seat).
    pub seat: Option<Slug>,
    pub kind: AttendanceKind,
    /// For a substitute: the member they stood in for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitute_for: Option<Slug>,
    /// For a substitute not named in advance: the chair agreed.
    #[serde(default)]
    pub chair_agreed: bool,
}

impl Meeting {
    /// A meeting with nothing recorded of it yet but when and for whom.
    pub fn new(
        slug: Slug,
        body: Slug,
        date: PartialDate,
        time: Option<chrono::NaiveTime>,
        status: MeetingStatus,
        group: Option<Slug>,
        planned_for: Option<chrono::NaiveDateTime>,
    ) -> Meeting {
        Meeting {
            slug,
            body,
            date,
            time,
            status,
            group,
            planned_for,
            note: None,
            agenda_published: None,
            items: Vec::new(),
            attendance: Vec::new(),
            chaired_by: None,
            minutes: Vec::new(),
            minutes_approved_at: None,
            approvals: Vec::new(),
            sources: Vec::new(),
            example: Vec::new(),
        }
    }

    /// Its start, when both day and time are known.
    pub fn start(&self) -> Option<chrono::NaiveDateTime> {
        let day = chrono::NaiveDate::parse_from_str(self.date.as_str(), "%Y-%m-%d").ok()?;
        Some(day.and_time(self.time?))
    }
}

/// The order of agenda items: "2" before "10", and "4" before "4a". Items
/// are always kept in it, in memory and as read from the store.
pub fn agenda_order(n: &str) -> (u64, String) {
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), n[digits.len()..].to_owned())
}
