//! HTTP Digest access authentication (RFC 7616, compatible with RFC 2617 and RFC 2069):
//! reading challenges, choosing the strongest, and computing answers. Pure functions; the
//! per-client state (stored challenge, nonce count) is in `digest_auth`.

use std::fmt::Write as _;

use md5::Md5;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};
use sha2::{Digest as _, Sha256, Sha512_256};
use url::Url;

use super::challenge::{self, Challenge};

/// A Digest hash algorithm (RFC 7616 §3.3 and §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
    Sha512_256,
    Sha512_256Sess,
}

impl Algorithm {
    fn parse(name: &str) -> Option<Self> {
        const ALL: [Algorithm; 6] = [
            Algorithm::Md5,
            Algorithm::Md5Sess,
            Algorithm::Sha256,
            Algorithm::Sha256Sess,
            Algorithm::Sha512_256,
            Algorithm::Sha512_256Sess,
        ];
        ALL.into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The canonical name, as echoed in the `algorithm` parameter.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Md5Sess => "MD5-sess",
            Self::Sha256 => "SHA-256",
            Self::Sha256Sess => "SHA-256-sess",
            Self::Sha512_256 => "SHA-512-256",
            Self::Sha512_256Sess => "SHA-512-256-sess",
        }
    }

    fn strength(self) -> u8 {
        match self {
            Self::Md5 | Self::Md5Sess => 1,
            Self::Sha256 | Self::Sha256Sess => 2,
            Self::Sha512_256 | Self::Sha512_256Sess => 3,
        }
    }

    fn is_sess(self) -> bool {
        matches!(
            self,
            Self::Md5Sess | Self::Sha256Sess | Self::Sha512_256Sess
        )
    }

    /// Lower-case hex of the hash of `data`.
    fn hex(self, data: &str) -> String {
        fn hex_of(bytes: &[u8]) -> String {
            bytes.iter().fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
        }
        let data = data.as_bytes();
        match self {
            Self::Md5 | Self::Md5Sess => hex_of(&Md5::digest(data)),
            Self::Sha256 | Self::Sha256Sess => hex_of(&Sha256::digest(data)),
            Self::Sha512_256 | Self::Sha512_256Sess => hex_of(&Sha512_256::digest(data)),
        }
    }
}

/// A usable Digest challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DigestChallenge {
    pub(crate) realm: String,
    pub(crate) nonce: String,
    pub(crate) opaque: Option<String>,
    pub(crate) algorithm: Algorithm,
    /// Whether the challenge named the algorithm (then the answer echoes it).
    pub(crate) algorithm_explicit: bool,
    /// `true` when the server offered `qop=auth`; `false` is the RFC 2069 legacy mode.
    pub(crate) qop_auth: bool,
    pub(crate) stale: bool,
    pub(crate) userhash: bool,
}

