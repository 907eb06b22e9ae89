//! The partnership register: who governs what. Organisations, people, posts,
//! bodies, their seats and memberships, and the relations between bodies.

pub mod commands;
pub mod dataset;
pub mod forms;
pub mod keeping;
pub mod model;
pub mod queries;
pub mod visibility;

pub use commands::*;
pub use forms::*;
pub use keeping::*;
pub use model::*;
pub use queries::*;
