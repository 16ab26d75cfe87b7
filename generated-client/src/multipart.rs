//! `multipart/form-data` request bodies: [`FilePart`], the type of a file field (bytes, file
//! name, content type), and [`Form`], the parts of one body in order.
//!
//! Generated operations whose spec describes the body's properties fill a [`Form`] from the
//! typed body themselves (text parts for primitives, `application/json` parts for objects,
//! one part per item of an array, file parts as given); operations whose spec names no
//! parts take a [`Form`] the caller fills. The form holds only bytes the caller handed
//! over (never a path it would read): it is cheap to clone, and the runtime encodes it
//! afresh, with reqwest's multipart support and a new boundary, for every attempt, so a
//! retried or re-authenticated request sends the same parts again.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::client::Body;
use crate::Error;

/// One part of a multipart body: bytes, with an optional file name, `Content-Type` and
/// extra headers. File fields of generated models have this type.
///
/// ```
/// use atlas_admin::FilePart;
///
/// let avatar = FilePart::new(vec![0x89, b'P', b'N', b'G'])
///     .with_file_name("avatar.png")
///     .with_content_type("image/png");
/// assert_eq!(avatar.file_name(), Some("avatar.png"));
/// ```
///
/// In a JSON body (a model shared by a JSON operation) a `FilePart` is its bytes as a
/// base64 string, which is what `format: byte` means there; file name and content type
/// do not travel in JSON.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

impl FilePart {
    /// A part holding `bytes`, without file name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            ..Self::default()
        }
    }

    /// A part holding `value` as JSON, with `Content-Type: application/json`.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(value).map_err(|source| Error::Encode { source })?;
        Ok(Self::new(bytes).with_content_type("application/json"))
    }

    /// Sets the file name sent in `Content-Disposition` (`filename="…"`).
    #[must_use]
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's `Content-Type` (checked when the request is sent).
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Sets the `Content-Type` unless the part already has one (the spec's `encoding`
    /// default for a file field).
    #[must_use]
    pub fn or_content_type(self, content_type: &str) -> Self {
        if self.content_type.is_some() {
            self
        } else {
            self.with_content_type(content_type)
        }
    }

    /// Adds a header to the part (the spec's `encoding.{property}.headers`; checked when
    /// the request is sent). `Content-Type` is set with [`FilePart::with_content_type`].
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The extra headers, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// This part for reqwest; `name` (the part name) labels errors.
    fn to_reqwest(&self, name: &str) -> Result<reqwest::multipart::Part, Error> {
        let invalid = |rule: &str| Error::InvalidArgument {
            parameter: format!("body part `{name}`"),
            rule: rule.to_owned(),
        };
        let mut part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::from(self.bytes.clone()),
            u64::try_from(self.bytes.len()).unwrap_or(u64::MAX),
        );
        if let Some(file_name) = &self.file_name {
            // reqwest escapes quotes but would pass a line break into the part's headers.
            if file_name.chars().any(char::is_control) {
                return Err(invalid("file name must not contain control characters"));
            }
            part = part.file_name(file_name.clone());
        }
        if let Some(content_type) = &self.content_type {
            HeaderValue::from_str(content_type)
                .ok()
                .and_then(|_| part_mime(content_type))
                .ok_or_else(|| invalid("content type must be a valid media type"))?;
            part = part
                .mime_str(content_type)
                .map_err(|_| invalid("content type must be a valid media type"))?;
        }
        if !self.headers.is_empty() {
            let mut headers = reqwest::header::HeaderMap::new();
            for (key, value) in &self.headers {
                let key = HeaderName::from_bytes(key.as_bytes())
                    .map_err(|_| invalid("header names must be valid HTTP header names"))?;
                if key == reqwest::header::CONTENT_TYPE
                    || key == reqwest::header::CONTENT_DISPOSITION
                {
                    return Err(invalid(
                        "content type and disposition are set by the part itself, not as headers",
                    ));
                }
                let value = HeaderValue::from_str(value).map_err(|_| {
                    invalid("header values must be visible ASCII without line breaks")
                })?;
                headers.append(key, value);
            }
            part = part.headers(headers);
        }
        Ok(part)
    }
}

/// Whether `content_type` reads as `type/subtype[; params]` (reqwest accepts more).
fn part_mime(content_type: &str) -> Option<()> {
    let essence = content_type.split(';').next()?.trim();
    let (kind, sub) = essence.split_once('/')?;
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    (token(kind) && token(sub)).then_some(())
}

