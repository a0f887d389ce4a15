//! linkj: a terminal browser for partnership networks, shipped with LINK-J's.
//!
//! The binary is a thin shell over this library so that tests and benchmarks drive the
//! same code a user runs.

pub mod action;
pub mod app;
pub mod cli;
pub mod data;
pub mod keymap;
pub mod model;
pub mod search;
pub mod stats;
pub mod status;
pub mod synth;
pub mod text;
pub mod ui;
pub mod update;
