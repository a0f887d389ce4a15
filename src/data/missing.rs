//! Runs of ordinals that no partner has: the gaps in the hub's count.

use std::fmt;

use crate::data::schema::Gap;

/// Consecutive ordinals that no partner has, `first` to `last` (the same for one).
///
/// Gaps are kept as runs so that what they take follows the size of the file, not the
/// numbers in it: one partner numbered 4,000,000,000 is one run, not four billion gaps.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Missing {
    /// The lowest missing ordinal of the run.
    pub first: u32,
    /// The highest.
    pub last: u32,
}

impl Missing {
    /// How many ordinals the run holds.
    pub fn count(&self) -> u64 {
        u64::from(self.last.saturating_sub(self.first)) + 1
    }

    /// Whether the run is a single ordinal.
    pub fn is_one(&self) -> bool {
        self.first == self.last
    }

    /// `15`, or `17` and `3999999999` joined by `sep`.
    pub fn span(&self, sep: &str) -> String {
        if self.is_one() {
            self.first.to_string()
        } else {
            format!("{}{sep}{}", self.first, self.last)
        }
    }
}

impl fmt::Display for Missing {
    /// `15`, or `17-3999999999`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.span("-"))
    }
}

/// The ordinals between 1 and the highest used that no partner has, in order, as runs
/// of consecutive ones. A declared gap (in `gaps`) is a run of its own, for its note.
/// There are at most partners + declared gaps + 1 runs, whatever the ordinals are.
pub fn missing_ordinals(partners: &super::Partners, gaps: &[Gap]) -> Vec<Missing> {
    missing_among(partners.ordinals().collect(), gaps)
}

/// [`missing_ordinals`] of partners whose ordinals are `used` (in any order).
pub fn missing_among(mut used: Vec<u32>, gaps: &[Gap]) -> Vec<Missing> {
    used.sort_unstable();
    used.dedup();
    let mut declared: Vec<u32> = gaps.iter().map(|g| g.ordinal).collect();
    declared.sort_unstable();
    declared.dedup();
    let mut declared = declared.into_iter().peekable();
    let mut runs = Vec::new();
    // The lowest ordinal neither used nor in a run yet.
    let mut next = 1u32;
    for &u in &used {
        if u > next {
            // `next..u` is missing; split it at the declared gaps inside it.
            let (mut first, last) = (next, u - 1);
            while let Some(&g) = declared.peek()
                && g <= last
            {
                declared.next();
                if g < first {
                    continue;
                }
                if g > first {
                    runs.push(Missing { first, last: g - 1 });
                }
                runs.push(Missing { first: g, last: g });
                // g <= last < u, so this does not overflow.
                first = g + 1;
            }
            if first <= last {
                runs.push(Missing { first, last });
            }
        }
        next = u.saturating_add(1);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_reads_as_one_ordinal_or_a_range() {
        let one = Missing {
            first: 15,
            last: 15,
        };
        assert_eq!((one.to_string(), one.count()), ("15".into(), 1));
        let many = Missing {
            first: 17,
            last: 3_999_999_999,
        };
        assert_eq!(many.to_string(), "17-3999999999");
        assert_eq!(many.span("～"), "17～3999999999");
        assert_eq!(many.count(), 3_999_999_983);
    }
}
