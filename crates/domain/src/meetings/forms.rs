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
    /// The new day and time, for a move or an added meeting: the day as
    /// typed in one field, or in the GOV.UK date input's three.
    pub date: String,
    pub date_day: String,
    pub date_month: String,
    pub date_year: String,
    pub time: String,
    pub note: String,
}

impl MeetingForm {
    /// The day as typed: the three fields of the date input put together
    /// (31/12/2026), or the one field.
    pub fn typed_date(&self) -> String {
        let parts = [self.date_day.trim(), self.date_month.trim(), self.date_year.trim()];
        if parts.iter().any(|p| !p.is_empty()) {
            parts.join("/")
        } else {
            self.date.clone()
        }
    }
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
    /// The body whose business the item brings up, when it was offered from one.
    pub from_body: String,
}

/// "The chair agrees" as chosen.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ApprovalForm {
    /// `dates`, `agenda`, `minutes` or `invitations`.
    pub what: String,
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
