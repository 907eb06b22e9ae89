//! Meetings: a body's planned meetings from its cadence, and each meeting's
//! business (agenda, papers, attendance, minutes).

pub mod commands;
pub mod dataset;
pub mod forms;
pub mod model;
pub mod papers;
pub mod schedule;
pub mod visibility;

pub use commands::*;
pub use forms::*;
pub use model::*;
pub use papers::*;
