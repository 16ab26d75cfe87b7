//! Parameter encoding: [`ToParam`] (a value's wire string), the styles of OpenAPI's
//! parameter serialization ([`params`]), and the request path, built from the operation's
//! [`PathPart`]s so that no parameter value can change the target.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::client::PathPart;
use crate::Error;

mod params;

pub(crate) use params::path_text;
#[allow(
    unused_imports,
    reason = "named by generated code; unused where the spec needs none (the runtime is shared by every generated crate)"
)]
pub use params::{form_body, In, Param, Params, Style, Value};

/// The wire string of a path, query or header parameter value.
pub trait ToParam {
    /// The value as sent, before any percent-encoding.
    fn to_param(&self) -> String;
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

macro_rules! display_param {
    ($($ty:ty),* $(,)?) => {$(
        impl ToParam for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_param!(bool, i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64);

impl ToParam for chrono::DateTime<chrono::Utc> {
    /// RFC 3339 with a `Z` offset, e.g. `2024-11-13T09:30:00Z`.
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ToParam for chrono::NaiveDate {
    /// `YYYY-MM-DD`.
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

/// Every byte outside RFC 3986 `unreserved` (`A-Z a-z 0-9 - . _ ~`) is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `value` as (part of) one path segment: `/ ? # %` and every other byte
/// outside `unreserved` are encoded (non-ASCII as UTF-8), and a whole-segment `.` or `..`
/// becomes `%2E` / `%2E%2E`. The input is taken raw, so `%2F` becomes `%252F`.
pub(crate) fn encode_path_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(value, SEGMENT).to_string(),
    }
}

/// Joins `base_path` (the base URL's path, kept) and the operation's parts into the
/// request path; each [`PathPart::Param`] is encoded once with [`encode_path_segment`].
///
/// A segment that holds a parameter and is, before encoding, empty, `.` or `..` is refused
/// ([`Error::InvalidArgument`]): URL parsers (WHATWG, hence `url`/`reqwest`) and servers
/// resolve `%2E%2E` like `..` and many servers merge `//`, so such a value would change
/// the request target whatever its encoding.
pub(crate) fn build_path(base_path: &str, parts: &[PathPart]) -> Result<String, Error> {
    let mut path = base_path.trim_end_matches('/').to_owned();
    if !matches!(parts.first(), Some(PathPart::Literal(l)) if l.starts_with('/')) {
        path.push('/');
    }
    // The raw (unencoded) text of the current segment, and whether a parameter is in it.
    let mut raw = String::new();
    let mut has_param = false;
    for part in parts {
        match part {
            PathPart::Literal(literal) => {
                for c in literal.chars() {
                    if c == '/' {
                        check_segment(&raw, has_param)?;
                        raw.clear();
                        has_param = false;
                    } else {
                        raw.push(c);
                    }
                    path.push(c);
                }
            }
            PathPart::Param(value) => {
                path.push_str(&encode_path_segment(value));
                raw.push_str(value);
                has_param = true;
            }
            PathPart::Value(param, value) => {
                // Already encoded; its delimiters (`.`, `;`) count for the segment check.
                let text = path_text(param, value);
                path.push_str(&text);
                raw.push_str(&text);
                has_param = true;
            }
        }
    }
    check_segment(&raw, has_param)?;
    Ok(path)
}

fn check_segment(raw: &str, has_param: bool) -> Result<(), Error> {
    if has_param && matches!(raw, "" | "." | "..") {
        return Err(Error::InvalidArgument {
            parameter: "path".to_owned(),
            rule: format!(
                "a path parameter must not make a segment empty, `.` or `..` (got {raw:?}): \
                 it would change the request target"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segment_encoding_table() {
        let table = [
            ("abc-DEF_0.9~", "abc-DEF_0.9~"),
            ("a/b", "a%2Fb"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("...", "..."),
            ("a..b", "a..b"),
            ("%2F", "%252F"),
            ("x?y#z", "x%3Fy%23z"),
            ("é", "%C3%A9"),
            ("a b+c&d=e", "a%20b%2Bc%26d%3De"),
            ("flex0:start", "flex0%3Astart"),
            (
                "/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1",
                "%2Fsubscriptions%2Fabc%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe1",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(encode_path_segment(input), expected, "{input}");
        }
    }

    fn lit(s: &'static str) -> PathPart {
        PathPart::Literal(s)
    }
    fn param(s: &str) -> PathPart {
        PathPart::Param(s.to_owned())
    }

    #[test]
    fn build_path_keeps_the_base_path_and_encodes_params_once() {
        let parts = [
            lit("/api/atlas/v2/groups/"),
            param("a/b"),
            lit("/streams/"),
            param("t 1"),
            lit("/processor/"),
            param("p"),
            lit(":start"),
        ];
        assert_eq!(
            build_path("/", &parts).unwrap(),
            "/api/atlas/v2/groups/a%2Fb/streams/t%201/processor/p:start"
        );
        assert_eq!(
            build_path("/proxy/", &parts[..2]).unwrap(),
            "/proxy/api/atlas/v2/groups/a%2Fb"
        );
        assert_eq!(build_path("", &[lit("x")]).unwrap(), "/x");
    }

    #[test]
    fn build_path_refuses_target_changing_segments() {
        for parts in [
            vec![lit("/g/"), param(".."), lit("/c")],
            vec![lit("/g/"), param(".")],
            vec![lit("/g/"), param(""), lit("/c")],
            vec![lit("/g/"), param("."), lit(".")],
            vec![lit("/g/"), param(""), param(".")],
        ] {
            let err = build_path("/", &parts).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidArgument { parameter, .. } if parameter == "path"),
                "{err:?}"
            );
        }
        assert!(build_path("/", &[lit("/g/"), param("..."), lit("/c")]).is_ok());
        assert!(build_path("/", &[lit("/g/"), param(""), lit(":start")]).is_ok());
    }

    #[test]
    fn to_param_strings() {
        use chrono::TimeZone;
        assert_eq!("x".to_param(), "x");
        assert_eq!(String::from("y").to_param(), "y");
        assert_eq!(true.to_param(), "true");
        assert_eq!(50_i32.to_param(), "50");
        assert_eq!((-7_i64).to_param(), "-7");
        assert_eq!(1.5_f64.to_param(), "1.5");
        let t = chrono::Utc
            .with_ymd_and_hms(2024, 11, 13, 9, 30, 0)
            .unwrap();
        assert_eq!(t.to_param(), "2024-11-13T09:30:00Z");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        assert_eq!(d.to_param(), "2024-01-02");
    }
}
