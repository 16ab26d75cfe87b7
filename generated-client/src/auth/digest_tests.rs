use std::collections::HashSet;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};

use super::*;
use crate::auth::challenge::parse;
use crate::auth::digest_auth::DigestAuth;
use crate::auth::test_support::{assert_credentials_error, digest_params};
use crate::auth::Secret;
use reqwest::Method;
use url::Url;

fn challenge_from(header: &str) -> DigestChallenge {
    let mut headers = HeaderMap::new();
    headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(header).unwrap());
    DigestChallenge::select(&headers).unwrap().unwrap()
}

const RFC7616_NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const RFC7616_OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
const RFC7616_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

fn rfc7616(algorithm: &str) -> DigestChallenge {
    challenge_from(&format!(
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
         algorithm={algorithm}, nonce=\"{RFC7616_NONCE}\", opaque=\"{RFC7616_OPAQUE}\""
    ))
}

#[test]
fn rfc7616_sha256_example() {
    let ch = rfc7616("SHA-256");
    assert_eq!(ch.algorithm, Algorithm::Sha256);
    let value = authorization_value(
        &ch,
        "Mufasa",
        "Circle of Life",
        "GET",
        "/dir/index.html",
        1,
        RFC7616_CNONCE,
    );
    assert_eq!(
        value,
        format!(
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", \
             nonce=\"{RFC7616_NONCE}\", uri=\"/dir/index.html\", algorithm=SHA-256, \
             response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", \
             qop=auth, nc=00000001, cnonce=\"{RFC7616_CNONCE}\", opaque=\"{RFC7616_OPAQUE}\""
        )
    );
}

#[test]
fn rfc7616_md5_example() {
    let ch = rfc7616("MD5");
    let response = response_hash(
        &ch,
        "Mufasa",
        "Circle of Life",
        "GET",
        "/dir/index.html",
        1,
        RFC7616_CNONCE,
    );
    assert_eq!(response, "8ca523f5e9506fed4657c9700eebdbec");
}

#[test]
fn rfc2617_md5_example() {
    let ch = challenge_from(
        "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", \
         nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
    );
    assert!(!ch.algorithm_explicit);
    let value = authorization_value(
        &ch,
        "Mufasa",
        "Circle Of Life",
        "GET",
        "/dir/index.html",
        1,
        "0a4f113b",
    );
    assert_eq!(
        value,
        "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", \
         nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", \
         response=\"6629fae49393a05397450978507c4ef1\", qop=auth, nc=00000001, \
         cnonce=\"0a4f113b\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""
    );
}

#[test]
fn rfc2069_legacy_mode_without_qop() {
    // RFC 2069's example (its printed response is a known erratum; this is the correct one).
    let ch = challenge_from(
        "Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", \
         opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
    );
    assert!(!ch.qop_auth);
    let value = authorization_value(
        &ch,
        "Mufasa",
        "CircleOfLife",
        "GET",
        "/dir/index.html",
        1,
        "x",
    );
    assert!(
        value.contains("response=\"1949323746fe6a43ef61f9606e7febea\""),
        "{value}"
    );
    assert!(!value.contains("nc=") && !value.contains("cnonce=") && !value.contains("qop="));
}

#[test]
fn userhash_and_sha512_256() {
    // Values computed independently (Python hashlib) for RFC 7616 §3.9.2's inputs.
    let ch = challenge_from(
        "Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, \
         nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", \
         opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", charset=UTF-8, userhash=true",
    );
    assert!(ch.userhash);
    let value = authorization_value(
        &ch,
        "J\u{e4}s\u{f8}n Doe",
        "Secret, or not?",
        "GET",
        "/doe.json",
        1,
        "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
    );
    let p = digest_params(&value);
    assert_eq!(
        p["username"],
        "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b"
    );
    assert_eq!(p["userhash"], "true");
    assert_eq!(
        p["response"],
        "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5"
    );
}

#[test]
fn non_ascii_username_uses_username_star() {
    let ch = challenge_from("Digest realm=\"r\", nonce=\"n\", qop=auth");
    let value = authorization_value(&ch, "J\u{e4}s\u{f8}n Doe", "pw", "GET", "/", 1, "c");
    assert!(
        value.starts_with("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, "),
        "{value}"
    );
}

