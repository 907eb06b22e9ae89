//! Decisions: what bodies decide, the rules they are held to, the forward
//! plan and ratification by constituent bodies.

pub mod commands;
pub mod dataset;
pub mod forms;
pub mod model;
pub mod queries;
pub mod rules;
pub mod visibility;

pub use commands::*;
pub use forms::*;
pub use model::*;
pub use queries::*;
pub use rules::*;
