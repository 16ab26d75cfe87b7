//! `$ref` strings: what one says (a pointer into the same file, or a node of another
//! file), and how a referenced path item is written out in place of its reference.

use serde_json::Value;

use super::source;
use crate::pointer::JsonPointer;

/// What a `$ref` string says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefTarget {
    /// `#/a/b` (or `#`): a pointer into the same file.
    Local(JsonPointer),
    /// `path[#/pointer]`: a node of another file (path percent-decoded, not yet joined).
    File { path: String, fragment: JsonPointer },
}

/// Why a `$ref` string cannot be followed as a reference to a file or pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefSyntax {
    /// `https://…`, `file:…`, `urn:…`.
    Url,
    /// `x.yaml#name`: a named anchor, not a JSON pointer.
    Anchor,
    /// A bad `%` escape.
    BadEscape,
}

impl RefTarget {
    /// Parses a `$ref` value.
    pub(crate) fn parse(reference: &str) -> Result<Self, RefSyntax> {
        let (path, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (reference, None),
        };
        if has_scheme(path) || reference.starts_with("//") {
            return Err(RefSyntax::Url);
        }
        let fragment = match fragment {
            None | Some("") => JsonPointer::root(),
            Some(f) => {
                let f = source::percent_decode(f).ok_or(RefSyntax::BadEscape)?;
                if !f.starts_with('/') {
                    return Err(RefSyntax::Anchor);
                }
                JsonPointer::parse_ref(&format!("#{f}")).ok_or(RefSyntax::Anchor)?
            }
        };
        if path.is_empty() {
            return Ok(Self::Local(fragment));
        }
        let path = source::percent_decode(path).ok_or(RefSyntax::BadEscape)?;
        Ok(Self::File { path, fragment })
    }
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A path item written out: the referenced fields, with the referring object's own fields
/// (except `$ref`) on top.
pub(crate) fn merge_over(written: Value, siblings: Value) -> Value {
    match (written, siblings) {
        (Value::Object(mut base), Value::Object(own)) => {
            for (k, v) in own {
                if k != "$ref" {
                    base.insert(k, v);
                }
            }
            Value::Object(base)
        }
        (written, _) => written,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let p = |s: &str| RefTarget::parse(s);
        assert_eq!(
            p("#/components/schemas/A"),
            Ok(RefTarget::Local(
                JsonPointer::parse_ref("#/components/schemas/A").unwrap()
            ))
        );
        assert_eq!(
            p("models/a%20b.yaml#/A~1B"),
            Ok(RefTarget::File {
                path: "models/a b.yaml".into(),
                fragment: JsonPointer::root().push("A/B"),
            })
        );
        assert_eq!(
            p("./a.yaml"),
            Ok(RefTarget::File {
                path: "./a.yaml".into(),
                fragment: JsonPointer::root()
            })
        );
        assert_eq!(p("https://x.io/a.yaml"), Err(RefSyntax::Url));
        assert_eq!(p("//x.io/a.yaml"), Err(RefSyntax::Url));
        assert_eq!(p("file:///a.yaml"), Err(RefSyntax::Url));
        assert_eq!(p("a.yaml#Pet"), Err(RefSyntax::Anchor));
        assert_eq!(p("a%zz.yaml"), Err(RefSyntax::BadEscape));
        // A colon later in a path is not a scheme.
        assert!(p("a/b:c.yaml").is_ok());
    }

    #[test]
    fn written_out_path_items_keep_their_own_fields() {
        let written = serde_json::json!({"summary": "theirs", "get": {}});
        let own = serde_json::json!({"$ref": "x.yaml", "summary": "ours"});
        assert_eq!(
            merge_over(written, own),
            serde_json::json!({"summary": "ours", "get": {}})
        );
    }
}
