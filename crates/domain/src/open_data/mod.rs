//! Open data: the register published in open standards (Popolo).

pub mod popolo;
