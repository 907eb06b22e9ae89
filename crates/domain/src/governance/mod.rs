//! Governance: the checks a council's partnerships are held to, read from
//! every other capability (nothing reads it).

pub mod check;

pub use check::*;
