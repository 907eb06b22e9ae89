//! The form an analyst or register keeper fills in to define one of the
//! council's own areas.

use crate::places::model::Area;
use serde::{Deserialize, Serialize};

/// "Define an area" or "Change an area" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AreaForm {
    pub name: String,
    /// `local-community-area` or `named-set`.
    pub kind: String,
    /// The areas it is made of, by name or code, one to a line (or separated by `;`).
    pub members: String,
    /// The area it lies within, by name or code; the council's own area if empty.
    pub parent: String,
    pub valid_from: String,
    pub valid_to: String,
    pub note: String,
}

impl AreaForm {
    /// The form filled in from an area: its members by name, one to a line.
    pub fn from_record(areas: &[Area], a: &Area) -> AreaForm {
        let name = |code: &str| areas.iter().find(|x| x.code == code).map_or_else(|| code.to_owned(), |x| x.name.clone());
        AreaForm {
            name: a.name.clone(),
            kind: a.kind.code().to_owned(),
            members: a.members.iter().map(|m| name(m)).collect::<Vec<_>>().join("\n"),
            parent: a.parent.as_deref().map(name).unwrap_or_default(),
            valid_from: a.valid_from.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            valid_to: a.valid_to.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            note: a.note.clone().unwrap_or_default(),
        }
    }
}
