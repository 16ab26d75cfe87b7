//! The rule checks generated `Validate` impls and builders call (through
//! `crate::__private`): pattern, range, length and item count. Each reports the first
//! broken rule as [`Error::InvalidArgument`] at the [`Path`] it is given, naming the rule,
//! never the value.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Bound, RangeBounds};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use regex::Regex;

use super::Path;
use crate::Error;

/// Checks `value` against the spec's `pattern` (searched, not anchored, as JSON Schema
/// does). Each pattern is compiled once per process.
///
/// A pattern the `regex` crate cannot compile (ECMA-only syntax such as look-around) is
/// **skipped** with a `tracing` warning, once: the server checks it anyway, and failing
/// every call because of the spec's regex dialect would block users for nothing.
pub fn pattern(at: &Path<'_>, value: &str, pattern: &'static str) -> Result<(), Error> {
    match compiled(pattern) {
        Some(re) if !re.is_match(value) => {
            Err(Error::invalid_argument(at, format!("must match {pattern}")))
        }
        _ => Ok(()),
    }
}

/// The compiled pattern, shared: an `Arc`, not a clone of the `Regex`, because every
/// `Regex` clone gets its own empty pool of search caches, and building one on each
/// check made a check cost ~10 µs instead of ~60 ns.
fn compiled(pattern: &'static str) -> Option<Arc<Regex>> {
    /// Pattern → compiled regex (`None`: not supported by the `regex` crate).
    type Cache = BTreeMap<&'static str, Option<Arc<Regex>>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(pattern)
        .or_insert_with(|| match Regex::new(pattern) {
            Ok(re) => Some(Arc::new(re)),
            Err(error) => {
                tracing::warn!(pattern, %error, "spec pattern not supported; not checked");
                None
            }
        })
        .clone()
}

/// Checks an integer against `minimum`/`maximum`, given as a range: `1..=500`, `7..`,
/// `..10` (`exclusiveMaximum`), or `(Bound::Excluded(0), Bound::Unbounded)` for an
/// `exclusiveMinimum`.
pub fn int_range(at: &Path<'_>, value: i64, range: impl RangeBounds<i64>) -> Result<(), Error> {
    checked(at, "must be", &value, &range)
}

/// Checks a number against `minimum`/`maximum` (a range, as for [`int_range`]); NaN
/// breaks any bound.
pub fn float_range(at: &Path<'_>, value: f64, range: impl RangeBounds<f64>) -> Result<(), Error> {
    checked(at, "must be", &value, &range)
}

/// Checks a string's length in characters (Unicode scalar values) against
/// `minLength`/`maxLength` (`1..=64`, `..=700`).
pub fn length(at: &Path<'_>, value: &str, range: impl RangeBounds<u64>) -> Result<(), Error> {
    count(at, "length must be", value.chars().count(), &range)
}

/// Checks a list's item count (`len`) against `minItems`/`maxItems` (`1..`).
pub fn items(at: &Path<'_>, len: usize, range: impl RangeBounds<u64>) -> Result<(), Error> {
    count(at, "number of items must be", len, &range)
}

fn count(at: &Path<'_>, what: &str, n: usize, range: &impl RangeBounds<u64>) -> Result<(), Error> {
    checked(at, what, &u64::try_from(n).unwrap_or(u64::MAX), range)
}

fn checked<N: PartialOrd + fmt::Display>(
    at: &Path<'_>,
    what: &str,
    value: &N,
    range: &impl RangeBounds<N>,
) -> Result<(), Error> {
    if range.contains(value) {
        return Ok(());
    }
    Err(Error::invalid_argument(
        at,
        range_rule(what, range.start_bound(), range.end_bound()),
    ))
}

