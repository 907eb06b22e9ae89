//! The partnership register on the web: its public pages and the
//! secretariat's forms.

pub(crate) mod api;
pub(crate) mod keeping;
pub(crate) mod manage;
pub(crate) mod pages;
