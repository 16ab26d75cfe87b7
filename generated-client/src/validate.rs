//! Client-side checks of the spec's constraints (pattern, range, length, item count), run
//! by every request builder before any I/O.
//!
//! Generated structs and unions whose schemas have rules implement [`Validate`] (their
//! fields' rules, then recursion); the rule checks they call (`rules`, reached by generated
//! code through `crate::__private`) report the first failure as [`Error::InvalidArgument`],
//! naming the location ([`Path`]) and the rule, never the value.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::Error;

pub(crate) mod rules;

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

#[cfg(test)]
mod tests {
    use super::rules::length;
    use super::rules::tests::rule;
    use super::*;

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

    struct Named(&'static str);
    impl Validate for Named {
        fn validate(&self, at: &Path<'_>) -> Result<(), Error> {
            length(&Path::Field(at, "name"), self.0, 1..)
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
