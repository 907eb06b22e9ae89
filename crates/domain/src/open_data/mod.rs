//! Open data: the register published in open standards (Popolo), and
//! taken back out as a dataset.

pub mod dataset;
pub mod giving;
pub mod popolo;
