//! Scrubbing what a server sends back of every secret the client holds.
//!
//! A server may quote the request it received: the `Authorization` header, the Basic
//! credential of the token request, a bearer token. Everything the client shows of an
//! answer — error excerpts, the decoded error body (and so its `detail` and `reason`),
//! serde messages, credential-failure reasons, header values in `Debug` — goes through a
//! [`Redactor`] first. It holds every secret the client knows at that moment (the
//! credentials' secrets, the current and previous OAuth tokens, the `Authorization`
//! values the call sent, Digest responses included) and replaces each occurrence, as a
//! substring, with `***`, in the forms a server is likely to quote it in (as is,
//! JSON-escaped, percent-encoded). JSON is scrubbed after decoding, so no escape hides a
//! secret. Independently, the values of secret-looking JSON keys (`password`, `*token`,
//! `*secret`, …) become `***`.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use regex::Regex;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

/// The longest body excerpt kept in an error, in bytes.
pub(crate) const EXCERPT_LIMIT: usize = 512;

/// JSON bodies up to this size are scrubbed structurally (decoded, scrubbed, re-encoded)
/// for their excerpt; longer ones only as text (the excerpt shows their start anyway).
const STRUCTURAL_LIMIT: usize = 64 * 1024;

/// What replaces a secret.
const MASK: &str = "***";

/// The secrets to scrub from server-sent text. Cheap to clone; `Debug` shows only how
/// many secrets it holds.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Every form of every secret, longest first (so a secret containing another is
    /// replaced whole).
    needles: Arc<Vec<String>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} forms of secrets)", self.needles.len())
    }
}

impl Redactor {
    /// A redactor that knows no secret (it still redacts secret-looking JSON keys).
    pub(crate) fn none() -> Self {
        Self::default()
    }

    /// Adds `secret` (ignored when empty) in every form a server may quote it in.
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let mut forms = vec![secret.to_owned()];
        if let Ok(json) = serde_json::to_string(secret) {
            forms.push(json.trim_matches('"').to_owned());
        }
        forms.push(utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string());
        forms.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
        let needles = Arc::make_mut(&mut self.needles);
        for form in forms {
            if !form.is_empty() && !needles.contains(&form) {
                needles.push(form);
            }
        }
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// Adds every secret of an `Authorization` value the client sent: the whole value,
    /// its credentials after the scheme (a bearer token, a Basic credential), and for
    /// Digest the computed `response`.
    pub(crate) fn add_authorization(&mut self, value: &HeaderValue) {
        let Ok(text) = value.to_str() else {
            return;
        };
        self.add(text);
        if let Some((_, credentials)) = text.split_once(' ') {
            self.add(credentials.trim());
        }
        if let Some(response) = digest_param(text, "response") {
            self.add(response);
        }
    }

    /// Whether `text` contains a secret.
    pub(crate) fn finds(&self, text: &str) -> bool {
        self.needles.iter().any(|n| text.contains(n.as_str()))
    }

