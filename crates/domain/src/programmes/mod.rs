//! Programmes, outcomes and money: what a council's decisions set going and
//! how it is measured. This first part holds the measures' arithmetic: the
//! periods they are reported for (financial years, their quarters and
//! months) and the explicit rules that turn a target and an actual into a
//! status, with the direction of travel.

pub mod period;
pub mod status;

pub use period::{Frequency, Period};
pub use status::{Direction, Judgement, Status, StatusRule, Tolerance};
