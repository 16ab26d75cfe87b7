//! Media types: which entries of a `content` map are JSON, and which one the client uses.

use indexmap::IndexMap;
use openapiv3::MediaType;

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
}
