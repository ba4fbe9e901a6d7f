//! The three territorial statuses a control map draws.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Who holds a piece of territory, as the map draws it.
///
/// The order of the variants is the precedence used to make layers disjoint: where an
/// occupied and a contested polygon overlap, the overlap is occupied; where a contested and
/// a liberated polygon overlap, it is contested.
///
/// ```
/// use frontline::Status;
/// assert_eq!("contested".parse::<Status>().unwrap(), Status::Contested);
/// assert_eq!(Status::Liberated.to_string(), "liberated");
/// assert!(Status::Occupied < Status::Contested);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Held by the invading force (including territory occupied before 2022).
    Occupied,
    /// The grey zone: status unknown or contested.
    Contested,
    /// Taken back by the defending force.
    Liberated,
}

impl Status {
    /// All statuses in precedence order.
    pub const ALL: [Status; 3] = [Status::Occupied, Status::Contested, Status::Liberated];

    /// Position in [`Status::ALL`], for per-status arrays.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The lowercase name used in files and on the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Occupied => "occupied",
            Status::Contested => "contested",
            Status::Liberated => "liberated",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "occupied" => Ok(Status::Occupied),
            "contested" | "unknown" | "grey" | "gray" => Ok(Status::Contested),
            "liberated" => Ok(Status::Liberated),
            other => Err(format!(
                "unknown status `{other}` (expected occupied, contested or liberated)"
            )),
        }
    }
}

/// One value per status, indexed by [`Status`].
///
/// ```
/// use frontline::{PerStatus, Status};
/// let mut counts = PerStatus::<usize>::default();
/// counts[Status::Contested] += 2;
/// assert_eq!(counts.iter().map(|(_, n)| *n).sum::<usize>(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PerStatus<T> {
    /// The occupied value.
    pub occupied: T,
    /// The contested value.
    pub contested: T,
    /// The liberated value.
    pub liberated: T,
}

impl<T> PerStatus<T> {
    /// Builds one value per status from a function of the status.
    pub fn from_fn(mut f: impl FnMut(Status) -> T) -> Self {
        PerStatus {
            occupied: f(Status::Occupied),
            contested: f(Status::Contested),
            liberated: f(Status::Liberated),
        }
    }

    /// The statuses with their values, in precedence order.
    pub fn iter(&self) -> impl Iterator<Item = (Status, &T)> {
        Status::ALL.into_iter().map(move |s| (s, &self[s]))
    }

    /// Applies `f` to every value.
    pub fn map<U>(&self, mut f: impl FnMut(Status, &T) -> U) -> PerStatus<U> {
        PerStatus::from_fn(|s| f(s, &self[s]))
    }
}

impl<T> std::ops::Index<Status> for PerStatus<T> {
    type Output = T;
    fn index(&self, status: Status) -> &T {
        match status {
            Status::Occupied => &self.occupied,
            Status::Contested => &self.contested,
            Status::Liberated => &self.liberated,
        }
    }
}

impl<T> std::ops::IndexMut<Status> for PerStatus<T> {
    fn index_mut(&mut self, status: Status) -> &mut T {
        match status {
            Status::Occupied => &mut self.occupied,
            Status::Contested => &mut self.contested,
            Status::Liberated => &mut self.liberated,
        }
    }
}
