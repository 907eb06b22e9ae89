//! The Placeworks domain: the partnership register and the rules around it.
//!
//! This crate has no HTTP and no SQL. The store persists what it defines; the
//! web crate presents it.

pub mod accounts;
pub mod confidential;
pub mod dataset;
pub mod edits;
pub mod governance;
pub mod ids;
pub mod indicators;
pub mod needs;
pub mod permissions;
pub mod popolo;
pub mod queries;
pub mod register;
pub mod schedule;
pub mod services;

pub use ids::{GssCode, PartialDate, Slug};
pub use register::Register;