/// The bytes' length, file name and content type; never the bytes.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers.len())
            .finish()
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Self::new)
            .map_err(serde::de::Error::custom)
    }
}

/// The parts of a `multipart/form-data` body, in order (a name may repeat: an array field
/// is one part per item).
///
/// ```
/// use atlas_admin::{multipart::Form, FilePart};
///
/// let mut form = Form::new();
/// form.text("title", "Holiday")
///     .part("photo", FilePart::new(&b"\xff\xd8\xff"[..]).with_file_name("beach.jpg"));
/// form.json("meta", &serde_json::json!({"tags": ["sea"]}))?;
/// assert_eq!(form.len(), 3);
/// # Ok::<(), atlas_admin::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Form {
    parts: Vec<(String, FilePart)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text part (no `Content-Type`, which means `text/plain`).
    pub fn text(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.part(name, FilePart::new(value.into()))
    }

    /// Adds `value` as an `application/json` part.
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<&mut Self, Error> {
        Ok(self.part(name, FilePart::json(value)?))
    }

    /// Adds a part as it is (a file, or any bytes with their content type).
    pub fn part(&mut self, name: impl Into<String>, part: FilePart) -> &mut Self {
        self.parts.push((name.into(), part));
        self
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[(String, FilePart)] {
        &self.parts
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The request body that sends this form.
    pub(crate) fn into_body(self) -> Body {
        Body {
            content_type: "multipart/form-data",
            bytes: Bytes::new(),
            multipart: Some(self),
        }
    }

    /// This form for reqwest (built anew for each attempt: a reqwest form is consumed by
    /// the request that sends it). Rejects a part that could not be sent as given.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = form.part(name.clone(), part.to_reqwest(name)?);
        }
        Ok(form)
    }
}

/// Part names with their file parts' metadata; never the bytes.
impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.parts.iter().map(|(name, part)| (name, part)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let mut form = Form::new();
        form.part(
            "key",
            FilePart::new("s3cr3t-bytes").with_file_name("key.pem"),
        );
        let shown = format!("{form:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("key.pem") && shown.contains("len: 12"),
            "{shown}"
        );
    }

    #[test]
    fn json_parts_and_the_json_form_of_a_file() {
        let part = FilePart::json(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(part.content_type(), Some("application/json"));
        assert_eq!(&part.bytes()[..], br#"{"a":1}"#);
        let file = FilePart::new(&b"hi"[..]).with_file_name("x");
        let text = serde_json::to_string(&file).unwrap();
        assert_eq!(text, r#""aGk=""#);
        let back: FilePart = serde_json::from_str(&text).unwrap();
        assert_eq!(back.bytes(), file.bytes());
        assert!(serde_json::from_str::<FilePart>(r#""not base64!""#).is_err());
    }

    #[test]
    fn or_content_type_keeps_the_callers_choice() {
        let set = FilePart::new("x").with_content_type("image/png");
        assert_eq!(
            set.or_content_type("image/jpeg").content_type(),
            Some("image/png")
        );
        let unset = FilePart::new("x");
        assert_eq!(
            unset.or_content_type("image/jpeg").content_type(),
            Some("image/jpeg")
        );
    }

    #[test]
    fn parts_that_cannot_be_sent_are_refused_by_name() {
        let cases = [
            (
                FilePart::new("x").with_file_name("a\r\nX-Evil: 1"),
                "control characters",
            ),
            (
                FilePart::new("x").with_content_type("not a type"),
                "valid media type",
            ),
            (
                FilePart::new("x").with_content_type("text/plain\r\nX: y"),
                "valid media type",
            ),
            (
                FilePart::new("x").with_header("bad name", "v"),
                "header names",
            ),
            (
                FilePart::new("x").with_header("x-ok", "line\nbreak"),
                "header values",
            ),
            (
                FilePart::new("x").with_header("content-type", "a/b"),
                "set by the part",
            ),
        ];
        for (part, rule) in cases {
            let mut form = Form::new();
            form.part("upload", part);
            let err = form.to_reqwest().unwrap_err().to_string();
            assert!(
                err.contains("body part `upload`") && err.contains(rule),
                "{err}"
            );
        }
        let mut fine = Form::new();
        fine.part(
            "upload",
            FilePart::new("x")
                .with_file_name("r\u{e9}sum\u{e9} \"1\".pdf")
                .with_content_type("application/pdf; charset=binary")
                .with_header("x-checksum", "abc"),
        );
        assert!(fine.to_reqwest().is_ok());
    }
}
