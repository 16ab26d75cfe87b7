//! JSON pointers (RFC 6901) into the source document: every IR node and every error carries
//! one, so a problem can be reported as `#/paths/~1groups~1{groupId}/post/...`.

use std::fmt;

use serde::Serialize;

/// A JSON pointer into the spec, kept as its unescaped reference tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct JsonPointer {
    tokens: Vec<String>,
}

impl JsonPointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self::default()
    }

    /// This pointer with one more reference token (unescaped; escaping happens on display).
    #[must_use]
    pub fn push(&self, token: impl Into<String>) -> Self {
        let mut tokens = self.tokens.clone();
        tokens.push(token.into());
        Self { tokens }
    }

    /// This pointer with an array index appended.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        self.push(index.to_string())
    }

    /// Parses a local `$ref` such as `#/components/schemas/Foo` (or `#`).
    /// Returns `None` for anything that is not a local fragment pointer.
    pub fn parse_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        let tokens = rest
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        Some(Self { tokens })
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The last token, if any.
    pub fn last(&self) -> Option<&str> {
        self.tokens.last().map(String::as_str)
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &JsonPointer) -> bool {
        self.tokens.starts_with(&other.tokens)
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        for token in &self.tokens {
            f.write_str("/")?;
            f.write_str(&token.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

impl From<JsonPointer> for String {
    fn from(p: JsonPointer) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tilde_and_slash() {
        let p = JsonPointer::root()
            .push("paths")
            .push("/groups/{groupId}/a~b")
            .push("post");
        assert_eq!(p.to_string(), "#/paths/~1groups~1{groupId}~1a~0b/post");
    }

    #[test]
    fn parse_round_trips() {
        for s in [
            "#",
            "#/components/schemas/Foo",
            "#/paths/~1a~1b/get",
            "#/x/~0~1",
        ] {
            let p = JsonPointer::parse_ref(s).unwrap();
            assert_eq!(p.to_string(), s);
        }
        assert_eq!(JsonPointer::parse_ref("other.yaml#/a"), None);
        assert_eq!(JsonPointer::parse_ref("#a"), None);
    }

    #[test]
    fn root_is_hash() {
        assert_eq!(JsonPointer::root().to_string(), "#");
        assert_eq!(JsonPointer::root().index(3).to_string(), "#/3");
    }
}
