//! The leaf of the Placeworks workspace: what every capability shares and
//! none owns: the clock, the Schedule 12A exemption a record may carry, and
//! the problems a reader reports. Nothing here knows about bodies, meetings or places.

pub mod clock;
pub mod exemption;
pub mod problems;

pub use clock::{Clock, LONDON};
pub use exemption::Exemption;
pub use problems::{Problem, Problems};
