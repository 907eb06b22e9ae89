//! Places: areas with their GSS codes and boundaries, the indicators measured
//! for them, indicators imported from real-world CSV, and the needs
//! assessment that targets the places in most need.

pub mod commands;
pub mod dataset;
pub mod find;
pub mod forms;
pub mod generations;
pub mod import;
pub mod model;
pub mod needs;
pub mod postcodes;

pub use model::*;
