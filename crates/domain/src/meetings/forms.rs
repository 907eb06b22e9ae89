//! Meetings' forms as typed: a meeting, an agenda item, attendance, minutes.

use serde::{Deserialize, Serialize};

/// "Move, cancel or add a meeting" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MeetingForm {
    /// `move`, `cancel` or `add`.
    pub action: String,
    /// The planned meeting moved or cancelled: `2027-02-02T09:30`.
    pub planned_for: String,
    /// The new day and time, for a move or an added meeting.
    pub date: String,
    pub time: String,
    pub note: String,
}

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
