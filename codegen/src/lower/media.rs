//! Per-operation facts beyond the shapes: media-type versions, pagination, deprecation.
//!
//! - **Versions.** The JSON media types of the request body and the 2xx responses that
//!   contain a `YYYY-MM-DD` date (`application/vnd.atlas.2024-08-05+json`) are versions,
//!   oldest first. One is deprecated when its media-type object has `x-sunset` or
//!   `x-deprecated: true`. The default is the newest non-deprecated one (the newest if all
//!   are deprecated). Limitation: the body and success types are those of the default
//!   version; a version that declares a different schema is not modelled.
//! - **Pagination.** Integer query parameters named like a page number ([`PAGE_PARAMS`])
//!   and a page size ([`SIZE_PARAMS`]), and a success struct with a [`ITEMS_FIELDS`] array
//!   (and optionally an integer [`TOTAL_FIELDS`] field).
//! - **Deprecation notes.** `x-replacement: X` → "use `X` instead" (an operationId is
//!   written as its Rust method name); else a sentence of the description that names a
//!   replacement (an operationId, or prose right after the word "deprecated" — see
//!   [`deprecation`]); else "no replacement is documented".

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{MediaType, StatusCode};

use super::naming;
use super::operation::Found;
use super::Lowerer;
use crate::error::Error;
use crate::ir::{
    Deprecation, MediaVersion, MethodName, Pagination, Param, ParamLocation, Response, Scalar,
    TypeKind, TypeRef,
};

/// Page-number parameter names.
pub const PAGE_PARAMS: &[&str] = &["pageNum", "page", "pageNumber", "page_num", "page_number"];
/// Page-size parameter names.
pub const SIZE_PARAMS: &[&str] = &[
    "itemsPerPage",
    "items_per_page",
    "pageSize",
    "page_size",
    "perPage",
    "per_page",
];
/// The array of items in a page.
pub const ITEMS_FIELDS: &[&str] = &["results"];
/// The total number of items across pages.
pub const TOTAL_FIELDS: &[&str] = &["totalCount", "total_count"];

/// Whether a media type is JSON: `application/json` or `application/…+json`.
pub(crate) fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The JSON media type to use from `content`: `preferred` if present, else the first
/// JSON one in sorted order.
pub(crate) fn pick_json<'c>(
    content: &'c IndexMap<String, MediaType>,
    preferred: Option<&str>,
) -> Option<(&'c str, &'c MediaType)> {
    if let Some((k, v)) = preferred.and_then(|p| content.get_key_value(p)) {
        return Some((k.as_str(), v));
    }
    let mut json: Vec<(&String, &MediaType)> = content.iter().filter(|(k, _)| is_json(k)).collect();
    json.sort_by(|a, b| a.0.cmp(b.0));
    json.first().map(|(k, v)| (k.as_str(), *v))
}

/// The first `YYYY-MM-DD` in `s`.
fn find_date(s: &str) -> Option<&str> {
    let bytes = s.as_bytes();
    let pos = bytes.windows(10).position(|w| {
        w.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
    })?;
    s.get(pos..pos + 10)
}

fn media_deprecated(mt: &MediaType) -> bool {
    mt.extensions.contains_key("x-sunset")
        || mt
            .extensions
            .get("x-deprecated")
            .and_then(serde_json::Value::as_bool)
            == Some(true)
}

