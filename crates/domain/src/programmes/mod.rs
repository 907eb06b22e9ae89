//! Programmes, outcomes and money: what a council's decisions set going and
//! how it is measured. This first part holds the measures' arithmetic: the
//! periods they are reported for (financial years, their quarters and
//! months), the explicit rules that turn a target and an actual into a
//! status, with the direction of travel, and the rule an initiative's
//! progress rolls up from its parts by.

pub mod dataset;
pub mod model;
pub mod period;
pub mod progress;
pub mod status;

pub use model::*;
pub use period::{Frequency, Period};
pub use progress::{roll_up, Part, RollUp, Rolled};
pub use status::{Direction, Judgement, Status, StatusRule, Tolerance};
