//! Places on the web: areas and their profiles, and the needs assessment.

pub(crate) mod api;
pub(crate) mod find;
pub(crate) mod keeping;
pub(crate) mod needs;
pub(crate) mod pages;
