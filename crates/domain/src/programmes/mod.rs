//! Programmes, outcomes and money: what a council's decisions set going and
//! how it is measured. The records (`model`) hold a programme and its
//! measures, the periods they are reported for (financial years, their
//! quarters and months) and the explicit rules that turn a target and an
//! actual into a status, with the direction of travel; `dataset` reads them
//! from programmes/*.toml; `forms` reads an actual as typed (in the form or
//! a CSV file) and `commands` plans its write; `progress` is the rule an
//! initiative's progress rolls up from its parts by.

pub mod commands;
pub mod dataset;
pub mod forms;
pub mod model;
pub mod progress;
pub mod queries;
pub mod report;
pub mod visibility;

pub use model::{period, status};

pub use model::*;
pub use period::{Frequency, Period};
pub use progress::{initiative_tree, roll_up, Part, RollUp, Rolled};
pub use status::{measure_status, Direction, Judgement, Status, StatusRule, Tolerance};
