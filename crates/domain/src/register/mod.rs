//! The partnership register: who governs what. Organisations, people, posts,
//! bodies, their seats and memberships, and the relations between bodies.

pub mod commands;
pub mod dataset;
pub mod forms;
pub mod model;
pub mod queries;
pub mod visibility;

pub use commands::*;
pub use forms::*;
pub use model::*;
pub use queries::*;
