//! The leaf of the Placeworks workspace: what every capability shares and
//! none owns. Nothing here knows about bodies, meetings or places.

pub mod clock;

pub use clock::{Clock, LONDON};
