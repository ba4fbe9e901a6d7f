//! Handing out a timeline's items to the runs that measure them: each share of consecutive
//! items is taken from both ends, one run forwards and one backwards, until they meet.

/// Which end of a [`BothEnds`] a run takes its items from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The first item not taken yet, going forwards.
    Front,
    /// The last item not taken yet, going backwards.
    Back,
}

/// A share of consecutive items (files, periods) handed out from both ends: one run takes
/// them in order from the front, another in reverse from the back, until the two meet.
/// Consecutive items are nearly alike, so each run still carries its cells from one item to
/// the next, and where the two meet depends on how fast each went.
#[derive(Debug)]
pub(crate) struct BothEnds(std::sync::Mutex<std::ops::Range<usize>>);

impl BothEnds {
    /// Items `range`, none taken yet.
    pub(crate) fn new(range: std::ops::Range<usize>) -> BothEnds {
        BothEnds(std::sync::Mutex::new(range))
    }

    /// The next item from `end`, if any is left.
    pub(crate) fn take(&self, end: End) -> Option<usize> {
        let mut left = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match end {
            End::Front => left.next(),
            End::Back => left.next_back(),
        }
    }
}

/// `items` items split into one share of consecutive items per two cores (at least one
/// share), for a run from each end.
pub(crate) fn shares(items: usize) -> Vec<BothEnds> {
    let count = rayon::current_num_threads().div_ceil(2).max(1);
    let size = items.div_ceil(count).max(1);
    (0..items).step_by(size).map(|start| BothEnds::new(start..(start + size).min(items))).collect()
}

/// The runs over `shares`, each with its share's position: one from each end of every
/// share, or only from the front on one core.
pub(crate) fn runs(shares: &[BothEnds]) -> Vec<(usize, &BothEnds, End)> {
    let ends: &[End] = match rayon::current_num_threads() {
        1 => &[End::Front],
        _ => &[End::Front, End::Back],
    };
    shares.iter().enumerate().flat_map(|(s, share)| ends.iter().map(move |end| (s, share, *end))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two runs taking from both ends get every item once, each in its own order, however
    /// their takes interleave.
    #[test]
    fn both_ends_hand_out_every_item_once() {
        for pattern in [vec![End::Front; 3], vec![End::Back, End::Back, End::Front], vec![End::Front, End::Back]] {
            let share = BothEnds::new(3..10);
            let (mut front, mut back) = (Vec::new(), Vec::new());
            for end in pattern.iter().cycle() {
                let Some(item) = share.take(*end) else { break };
                match end {
                    End::Front => front.push(item),
                    End::Back => back.push(item),
                }
            }
            assert!(front.windows(2).all(|w| w[0] + 1 == w[1]) && back.windows(2).all(|w| w[0] == w[1] + 1));
            let mut all: Vec<usize> = front.into_iter().chain(back).collect();
            all.sort_unstable();
            assert_eq!(all, (3..10).collect::<Vec<_>>());
            assert_eq!(share.take(End::Front), None);
        }
    }

    #[test]
    fn shares_cover_the_items_without_overlap() {
        for items in [0, 1, 2, 7, 209] {
            let mut covered = Vec::new();
            for share in shares(items) {
                while let Some(i) = share.take(End::Front) {
                    covered.push(i);
                }
            }
            assert_eq!(covered, (0..items).collect::<Vec<_>>());
        }
    }
}
