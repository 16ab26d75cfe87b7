//! Deprecation notes of deprecated operations: `x-replacement: X` → "use `X` instead" (an
//! operationId is written as its Rust method name); else a sentence of the description that
//! names a replacement (an operationId, or prose right after the word "deprecated" — see
//! [`deprecation`]); else "no replacement is documented".

use std::collections::BTreeMap;

use crate::ir::{Deprecation, MethodName};
use crate::validate::ValidOperation;

/// The note of a deprecated operation (see the module docs).
pub(crate) fn deprecation(
    op: &ValidOperation<'_>,
    methods: &BTreeMap<&str, MethodName>,
) -> Deprecation {
    let name_of = |x: &str| {
        methods
            .get(x)
            .map_or_else(|| x.to_owned(), |m| m.as_str().to_owned())
    };
    if let Some(x) = op
        .op
        .extensions
        .get("x-replacement")
        .and_then(serde_json::Value::as_str)
    {
        return Deprecation {
            note: format!("use `{}` instead", name_of(x.trim())),
        };
    }
    let description = op.op.description.as_deref().unwrap_or_default();
    let sentences = sentences(description);
    // A sentence that points at another operation by its operationId.
    for s in &sentences {
        let lower = s.to_ascii_lowercase();
        if !["use", "instead", "replaced", "superseded", "favor"]
            .iter()
            .any(|w| lower.contains(w))
        {
            continue;
        }
        // Only identifier-looking words (`createFlexCluster`, `create_flex_cluster`): an
        // all-lower-case operationId such as `list` is indistinguishable from prose.
        let mentioned = s
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| w.contains(|c: char| c.is_ascii_uppercase() || c == '_'))
            .find(|w| Some(*w) != op.id && methods.contains_key(w));
        if let Some(id) = mentioned {
            return Deprecation {
                note: format!("use `{}` instead", name_of(id)),
            };
        }
    }
    // A sentence that names a replacement in prose: "… replaced by …", "… instead", or
    // "Use …" right after (or in) a sentence about the deprecation ("X is deprecated. Use
    // Update One User to …"). A "Use …" sentence elsewhere is usage advice ("Use the Return
    // All Invitations endpoint to retrieve IDs"), not a replacement.
    let mut previous_mentions_deprecation = false;
    for s in &sentences {
        let lower = s.to_ascii_lowercase();
        let mentions_deprecation = lower.contains("deprecat");
        let names_replacement = [
            "replaced by",
            "superseded by",
            "in favor of",
            "in favour of",
            " instead",
        ]
        .iter()
        .any(|w| lower.contains(w))
            || (lower.starts_with("use ")
                && (previous_mentions_deprecation || mentions_deprecation));
        if names_replacement {
            return Deprecation { note: s.clone() };
        }
        previous_mentions_deprecation = mentions_deprecation;
    }
    // Read after "**Deprecated:**" in the docs and after "use of deprecated method `x`:"
    // in rustc's warning: it must not repeat the word.
    Deprecation {
        note: "no replacement is documented".to_owned(),
    }
}

/// Sentences of a description: split after `.`/`!`/`?` followed by whitespace, and at
/// line breaks; trimmed, empty ones dropped.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            out.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_advice_is_not_a_replacement() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: a
      deprecated: true
      description: Updates one invitation. Use the Return All Invitations endpoint to retrieve IDs.
      responses: {'200': {description: ok}}
    post:
      operationId: b
      deprecated: true
      description: Invites are deprecated. Use Update One User to update a pending user.
      responses: {'200': {description: ok}}
    put:
      operationId: c
      deprecated: true
      description: Replaced by the new user endpoints.
      responses: {'200': {description: ok}}
"#;
        let ir = crate::lower::tests::lower_text(spec).unwrap();
        let notes: Vec<&str> = ir
            .operations
            .iter()
            .map(|o| o.deprecated.as_ref().unwrap().note.as_str())
            .collect();
        assert_eq!(
            notes,
            [
                "no replacement is documented",
                "Use Update One User to update a pending user.",
                "Replaced by the new user endpoints."
            ]
        );
    }

    #[test]
    fn sentence_split() {
        assert_eq!(
            sentences(
                "Note: this is deprecated. Use Update One User to update a user.\nSee v1.2 docs"
            ),
            [
                "Note: this is deprecated.",
                "Use Update One User to update a user.",
                "See v1.2 docs"
            ]
        );
    }
}
