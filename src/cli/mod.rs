//! The verbs of the `frontline` command, each parsing its arguments, calling the library and
//! printing.

pub mod args;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod front;
pub mod measure;
pub mod reconcile;
pub mod report;
pub mod warnings;
