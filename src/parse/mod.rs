//! placeholder
pub mod inline;
pub mod plain;
