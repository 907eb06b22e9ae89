//! Programmes on the web: the list, and a programme's page with its levels
//! of working, themes, outcomes, target areas and the decisions behind it.

pub(crate) mod pages;
