//! Serde helpers used by generated code (through `crate::__private`, which keeps them
//! reachable, so a spec that needs none of them does not make them dead code): nullable
//! optional fields, tagged union variants and JSON request bodies.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};

use crate::client::Body;
use crate::Error;

/// Deserializes a nullable optional field so that absent, `null` and a value stay
/// distinct: absent → `None` (with `#[serde(default)]`), `null` → `Some(None)`, a value →
/// `Some(Some(v))`. Use with
/// `#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::__private::double_option")]`;
/// serializing then omits `None` and writes `null` for `Some(None)`.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Serializes `v` (which must serialize as a map, e.g. a struct) with `"tag": "value"`
/// written first. A `tag` entry of `v` itself is dropped, so a variant type that also
/// declares the discriminator property is not written twice.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    s: S,
    tag: &'static str,
    value: &'static str,
    v: &T,
) -> Result<S::Ok, S::Error> {
    let fields = match serde_json::to_value(v).map_err(S::Error::custom)? {
        serde_json::Value::Object(fields) => fields,
        other => {
            return Err(S::Error::custom(format_args!(
                "a `{tag}`-tagged union variant must serialize as an object, not {}",
                json_kind(&other)
            )))
        }
    };
    let mut map = s.serialize_map(None)?;
    map.serialize_entry(tag, value)?;
    for (key, field) in &fields {
        if key != tag {
            map.serialize_entry(key, field)?;
        }
    }
    map.end()
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A JSON request body of media type `content_type` (sent as `Content-Type`).
pub fn json_body<T: Serialize>(content_type: &'static str, v: &T) -> Result<Body, Error> {
    let bytes = serde_json::to_vec(v).map_err(|source| Error::Encode { source })?;
    Ok(Body {
        content_type,
        bytes: bytes.into(),
        multipart: None,
    })
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::codec::double_option"
        )]
        note: Option<Option<String>>,
    }

    #[test]
    fn double_option_keeps_absent_null_and_value_apart() {
        for (wire, value) in [
            (json!({}), None),
            (json!({ "note": null }), Some(None)),
            (json!({ "note": "x" }), Some(Some("x".to_owned()))),
        ] {
            let decoded: Patch = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(decoded, Patch { note: value });
            assert_eq!(serde_json::to_value(&decoded).unwrap(), wire);
        }
    }

    #[derive(Serialize)]
    struct Daily {
        #[serde(rename = "startHour")]
        start_hour: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[serde(rename = "type")]
        kind: Option<&'static str>,
    }

    struct Tagged<T>(T);
    impl<T: Serialize> Serialize for Tagged<T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_tagged(s, "type", "DAILY", &self.0)
        }
    }

    #[test]
    fn serialize_tagged_inserts_the_tag_first_once() {
        let text = serde_json::to_string(&Tagged(Daily {
            start_hour: 3,
            kind: None,
        }))
        .unwrap();
        assert_eq!(text, r#"{"type":"DAILY","startHour":3}"#);
        let text = serde_json::to_string(&Tagged(Daily {
            start_hour: 3,
            kind: Some("DAILY"),
        }))
        .unwrap();
        assert_eq!(text, r#"{"type":"DAILY","startHour":3}"#);
        let err = serde_json::to_string(&Tagged(5)).unwrap_err();
        assert!(err.to_string().contains("not a number"), "{err}");
    }

    #[test]
    fn json_body_sets_the_content_type() {
        let body = json_body("application/vnd.atlas.2024-11-13+json", &json!({"a": [1]})).unwrap();
        assert_eq!(body.content_type, "application/vnd.atlas.2024-11-13+json");
        assert_eq!(&body.bytes[..], br#"{"a":[1]}"#);
        let bad = std::collections::BTreeMap::from([((1, 2), 3)]);
        assert!(matches!(
            json_body("application/json", &bad),
            Err(Error::Encode { .. })
        ));
    }
}