impl<'a> Lowerer<'a> {
    /// The versioned media types of an operation, oldest first.
    pub(crate) fn media_versions(&self, f: &Found<'a>) -> Result<Vec<MediaVersion>, Error> {
        // media type → deprecated anywhere
        let mut seen: BTreeMap<&'a str, bool> = BTreeMap::new();
        let mut note = |content: &'a IndexMap<String, MediaType>| {
            for (media, mt) in content {
                if is_json(media) && find_date(media).is_some() {
                    *seen.entry(media.as_str()).or_default() |= media_deprecated(mt);
                }
            }
        };
        if let Some(rb) = &f.op.request_body {
            note(
                &self
                    .resolver
                    .request_body(rb, &f.at.push("requestBody"))?
                    .item
                    .content,
            );
        }
        let responses_at = f.at.push("responses");
        for (code, r) in &f.op.responses.responses {
            if matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)) {
                note(
                    &self
                        .resolver
                        .response(r, &responses_at.push(code.to_string()))?
                        .item
                        .content,
                );
            }
        }
        let mut versions: Vec<(&str, &str, bool)> = seen
            .into_iter()
            .filter_map(|(media, dep)| find_date(media).map(|d| (d, media, dep)))
            .collect();
        versions.sort();
        if let Some(pair) = versions
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.0 == b.0))
        {
            let [a, b] = pair else { return Ok(Vec::new()) };
            return Err(self.unsupported(
                &f.at,
                format!(
                    "two JSON media types for version {}: {} and {}",
                    a.0, a.1, b.1
                ),
                "one JSON media type per version date",
            ));
        }
        let default = versions
            .iter()
            .rposition(|(_, _, dep)| !dep)
            .or_else(|| versions.len().checked_sub(1));
        Ok(versions
            .into_iter()
            .enumerate()
            .map(|(i, (date, media, deprecated))| MediaVersion {
                media_type: media.to_owned(),
                version: date.to_owned(),
                rust: naming::version_variant(date),
                deprecated,
                default: Some(i) == default,
            })
            .collect())
    }

    /// Page-number pagination, if the operation has its shape.
    pub(crate) fn pagination(&self, params: &[Param], ok: &Response) -> Option<Pagination> {
        let int_query = |names: &[&str]| {
            params.iter().find(|p| {
                p.location == ParamLocation::Query
                    && names.contains(&p.wire.as_str())
                    && matches!(p.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
            })
        };
        let page = int_query(PAGE_PARAMS)?;
        let size = int_query(SIZE_PARAMS)?;
        let Some(TypeRef::Named(page_ty)) = &ok.ty else {
            return None;
        };
        let TypeKind::Struct(s) = &self.types.get(page_ty)?.kind else {
            return None;
        };
        let items = s
            .fields
            .iter()
            .find(|f| ITEMS_FIELDS.contains(&f.wire.as_str()))?;
        let TypeRef::List(item_ty) = &items.ty else {
            return None;
        };
        let total = s.fields.iter().find(|f| {
            TOTAL_FIELDS.contains(&f.wire.as_str())
                && matches!(f.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
        });
        Some(Pagination {
            page_param: page.rust.clone(),
            size_param: size.rust.clone(),
            items_field: items.rust.clone(),
            items_required: items.required,
            item_ty: (**item_ty).clone(),
            total_field: total.map(|t| t.rust.clone()),
            total_required: total.is_some_and(|t| t.required),
            page_ty: page_ty.clone(),
        })
    }
}

/// The note of a deprecated operation (see the module docs).
pub(crate) fn deprecation(f: &Found<'_>, methods: &BTreeMap<&str, MethodName>) -> Deprecation {
    let name_of = |x: &str| {
        methods
            .get(x)
            .map_or_else(|| x.to_owned(), |m| m.as_str().to_owned())
    };
    if let Some(x) =
        f.op.extensions
            .get("x-replacement")
            .and_then(serde_json::Value::as_str)
    {
        return Deprecation {
            note: format!("use `{}` instead", name_of(x.trim())),
        };
    }
    let description = f.op.description.as_deref().unwrap_or_default();
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
            .find(|w| *w != f.id && methods.contains_key(w));
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
    fn json_media_types() {
        for m in [
            "application/json",
            "application/vnd.atlas.2024-08-05+json",
            "application/problem+json; charset=utf-8",
            "Application/JSON",
        ] {
            assert!(is_json(m), "{m}");
        }
        for m in [
            "text/plain",
            "application/vnd.atlas.2024-08-05+csv",
            "application/jsonx",
            "multipart/form-data",
        ] {
            assert!(!is_json(m), "{m}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            find_date("application/vnd.atlas.2024-08-05+json"),
            Some("2024-08-05")
        );
        assert_eq!(find_date("application/json"), None);
        assert_eq!(find_date("v2024-8-05"), None);
    }

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
        let doc: openapiv3::OpenAPI = serde_yaml::from_str(spec).unwrap();
        let raw: serde_json::Value = serde_yaml::from_str(spec).unwrap();
        let ir = crate::lower::lower(&doc, &raw, "t.yaml").unwrap();
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
