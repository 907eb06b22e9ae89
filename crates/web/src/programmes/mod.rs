//! Programmes on the web: the list, and a programme's page with its levels
//! of working, themes, outcomes, target areas and the decisions behind it,
//! each measure's page, and the forms that enter its figures; strategies
//! and action plans.

pub(crate) mod api;
pub(crate) mod manage;
pub(crate) mod money;
pub(crate) mod pages;
pub(crate) mod plans;
pub(crate) mod report;
