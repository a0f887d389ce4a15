//! linkj: a terminal browser for partnership networks, shipped with LINK-J's.
//!
//! The binary is a thin shell over this library so that tests and benchmarks drive the
//! same code a user runs.

pub mod cli;
pub mod data;
pub mod text;
