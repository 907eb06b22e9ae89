//! Decisions on the web: their public pages and feed, and the secretariat's
//! forms for decisions, ratifications and the forward plan.

pub(crate) mod manage;
pub(crate) mod pages;
