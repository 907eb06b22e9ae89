//! The service baseline on the web.

pub(crate) mod pages;