impl DigestChallenge {
    /// Reads a Digest challenge's parameters; `Err` says why it is unusable.
    pub(crate) fn from_challenge(c: &Challenge) -> Result<Self, String> {
        let realm = c.param("realm").ok_or("Digest challenge without realm")?;
        let nonce = c.param("nonce").ok_or("Digest challenge without nonce")?;
        if nonce.is_empty() {
            return Err("Digest challenge with an empty nonce".into());
        }
        let (algorithm, algorithm_explicit) = match c.param("algorithm") {
            None => (Algorithm::Md5, false),
            Some(name) => match Algorithm::parse(name.trim()) {
                Some(a) => (a, true),
                // The name comes from the server and is not secret; bound its length.
                None => {
                    let shown: String = name.chars().take(32).collect();
                    return Err(format!("unsupported Digest algorithm {shown:?}"));
                }
            },
        };
        let qop_auth = match c.param("qop") {
            None => false,
            Some(list)
                if list
                    .split(',')
                    .any(|q| q.trim().eq_ignore_ascii_case("auth")) =>
            {
                true
            }
            Some(_) => return Err("Digest challenge offers no supported qop (need auth)".into()),
        };
        let flag = |name| {
            c.param(name)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        Ok(Self {
            realm: realm.to_owned(),
            nonce: nonce.to_owned(),
            opaque: c.param("opaque").map(str::to_owned),
            algorithm,
            algorithm_explicit,
            qop_auth,
            stale: flag("stale"),
            userhash: flag("userhash"),
        })
    }

    /// The strongest usable Digest challenge in all `WWW-Authenticate` headers.
    ///
    /// `Ok(None)`: no `WWW-Authenticate` header at all. `Err`: headers present, but none
    /// carries a usable Digest challenge (the reason is secret-free).
    pub(crate) fn select(headers: &HeaderMap) -> Result<Option<Self>, String> {
        let mut best: Option<Self> = None;
        let mut first_problem: Option<String> = None;
        let mut schemes: Vec<String> = Vec::new();
        let mut any_header = false;
        for value in headers.get_all(WWW_AUTHENTICATE) {
            any_header = true;
            let text = String::from_utf8_lossy(value.as_bytes());
            let challenges = match challenge::parse(&text) {
                Ok(c) => c,
                Err(e) => {
                    first_problem.get_or_insert(format!("malformed WWW-Authenticate: {e}"));
                    continue;
                }
            };
            for c in challenges.iter() {
                if !c.is("Digest") {
                    schemes.push(c.scheme.chars().take(32).collect());
                    continue;
                }
                match Self::from_challenge(c) {
                    Ok(d) => {
                        let stronger = best
                            .as_ref()
                            .is_none_or(|b| d.algorithm.strength() > b.algorithm.strength());
                        if stronger {
                            best = Some(d);
                        }
                    }
                    Err(e) => {
                        first_problem.get_or_insert(e);
                    }
                }
            }
        }
        match (best, first_problem) {
            (Some(d), _) => Ok(Some(d)),
            (None, Some(problem)) => Err(problem),
            (None, None) if any_header => Err(format!(
                "the server offered no Digest challenge (schemes: {})",
                schemes.join(", ")
            )),
            (None, None) => Ok(None),
        }
    }
}

/// The request-target as sent on the wire: path plus `?query`.
pub(crate) fn request_target(url: &Url) -> &str {
    let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
    if target.is_empty() {
        "/"
    } else {
        target
    }
}

/// RFC 8187 attr-char: everything else is percent-encoded in `username*`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

/// The `response` value: KD(H(A1), nonce:nc:cnonce:qop:H(A2)), or the RFC 2069 form.
pub(crate) fn response_hash(
    ch: &DigestChallenge,
    username: &str,
    password: &str,
    method: &str,
    uri: &str,
    nc: u32,
    cnonce: &str,
) -> String {
    let alg = ch.algorithm;
    let mut ha1 = alg.hex(&format!("{username}:{}:{password}", ch.realm));
    if alg.is_sess() {
        ha1 = alg.hex(&format!("{ha1}:{}:{cnonce}", ch.nonce));
    }
    let ha2 = alg.hex(&format!("{method}:{uri}"));
    if ch.qop_auth {
        alg.hex(&format!("{ha1}:{}:{nc:08x}:{cnonce}:auth:{ha2}", ch.nonce))
    } else {
        alg.hex(&format!("{ha1}:{}:{ha2}", ch.nonce))
    }
}

/// The full `Authorization` header value answering `ch` (pure; used by the tests too).
pub(crate) fn authorization_value(
    ch: &DigestChallenge,
    username: &str,
    password: &str,
    method: &str,
    uri: &str,
    nc: u32,
    cnonce: &str,
) -> String {
    let mut v = String::from("Digest ");
    if ch.userhash {
        let hashed = ch.algorithm.hex(&format!("{username}:{}", ch.realm));
        let _ = write!(v, "username={}, userhash=true", quote(&hashed));
    } else if username
        .chars()
        .all(|c| c.is_ascii() && !c.is_ascii_control())
    {
        v.push_str("username=");
        v.push_str(&quote(username));
    } else {
        let encoded = utf8_percent_encode(username, ATTR_CHAR);
        let _ = write!(v, "username*=UTF-8''{encoded}");
    }
    let _ = write!(
        v,
        ", realm={}, nonce={}",
        quote(&ch.realm),
        quote(&ch.nonce)
    );
    let _ = write!(v, ", uri={}", quote(uri));
    if ch.algorithm_explicit {
        let _ = write!(v, ", algorithm={}", ch.algorithm.name());
    }
    let response = response_hash(ch, username, password, method, uri, nc, cnonce);
    let _ = write!(v, ", response={}", quote(&response));
    if ch.qop_auth {
        let _ = write!(v, ", qop=auth, nc={nc:08x}, cnonce={}", quote(cnonce));
    } else if ch.algorithm.is_sess() {
        let _ = write!(v, ", cnonce={}", quote(cnonce));
    }
    if let Some(opaque) = &ch.opaque {
        let _ = write!(v, ", opaque={}", quote(opaque));
    }
    v
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
