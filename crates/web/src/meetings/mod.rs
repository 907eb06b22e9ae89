//! Meetings on the web: a meeting's public page and papers, the calendar
//! and its feeds, and the secretariat's forms for a meeting's business.

pub(crate) mod api;
pub(crate) mod calendar;
pub(crate) mod manage;
pub(crate) mod pages;
