//! Media-type versions: the JSON media types of the request body and the 2xx responses
//! that contain a `YYYY-MM-DD` date (`application/vnd.atlas.2024-08-05+json`) are versions,
//! oldest first. One is deprecated when its media-type object has `x-sunset` or
//! `x-deprecated: true`. The default — decided here, and only here — is the newest
//! non-deprecated one (the newest if all are deprecated). Limitation: the body and success
//! types are those of the default version; a version that declares a different schema is
//! not modelled.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{MediaType, StatusCode};

use super::media::is_json;
use super::naming;
use crate::document::Document;
use crate::error::Error;
use crate::ir::MediaVersion;
use crate::validate::ValidOperation;

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

/// The versioned media types of an operation, oldest first.
pub(crate) fn media_versions<'a>(
    doc: Document<'a>,
    op: &ValidOperation<'a>,
) -> Result<Vec<MediaVersion>, Error> {
    let resolver = doc.resolver();
    // media type → deprecated anywhere
    let mut seen: BTreeMap<&'a str, bool> = BTreeMap::new();
    let mut note = |content: &'a IndexMap<String, MediaType>| {
        for (media, mt) in content {
            if is_json(media) && find_date(media).is_some() {
                *seen.entry(media.as_str()).or_default() |= media_deprecated(mt);
            }
        }
    };
    if let Some(rb) = &op.op.request_body {
        note(
            &resolver
                .request_body(rb, &op.at.push("requestBody"))?
                .item
                .content,
        );
    }
    let responses_at = op.at.push("responses");
    for (code, r) in &op.op.responses.responses {
        if matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)) {
            note(
                &resolver
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
        return Err(doc.unsupported(
            &op.at,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            find_date("application/vnd.atlas.2024-08-05+json"),
            Some("2024-08-05")
        );
        assert_eq!(find_date("application/json"), None);
        assert_eq!(find_date("v2024-8-05"), None);
    }
}
