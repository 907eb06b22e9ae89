//! Services: where services are delivered, and each area's provision against
//! its baseline.

pub mod dataset;
pub mod model;
pub mod queries;

pub use model::*;
pub use queries::*;
