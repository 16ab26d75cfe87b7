//! Client-side checks of the spec's constraints (pattern, range, length, item count), run
//! by every request builder before any I/O.
//!
//! Generated structs and unions implement [`Validate`] (their fields' rules, then
//! recursion); the check functions here report the first failure as
//! [`Error::InvalidArgument`], naming the location ([`Path`]) and the rule, never the
//! value.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use regex::Regex;

use crate::Error;

/// A location in the arguments of a call, rendered for error messages:
/// `groupId`, `body`, `body.dataExpirationRule.expireAfterDays`, `body.partitionFields[0]`,
/// `body.tags["env"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path<'a> {
    /// A path, query or header parameter, by its wire name.
    Param(&'static str),
    /// The request body.
    Body,
    /// A field (wire name) of the location.
    Field(&'a Path<'a>, &'static str),
    /// An item of the list at the location.
    Index(&'a Path<'a>, usize),
    /// A value of the map at the location.
    Key(&'a Path<'a>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Param(name) => f.write_str(name),
            Path::Body => f.write_str("body"),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A value whose spec constraints can be checked before it is sent.
pub trait Validate {
    /// Checks the value found at `at`; the first broken rule is an
    /// [`Error::InvalidArgument`].
    fn validate(&self, at: &Path<'_>) -> Result<(), Error>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
        match self {
            Some(value) => value.validate(at),
            None => Ok(()),
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
        (**self).validate(at)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, item)| item.validate(&Path::Index(at, i)))
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
        self.iter()
            .try_for_each(|(key, value)| value.validate(&Path::Key(at, key)))
    }
}

impl<T: Validate, S> Validate for HashMap<String, T, S> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
        // Sorted, so the reported failure does not depend on hashing.
        let mut entries: Vec<_> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries
            .into_iter()
            .try_for_each(|(key, value)| value.validate(&Path::Key(at, key)))
    }
}

macro_rules! no_op_validate {
    ($($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {
            fn validate(&self, _at: &Path<'_>) -> Result<(), Error> {
                Ok(())
            }
        }
    )*};
}

no_op_validate!(
    String,
    str,
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
);

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

/// Checks an integer against `minimum`/`maximum` (inclusive unless `exclusive_*`).
pub fn int_range(
    at: &Path<'_>,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
    exclusive_min: bool,
    exclusive_max: bool,
) -> Result<(), Error> {
    let low_ok = min.is_none_or(|m| if exclusive_min { value > m } else { value >= m });
    let high_ok = max.is_none_or(|m| if exclusive_max { value < m } else { value <= m });
    if low_ok && high_ok {
        return Ok(());
    }
    Err(Error::invalid_argument(
        at,
        range_rule("must be", min, max, exclusive_min, exclusive_max),
    ))
}

/// Checks a number against `minimum`/`maximum` (inclusive unless `exclusive_*`); NaN
/// breaks any bound.
pub fn float_range(
    at: &Path<'_>,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    exclusive_min: bool,
    exclusive_max: bool,
) -> Result<(), Error> {
    let low_ok = min.is_none_or(|m| if exclusive_min { value > m } else { value >= m });
    let high_ok = max.is_none_or(|m| if exclusive_max { value < m } else { value <= m });
    if low_ok && high_ok {
        return Ok(());
    }
    Err(Error::invalid_argument(
        at,
        range_rule("must be", min, max, exclusive_min, exclusive_max),
    ))
}

/// Checks a string's length in characters (Unicode scalar values) against
/// `minLength`/`maxLength`.
pub fn length(at: &Path<'_>, value: &str, min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    count(at, "length must be", value.chars().count(), min, max)
}

/// Checks a list's item count (`len`) against `minItems`/`maxItems`.
pub fn items(at: &Path<'_>, len: usize, min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    count(at, "number of items must be", len, min, max)
}

fn count(
    at: &Path<'_>,
    what: &str,
    n: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    if min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) {
        return Ok(());
    }
    Err(Error::invalid_argument(
        at,
        range_rule(what, min, max, false, false),
    ))
}

