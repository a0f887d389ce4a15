//! linkj: a terminal browser for partnership networks, shipped with LINK-J's.
//!
//! The binary is a thin shell over this library so that tests and benchmarks drive the
//! same code a user runs.

pub mod action;
pub mod app;
pub mod cache;
pub mod catalog;
pub mod command;
pub mod config;
pub mod data;
pub mod filter;
pub mod geo;
pub mod hyperlink;
pub mod i18n;
pub mod keymap;
pub mod listing;
pub mod mode;
pub mod palette;
pub mod report;
pub mod search;
pub mod serve;
pub mod session;
pub mod stats;
pub mod status;
pub mod summary;
pub mod synth;
pub mod text;
pub mod ui;

pub use session::update;
