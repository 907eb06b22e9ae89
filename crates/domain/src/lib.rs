//! The Placeworks domain: the partnership register and the rules around it.
//!
//! This crate has no HTTP and no SQL. The store persists what it defines; the
//! web crate presents it.
//!
//! It is laid out by capability (`register`, `places`, `meetings`,
//! `decisions`, `services`, then `governance` and `open_data`, which read the
//! others), each a folder with the same rooms: `model` (the records),
//! `dataset` (reading them from a council's folder), `forms` (what a person
//! typed), `commands` (the changes, planned without I/O) and `queries`.
//! Below them sit the pieces no capability owns (identifiers, permissions,
//! accounts, form fields, recurrence, the dataset reader); between the
//! models and the rooms sit the council's register (every capability's
//! records as one value) and the change every command plans. Above them,
//! `visibility` and `dataset` put the capabilities together.
//! `docs/ARCHITECTURE.md` draws the map, and `crates/web/tests/layout.rs`
//! holds its direction.

#[macro_use]
pub mod ids;
pub mod accounts;
pub mod forms;
pub mod permissions;
pub mod reader;
pub mod recurrence;

pub mod change;
pub mod council;

pub mod decisions;
pub mod meetings;
pub mod places;
pub mod programmes;
pub mod register;
pub mod services;

pub mod governance;
pub mod open_data;

pub(crate) mod coherence;
pub mod dataset;
pub mod visibility;

pub use council::Register;
pub use ids::{GssCode, PartialDate, Slug};

/// Every capability's records, for the crates that store and show them all.
pub mod records {
    pub use crate::council::Register;
    pub use crate::decisions::model::*;
    pub use crate::meetings::model::*;
    pub use crate::places::model::*;
    pub use crate::register::model::*;
    pub use crate::services::model::*;
}