/// `must be between 1 and 500`, `must be at least 7`, `must be greater than 0`, ….
fn range_rule<N: fmt::Display>(what: &str, min: Bound<&N>, max: Bound<&N>) -> String {
    let low = match min {
        Bound::Included(m) => Some(format!("at least {m}")),
        Bound::Excluded(m) => Some(format!("greater than {m}")),
        Bound::Unbounded => None,
    };
    let high = match max {
        Bound::Included(m) => Some(format!("at most {m}")),
        Bound::Excluded(m) => Some(format!("less than {m}")),
        Bound::Unbounded => None,
    };
    match (min, max, low, high) {
        (Bound::Included(lo), Bound::Included(hi), _, _) => format!("{what} between {lo} and {hi}"),
        (_, _, Some(low), Some(high)) => format!("{what} {low} and {high}"),
        (_, _, Some(side), None) | (_, _, None, Some(side)) => format!("{what} {side}"),
        (_, _, None, None) => format!("{what} valid"),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::ops::Bound::{Excluded, Unbounded};

    use super::*;

    /// A check's failure as `location: rule`, for assertions.
    pub(in crate::validate) fn rule(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidArgument { parameter, rule }) => format!("{parameter}: {rule}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn pattern_checks_and_caches() {
        let at = Path::Param("groupId");
        let p = "^([a-f0-9]{24})$";
        assert!(pattern(&at, "32b6e34b3d91647abb20e7b8", p).is_ok());
        assert!(pattern(&at, "32b6e34b3d91647abb20e7b8", p).is_ok());
        assert_eq!(
            rule(pattern(&at, "nope", p)),
            "groupId: must match ^([a-f0-9]{24})$"
        );
        // Unanchored patterns search, as in JSON Schema.
        assert!(pattern(&at, "xx-abc-yy", "abc").is_ok());
    }

    #[test]
    fn unsupported_pattern_is_skipped_without_panicking() {
        let at = Path::Param("name");
        assert!(pattern(&at, "anything", "^(?!admin).*$").is_ok());
        assert!(pattern(&at, "anything", "([unclosed").is_ok());
    }

    #[test]
    fn int_range_rules() {
        let at = Path::Param("itemsPerPage");
        assert!(int_range(&at, 1, 1..=500).is_ok());
        assert!(int_range(&at, 500, 1..=500).is_ok());
        assert_eq!(
            rule(int_range(&at, 501, 1..=500)),
            "itemsPerPage: must be between 1 and 500"
        );
        assert_eq!(
            rule(int_range(&at, 6, 7..)),
            "itemsPerPage: must be at least 7"
        );
        let positive = (Excluded(0), Unbounded);
        assert_eq!(
            rule(int_range(&at, 0, positive)),
            "itemsPerPage: must be greater than 0"
        );
        assert!(int_range(&at, 1, positive).is_ok());
        assert_eq!(
            rule(int_range(&at, 10, (Excluded(0), Excluded(10)))),
            "itemsPerPage: must be greater than 0 and less than 10"
        );
        assert_eq!(
            rule(int_range(&at, 10, 0..10)),
            "itemsPerPage: must be at least 0 and less than 10"
        );
        assert!(int_range(&at, 9, 0..10).is_ok());
        assert_eq!(
            rule(int_range(&at, 10, ..10)),
            "itemsPerPage: must be less than 10"
        );
        assert_eq!(
            rule(int_range(&at, 11, ..=10)),
            "itemsPerPage: must be at most 10"
        );
    }

    #[test]
    fn float_range_rules() {
        let at = Path::Param("ratio");
        assert!(float_range(&at, 0.5, 0.0..=1.0).is_ok());
        assert_eq!(
            rule(float_range(&at, 1.5, 0.0..=1.0)),
            "ratio: must be between 0 and 1"
        );
        assert_eq!(
            rule(float_range(&at, 0.0, (Excluded(0.0), Unbounded))),
            "ratio: must be greater than 0"
        );
        assert!(float_range(&at, f64::NAN, 0.0..).is_err());
        assert!(float_range(&at, f64::NAN, ..1.0).is_err());
        assert!(float_range(&at, f64::NAN, ..).is_ok());
    }

    #[test]
    fn length_counts_chars() {
        let at = Path::Param("name");
        assert!(length(&at, "ééé", ..=3).is_ok());
        assert_eq!(
            rule(length(&at, "éééé", ..=3)),
            "name: length must be at most 3"
        );
        assert_eq!(
            rule(length(&at, "", 1..=64)),
            "name: length must be between 1 and 64"
        );
        assert_eq!(
            rule(length(&at, &"x".repeat(701), ..=700)),
            "name: length must be at most 700"
        );
    }

    #[test]
    fn items_counts() {
        let at = Path::Field(&Path::Body, "roles");
        assert!(items(&at, 1, 1..).is_ok());
        assert_eq!(
            rule(items(&at, 0, 1..)),
            "body.roles: number of items must be at least 1"
        );
    }
}