/// `must be between 1 and 500`, `must be at least 7`, `must be greater than 0`, ….
fn range_rule<N: fmt::Display>(
    what: &str,
    min: Option<N>,
    max: Option<N>,
    exclusive_min: bool,
    exclusive_max: bool,
) -> String {
    let low = |m: &N| {
        if exclusive_min {
            format!("greater than {m}")
        } else {
            format!("at least {m}")
        }
    };
    let high = |m: &N| {
        if exclusive_max {
            format!("less than {m}")
        } else {
            format!("at most {m}")
        }
    };
    match (&min, &max) {
        (Some(lo), Some(hi)) if !exclusive_min && !exclusive_max => {
            format!("{what} between {lo} and {hi}")
        }
        (Some(lo), Some(hi)) => format!("{what} {} and {}", low(lo), high(hi)),
        (Some(lo), None) => format!("{what} {}", low(lo)),
        (None, Some(hi)) => format!("{what} {}", high(hi)),
        (None, None) => format!("{what} valid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidArgument { parameter, rule }) => format!("{parameter}: {rule}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn paths_render_like_the_wire() {
        let body = Path::Body;
        let rule_ = Path::Field(&body, "dataExpirationRule");
        let days = Path::Field(&rule_, "expireAfterDays");
        assert_eq!(days.to_string(), "body.dataExpirationRule.expireAfterDays");
        let fields = Path::Field(&body, "partitionFields");
        assert_eq!(
            Path::Index(&fields, 0).to_string(),
            "body.partitionFields[0]"
        );
        let tags = Path::Field(&body, "tags");
        assert_eq!(Path::Key(&tags, "env").to_string(), r#"body.tags["env"]"#);
        assert_eq!(Path::Param("groupId").to_string(), "groupId");
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
        assert!(int_range(&at, 1, Some(1), Some(500), false, false).is_ok());
        assert!(int_range(&at, 500, Some(1), Some(500), false, false).is_ok());
        assert_eq!(
            rule(int_range(&at, 501, Some(1), Some(500), false, false)),
            "itemsPerPage: must be between 1 and 500"
        );
        assert_eq!(
            rule(int_range(&at, 6, Some(7), None, false, false)),
            "itemsPerPage: must be at least 7"
        );
        assert_eq!(
            rule(int_range(&at, 0, Some(0), None, true, false)),
            "itemsPerPage: must be greater than 0"
        );
        assert_eq!(
            rule(int_range(&at, 10, Some(0), Some(10), true, true)),
            "itemsPerPage: must be greater than 0 and less than 10"
        );
        assert_eq!(
            rule(int_range(&at, 11, None, Some(10), false, false)),
            "itemsPerPage: must be at most 10"
        );
    }

    #[test]
    fn float_range_rules() {
        let at = Path::Param("ratio");
        assert!(float_range(&at, 0.5, Some(0.0), Some(1.0), false, false).is_ok());
        assert_eq!(
            rule(float_range(&at, 1.5, Some(0.0), Some(1.0), false, false)),
            "ratio: must be between 0 and 1"
        );
        assert_eq!(
            rule(float_range(&at, 0.0, Some(0.0), None, true, false)),
            "ratio: must be greater than 0"
        );
        assert!(float_range(&at, f64::NAN, Some(0.0), None, false, false).is_err());
        assert!(float_range(&at, f64::NAN, None, None, false, false).is_ok());
    }

    #[test]
    fn length_counts_chars() {
        let at = Path::Param("name");
        assert!(length(&at, "ééé", None, Some(3)).is_ok());
        assert_eq!(
            rule(length(&at, "éééé", None, Some(3))),
            "name: length must be at most 3"
        );
        assert_eq!(
            rule(length(&at, "", Some(1), Some(64))),
            "name: length must be between 1 and 64"
        );
        assert_eq!(
            rule(length(&at, &"x".repeat(701), None, Some(700))),
            "name: length must be at most 700"
        );
    }

    #[test]
    fn items_counts() {
        let at = Path::Field(&Path::Body, "roles");
        assert!(items(&at, 1, Some(1), None).is_ok());
        assert_eq!(
            rule(items(&at, 0, Some(1), None)),
            "body.roles: number of items must be at least 1"
        );
    }

    struct Named(&'static str);
    impl Validate for Named {
        fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
            length(&Path::Field(at, "name"), self.0, Some(1), None)
        }
    }

    #[test]
    fn containers_recurse_with_paths() {
        let list = vec![Named("a"), Named("")];
        assert_eq!(
            rule(list.validate(&Path::Body)),
            "body[1].name: length must be at least 1"
        );
        let map = BTreeMap::from([("env".to_owned(), Named(""))]);
        assert_eq!(
            rule(Some(Box::new(map)).validate(&Path::Body)),
            r#"body["env"].name: length must be at least 1"#
        );
        let none: Option<Named> = None;
        assert!(none.validate(&Path::Body).is_ok());
        assert!(serde_json::json!({"a": 1}).validate(&Path::Body).is_ok());
    }
}