#[test]
fn quoting_escapes_in_answer() {
    let ch = challenge_from(r#"Digest realm="a \"quoted\" realm", nonce="n\\1", qop=auth"#);
    assert_eq!(ch.realm, "a \"quoted\" realm");
    assert_eq!(ch.nonce, "n\\1");
    let value = authorization_value(&ch, "u\"x", "pw", "GET", "/", 1, "c");
    let p = digest_params(&value);
    assert_eq!(p["realm"], "a \"quoted\" realm");
    assert_eq!(p["nonce"], "n\\1");
    assert_eq!(p["username"], "u\"x");
}

#[test]
fn challenge_parser_table() {
    type Expected<'a> = &'a [(&'a str, &'a [(&'a str, &'a str)])];
    let ok: &[(&str, Expected<'_>)] = &[
        ("Basic realm=\"x\"", &[("Basic", &[("realm", "x")])]),
        (
            "Digest realm=\"a, b\", qop=\"auth,auth-int\", nonce=abc",
            &[(
                "Digest",
                &[
                    ("realm", "a, b"),
                    ("qop", "auth,auth-int"),
                    ("nonce", "abc"),
                ],
            )],
        ),
        (
            "Digest realm=\"r\", nonce=\"n\", Basic realm=\"b\"",
            &[
                ("Digest", &[("realm", "r"), ("nonce", "n")]),
                ("Basic", &[("realm", "b")]),
            ],
        ),
        (
            "  ,Digest  REALM = \"r\" , , nonce=\"n\"  ,  Bearer",
            &[
                ("Digest", &[("realm", "r"), ("nonce", "n")]),
                ("Bearer", &[]),
            ],
        ),
        (
            "Digest realm=\"esc\\\\aped \\\"q\\\"\"",
            &[("Digest", &[("realm", "esc\\aped \"q\"")])],
        ),
        ("Negotiate", &[("Negotiate", &[])]),
    ];
    for (input, expected) in ok {
        let parsed = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(parsed.len(), expected.len(), "{input:?}: {parsed:?}");
        for (c, (scheme, params)) in parsed.iter().zip(expected.iter()) {
            assert_eq!(c.scheme, *scheme, "{input:?}");
            let got: Vec<(&str, &str)> = c
                .params
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            assert_eq!(got, *params, "{input:?}");
        }
    }
    let token68 = parse("Negotiate abc+/==, Digest realm=r, nonce=n").unwrap();
    assert_eq!(token68[0].token68.as_deref(), Some("abc+/=="));
    assert_eq!(token68[1].param("nonce"), Some("n"));

    for bad in [
        "",
        "   ",
        "Digest realm=\"unterminated",
        "Digest realm=\"x\" nonce=\"y\"",
        "Digest realm=\"x\", nonce=",
        "Digest realm=\"x\", nonce=,",
        "Digest =x",
        "Digest realm=\"x\\",
        "\"quoted\"",
        "Digest realm=@@",
        "Digest realm=\"x\"; nonce=y",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} parsed: {:?}", parse(bad));
    }
}

#[test]
fn selection_table() {
    // (headers, Ok(Some(algorithm, nonce)) / Ok(None) / Err)
    type Expect = Result<Option<(Algorithm, &'static str)>, ()>;
    let table: &[(&[&str], Expect)] = &[
        (&[], Ok(None)),
        (&["Digest realm=\"r\", nonce=\"n\""], Ok(Some((Algorithm::Md5, "n")))),
        (
            &["Digest realm=\"r\", nonce=\"m\", algorithm=MD5, Digest realm=\"r\", nonce=\"s\", algorithm=SHA-256"],
            Ok(Some((Algorithm::Sha256, "s"))),
        ),
        (
            &["Digest realm=\"r\", nonce=\"s\", algorithm=sha-256-SESS", "Digest realm=\"r\", nonce=\"m\", algorithm=MD5"],
            Ok(Some((Algorithm::Sha256Sess, "s"))),
        ),
        (
            &["Digest realm=\"r\", nonce=\"x\", algorithm=SHA-1", "Digest realm=\"r\", nonce=\"m\", algorithm=MD5-sess"],
            Ok(Some((Algorithm::Md5Sess, "m"))),
        ),
        (&["garbage!!! \"", "Digest realm=\"r\", nonce=\"n\""], Ok(Some((Algorithm::Md5, "n")))),
        (&["Digest realm=\"r\""], Err(())),
        (&["Digest nonce=\"n\""], Err(())),
        (&["Digest realm=\"r\", nonce=\"\""], Err(())),
        (&["Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1"], Err(())),
        (&["Digest realm=\"r\", nonce=\"n\", algorithm=\"\""], Err(())),
        (&["Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""], Err(())),
        (&["Basic realm=\"r\""], Err(())),
        (&["garbage!!! \""], Err(())),
        (&["\u{1}\u{2}"], Err(())),
        (&["Digest"], Err(())),
    ];
    for (values, expected) in table {
        let mut headers = HeaderMap::new();
        for v in values.iter() {
            let value = HeaderValue::from_bytes(v.as_bytes())
                .unwrap_or_else(|_| HeaderValue::from_static("\"bad"));
            headers.append(WWW_AUTHENTICATE, value);
        }
        let got = DigestChallenge::select(&headers);
        match (expected, &got) {
            (Ok(None), Ok(None)) | (Err(()), Err(_)) => {}
            (Ok(Some((alg, nonce))), Ok(Some(c))) if c.algorithm == *alg && c.nonce == *nonce => {}
            _ => panic!("{values:?}: expected {expected:?}, got {got:?}"),
        }
    }
}

fn stored(auth: &DigestAuth, header: &str) {
    let mut headers = HeaderMap::new();
    headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(header).unwrap());
    assert!(auth.handle_unauthorized(&headers).unwrap());
}

fn answer(auth: &DigestAuth, url: &str) -> std::collections::HashMap<String, String> {
    let url = Url::parse(url).unwrap();
    let value = auth.authorization(&Method::GET, &url).unwrap().unwrap();
    assert!(value.is_sensitive());
    digest_params(value.to_str().unwrap())
}

#[test]
fn nonce_count_increments_and_resets_on_new_nonce() {
    let auth = DigestAuth::new("user".into(), Secret::new("pw".into()));
    let url = Url::parse("http://127.0.0.1/x").unwrap();
    assert!(auth.authorization(&Method::GET, &url).unwrap().is_none());

    stored(
        &auth,
        "Digest realm=\"r\", nonce=\"n1\", qop=\"auth\", algorithm=MD5, opaque=\"o\"",
    );
    let a = answer(&auth, "http://127.0.0.1/api/a?x=1&y=%2F");
    let b = answer(&auth, "http://127.0.0.1/api/b");
    assert_eq!(
        (a["nc"].as_str(), b["nc"].as_str()),
        ("00000001", "00000002")
    );
    assert_ne!(a["cnonce"], b["cnonce"]);
    assert_eq!(a["cnonce"].len(), 32);
    assert_eq!(a["uri"], "/api/a?x=1&y=%2F");
    assert_eq!(a["opaque"], "o");
    assert_eq!(a["algorithm"], "MD5");
    assert_eq!(a["qop"], "auth");

    // The same nonce again keeps counting; a new one (stale) restarts at 1.
    stored(
        &auth,
        "Digest realm=\"r\", nonce=\"n1\", qop=\"auth\", algorithm=MD5, opaque=\"o\"",
    );
    assert_eq!(answer(&auth, "http://127.0.0.1/")["nc"], "00000003");
    stored(
        &auth,
        "Digest realm=\"r\", nonce=\"n2\", qop=\"auth\", algorithm=MD5, stale=true",
    );
    let c = answer(&auth, "http://127.0.0.1/");
    assert_eq!((c["nc"].as_str(), c["nonce"].as_str()), ("00000001", "n2"));
    assert!(!c.contains_key("opaque"));
}

#[test]
fn nonce_count_is_thread_safe() {
    let auth = Arc::new(DigestAuth::new("user".into(), Secret::new("pw".into())));
    stored(&auth, "Digest realm=\"r\", nonce=\"n\", qop=auth");
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let auth = Arc::clone(&auth);
            std::thread::spawn(move || {
                (0..200)
                    .map(|_| answer(&auth, "http://127.0.0.1/p")["nc"].clone())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let all: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), 1600);
    let expected: HashSet<String> = (1..=1600u32).map(|n| format!("{n:08x}")).collect();
    assert_eq!(unique, expected.iter().collect());
}

#[test]
fn malformed_or_missing_challenges() {
    let auth = DigestAuth::new("user".into(), Secret::new("topsecret".into()));
    assert!(!auth.handle_unauthorized(&HeaderMap::new()).unwrap());
    for bad in [
        "Digest realm=\"r\"",
        "Digest nonce=\"n\"",
        "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1",
        "Basic realm=\"r\"",
        "%%% garbage",
    ] {
        let mut headers = HeaderMap::new();
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(bad).unwrap());
        let err = auth.handle_unauthorized(&headers).unwrap_err();
        assert_credentials_error(&err, Some(401), &["topsecret"]);
    }
    // Nothing was stored by the failures.
    let url = Url::parse("http://127.0.0.1/").unwrap();
    assert!(auth.authorization(&Method::GET, &url).unwrap().is_none());
}

#[test]
fn request_target_is_path_and_query() {
    for (url, target) in [
        ("http://h/", "/"),
        ("http://h", "/"),
        ("http://h/a/b%20c?q=1#frag", "/a/b%20c?q=1"),
        ("http://h/a?", "/a?"),
        ("https://u:p@h:8443/x:start?a=b&c", "/x:start?a=b&c"),
    ] {
        assert_eq!(request_target(&Url::parse(url).unwrap()), target, "{url}");
    }
}