    /// `text` with every secret replaced by `***`.
    pub(crate) fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for needle in self.needles.iter() {
            if out.contains(needle.as_str()) {
                out = Cow::Owned(out.replace(needle.as_str(), MASK));
            }
        }
        out
    }

    /// Scrubs a JSON document in place: every string and key loses its secrets, and the
    /// value of a secret-looking key becomes `"***"`.
    pub(crate) fn json(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                if let Cow::Owned(clean) = self.text(s) {
                    *s = clean;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                let dirty_keys = map.keys().any(|k| self.finds(k));
                if dirty_keys {
                    let entries = std::mem::take(map);
                    for (k, v) in entries {
                        map.insert(self.text(&k).into_owned(), v);
                    }
                }
                for (key, v) in map.iter_mut() {
                    if secret_key(key) && !v.is_null() {
                        *v = Value::String(MASK.to_owned());
                    } else {
                        self.json(v);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// A bounded, printable excerpt of a body: at most [`EXCERPT_LIMIT`] bytes, cut on a
    /// char boundary and marked `…` when cut, invalid UTF-8 replaced, scrubbed as above.
    /// A JSON body (up to 64 KiB) is shown re-encoded after scrubbing.
    pub(crate) fn excerpt(&self, body: &[u8]) -> String {
        let structural = (body.len() <= STRUCTURAL_LIMIT)
            .then(|| serde_json::from_slice::<Value>(body).ok())
            .flatten()
            .filter(|v| v.is_object() || v.is_array())
            .map(|mut v| {
                self.json(&mut v);
                v.to_string()
            });
        let window_len = body.len().min(EXCERPT_LIMIT * 8);
        let (text, window_cut) = match structural {
            Some(json) => (Cow::Owned(json), false),
            // Scrub a larger window first, so a value cut by the bound cannot leak its start.
            None => (
                String::from_utf8_lossy(body.get(..window_len).unwrap_or_default()),
                window_len < body.len(),
            ),
        };
        let text = self.text(&text).into_owned();
        let text = redact_secret_keys(&text);
        let text = text.trim();
        if text.len() <= EXCERPT_LIMIT && !window_cut {
            return text.to_owned();
        }
        let mut end = text.len().min(EXCERPT_LIMIT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", text.get(..end).unwrap_or_default())
    }

    /// Scrubs a URL: every query value (and name) holding a secret becomes `***`, and so
    /// does a path or fragment holding one.
    pub(crate) fn url(&self, url: &mut url::Url) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let mask = |s: &str| {
                    if self.finds(s) {
                        MASK.to_owned()
                    } else {
                        s.to_owned()
                    }
                };
                (mask(&k), mask(&v))
            })
            .collect();
        if url.query().is_some() {
            url.set_query(None);
            url.query_pairs_mut().extend_pairs(pairs);
        }
        if self.finds(url.path()) {
            let path = self.text(url.path()).into_owned();
            url.set_path(&path);
        }
        if url.fragment().is_some_and(|f| self.finds(f)) {
            url.set_fragment(Some(MASK));
        }
    }

    /// Marks as sensitive (shown as `Sensitive` by `Debug`) every header value that
    /// contains a secret, and every value of a credential-carrying header; drops a header
    /// whose name holds a secret (a name cannot be masked).
    pub(crate) fn headers(&self, headers: &mut HeaderMap) {
        let secret_name = |name: &HeaderName| {
            self.needles
                .iter()
                .any(|n| name.as_str().contains(n.to_ascii_lowercase().as_str()))
        };
        if headers.keys().any(secret_name) {
            let mut kept = HeaderMap::with_capacity(headers.len());
            let mut last: Option<HeaderName> = None;
            for (name, value) in std::mem::take(headers) {
                if let Some(name) = name {
                    last = Some(name);
                }
                if let Some(name) = last.as_ref().filter(|n| !secret_name(n)) {
                    kept.append(name.clone(), value);
                }
            }
            *headers = kept;
        }
        for (name, value) in headers.iter_mut() {
            let shown = String::from_utf8_lossy(value.as_bytes());
            if secret_header(name) || self.finds(&shown) {
                value.set_sensitive(true);
            }
        }
    }
}

/// Header names whose values are credentials whatever they hold.
fn secret_header(name: &HeaderName) -> bool {
    let name = name.as_str();
    matches!(
        name,
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || secret_key(name)
}

/// A JSON key that names a secret (`password`, `privateKey`, `access_token`, `clientSecret`,
/// `apiKey`, `Authorization`, …).
fn secret_key(key: &str) -> bool {
    let key: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    [
        "password",
        "secret",
        "token",
        "privatekey",
        "apikey",
        "authorization",
    ]
    .iter()
    .any(|word| key.contains(word))
}

/// The values of secret-looking JSON keys in (possibly cut or invalid) JSON text.
fn redact_secret_keys(text: &str) -> Cow<'_, str> {
    static SECRET_VALUE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = SECRET_VALUE.get_or_init(|| {
        Regex::new(
            r#"(?i)("[a-z_\-]*(?:password|secret|token|privatekey|private_key|apikey|api_key|authorization)[a-z_\-]*"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)"#,
        )
        .ok()
    });
    match re {
        Some(re) => re.replace_all(text, r#"$1"***""#),
        None => Cow::Borrowed(text),
    }
}

/// The value of parameter `name` in a `Digest …` authorization value.
fn digest_param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    let rest = value.strip_prefix("Digest ")?;
    rest.split(", ").find_map(|part| {
        let (key, v) = part.split_once('=')?;
        (key.trim() == name).then(|| v.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(secrets: &[&str]) -> Redactor {
        let mut r = Redactor::none();
        for s in secrets {
            r.add(s);
        }
        r
    }

    #[test]
    fn excerpt_is_bounded_on_a_char_boundary() {
        let r = Redactor::none();
        let body = "é".repeat(EXCERPT_LIMIT);
        let e = r.excerpt(body.as_bytes());
        assert!(e.ends_with('…'));
        assert!(e.len() <= EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.trim_end_matches('…').chars().all(|c| c == 'é'));
        assert_eq!(r.excerpt(b"  short  "), "short");
        assert_eq!(r.excerpt(b"\xff ok"), "\u{fffd} ok");
    }

    #[test]
    fn excerpt_redacts_secret_looking_values() {
        let r = Redactor::none();
        let body = br#"{"publicKey":"abc","privateKey":"s3cr3t-\"x","access_token":"tok","n":1}"#;
        let e = r.excerpt(body);
        assert!(!e.contains("s3cr3t"), "{e}");
        assert!(!e.contains("tok\""), "{e}");
        assert!(e.contains(r#""publicKey":"abc""#), "{e}");
        assert!(e.contains(r#""privateKey":"***""#), "{e}");
        // A value cut by the window is redacted too.
        let cut = format!(r#"{{"client_secret":"{}"#, "x".repeat(10_000));
        assert!(!r.excerpt(cut.as_bytes()).contains("xxx"));
    }

    #[test]
    fn secrets_are_scrubbed_wherever_and_however_they_appear() {
        let secret = "s3cr3t/\"κey+1";
        let r = with(&[secret]);
        for body in [
            format!("plain text: the key is {secret}!"),
            format!(
                r#"{{"detail": "key {} rejected"}}"#,
                serde_json::to_string(secret).unwrap().trim_matches('"')
            ),
            // Every character escaped: only a structural scrub sees it.
            format!(
                r#"{{"detail": "{}"}}"#,
                secret
                    .encode_utf16()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect::<String>()
            ),
            format!(
                "form: key={}",
                url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()
            ),
            format!(
                "url: /x?key={}",
                utf8_percent_encode(secret, NON_ALPHANUMERIC)
            ),
            format!(r#"{{"{secret}": 1}}"#),
        ] {
            let e = r.excerpt(body.as_bytes());
            assert!(!e.contains("s3cr3t"), "{body} → {e}");
            assert!(e.contains(MASK), "{body} → {e}");
        }
        let mut v: Value = serde_json::json!({"a": [format!("x{secret}y")], "apiKey": "k"});
        r.json(&mut v);
        assert_eq!(v, serde_json::json!({"a": ["x***y"], "apiKey": "***"}));
    }

    #[test]
    fn authorization_values_give_their_parts() {
        let mut r = Redactor::none();
        r.add_authorization(&HeaderValue::from_static(
            r#"Digest username="pub", realm="r", nonce="n", uri="/", response="0123abcd", qop=auth"#,
        ));
        r.add_authorization(&HeaderValue::from_static("Bearer tok-123"));
        let shown = r.text("echo: response=\"0123abcd\" and tok-123");
        assert_eq!(shown, "echo: response=\"***\" and ***");
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer tok-123"));
        headers.insert("x-other", HeaderValue::from_static("fine"));
        headers.insert("set-cookie", HeaderValue::from_static("a=b"));
        headers.insert(
            "x-tok-123",
            HeaderValue::from_static("a name cannot be masked"),
        );
        r.headers(&mut headers);
        assert!(!headers.contains_key("x-tok-123"));
        let debug = format!("{headers:?}");
        assert!(
            !debug.contains("tok-123") && !debug.contains("a=b"),
            "{debug}"
        );
        assert!(debug.contains("fine"), "{debug}");
        // The values themselves stay readable for the program.
        assert_eq!(headers["x-echo"], "Bearer tok-123");
    }

    #[test]
    fn longest_secret_first_and_empty_ones_ignored() {
        let r = with(&["", "abc", "abcdef"]);
        assert_eq!(r.text("abcdef abc"), "*** ***");
        assert_eq!(format!("{r:?}"), "Redactor(2 forms of secrets)");
    }
}
