//! The shell every capability's pages, forms and API stand on: the read
//! model (`site`), the viewer and sign-in (`viewer`, `auth`, `accounts`),
//! the write path and its group commit (`write`, `commit`), rendering (`templates`), the error pages (`errors`), the headers,
//! timeouts and server loop that keep hostile traffic out (`guard`), and the pictures and
//! feeds drawn by the server (`svg`, `maps`, `calendar`). It knows no
//! capability's pages.

pub mod accounts;
pub(crate) mod api;
pub mod auth;
pub mod calendar;
pub(crate) mod commit;
pub(crate) mod errors;
pub(crate) mod feeds;
pub mod guard;
pub mod maps;
pub(crate) mod pdf;
pub(crate) mod render;
pub(crate) mod site;
pub(crate) mod svg;
pub(crate) mod templates;
pub(crate) mod viewer;
pub(crate) mod write;
