//! The verbs of the `frontline` command, each parsing its arguments, calling the library and
//! printing.

pub mod args;
pub mod measure;
pub mod report;
pub mod warnings;
