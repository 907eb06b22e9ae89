//! Governance health on the web.

pub(crate) mod pages;
