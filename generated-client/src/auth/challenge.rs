//! Parsing of `WWW-Authenticate` header values (RFC 7235 §4.1 / RFC 9110 §11.6.1).
//!
//! A header value holds one or more challenges separated by commas, and each challenge is
//! an auth-scheme followed by either a token68 or a comma-separated list of `name=value`
//! parameters whose values are tokens or quoted strings (with `\` escapes). Commas also
//! appear inside quoted strings (`qop="auth,auth-int"`), so the value can't be split
//! naively. The parser never panics; anything it can't read is a [`ParseError`].

use std::fmt;

/// One challenge: a scheme and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    /// The auth-scheme as sent (compare case-insensitively).
    pub(crate) scheme: String,
    /// Parameters in order; names lower-cased, values unquoted and unescaped.
    pub(crate) params: Vec<(String, String)>,
    /// A token68 credential instead of parameters (e.g. `Negotiate abc==`).
    pub(crate) token68: Option<String>,
}

impl Challenge {
    /// The first parameter named `name` (lower-case), if present.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the scheme is `scheme`, case-insensitively.
    pub(crate) fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }
}

/// A header value that is not a well-formed list of challenges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    /// What went wrong (never contains the header value itself).
    pub(crate) reason: &'static str,
    /// Byte offset where it went wrong.
    pub(crate) at: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.at)
    }
}

/// Parses one `WWW-Authenticate` header value into its challenges.
pub(crate) fn parse(value: &str) -> Result<Vec<Challenge>, ParseError> {
    Parser {
        s: value.as_bytes(),
        pos: 0,
    }
    .challenges()
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token68_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn err<T>(&self, reason: &'static str) -> Result<T, ParseError> {
        Err(ParseError {
            reason,
            at: self.pos,
        })
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace and empty list elements (`a, , b` is legal).
    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.pos += 1;
        }
    }

    fn token(&mut self) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(is_tchar) {
            self.pos += 1;
        }
        // Only ASCII tchars were consumed, so this is valid UTF-8.
        std::str::from_utf8(&self.s[start..self.pos]).unwrap_or_default()
    }

    fn quoted_string(&mut self) -> Result<String, ParseError> {
        debug_assert_eq!(self.peek(), Some(b'"'));
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return self.err("unterminated quoted string"),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        None => return self.err("unterminated escape in quoted string"),
                        Some(b) => out.push(b),
                    }
                    self.pos += 1;
                }
                Some(b) if b < 0x20 && b != b'\t' || b == 0x7f => {
                    return self.err("control character in quoted string")
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    fn challenges(&mut self) -> Result<Vec<Challenge>, ParseError> {
        let mut out = Vec::new();
        self.skip_separators();
        while self.pos < self.s.len() {
            out.push(self.challenge()?);
            self.skip_separators();
        }
        if out.is_empty() {
            return self.err("no challenge");
        }
        Ok(out)
    }

    fn challenge(&mut self) -> Result<Challenge, ParseError> {
        let scheme = self.token().to_owned();
        if scheme.is_empty() {
            return self.err("expected an auth-scheme");
        }
        let mut challenge = Challenge {
            scheme,
            params: Vec::new(),
            token68: None,
        };
        match self.peek() {
            None | Some(b',') => return Ok(challenge),
            Some(b' ' | b'\t') => self.skip_ows(),
            Some(_) => return self.err("unexpected character after auth-scheme"),
        }
        // token68: a run of token68 chars, optional trailing '=', then end or ','.
        if let Some(t) = self.try_token68() {
            challenge.token68 = Some(t);
            return Ok(challenge);
        }
        loop {
            match self.peek() {
                None => return Ok(challenge),
                Some(b',') => {}
                Some(_) => {
                    let mark = self.pos;
                    let name = self.token().to_ascii_lowercase();
                    if name.is_empty() {
                        return self.err("expected a parameter name");
                    }
                    self.skip_ows();
                    if self.peek() != Some(b'=') {
                        if challenge.params.is_empty() {
                            return self.err("expected '=' after parameter name");
                        }
                        // A bare token after a comma starts the next challenge.
                        self.pos = mark;
                        return Ok(challenge);
                    }
                    self.pos += 1;
                    self.skip_ows();
                    let value = match self.peek() {
                        Some(b'"') => self.quoted_string()?,
                        Some(b) if is_tchar(b) => self.token().to_owned(),
                        _ => return self.err("expected a token or quoted string"),
                    };
                    challenge.params.push((name, value));
                    self.skip_ows();
                    match self.peek() {
                        None | Some(b',') => {}
                        Some(_) => return self.err("expected ',' between parameters"),
                    }
                }
            }
            // At a comma: skip it (and empty elements), then see what comes next.
            self.skip_separators();
            if self.pos < self.s.len() && !self.next_is_param() {
                return Ok(challenge);
            }
        }
    }

    /// Whether the upcoming element is `name =` (a parameter) rather than a new scheme.
    fn next_is_param(&self) -> bool {
        let mut p = self.pos;
        while self.s.get(p).copied().is_some_and(is_tchar) {
            p += 1;
        }
        while matches!(self.s.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        p > self.pos && self.s.get(p) == Some(&b'=')
    }

    fn try_token68(&mut self) -> Option<String> {
        let start = self.pos;
        let mut p = start;
        while self.s.get(p).copied().is_some_and(is_token68_char) {
            p += 1;
        }
        if p == start {
            return None;
        }
        while self.s.get(p) == Some(&b'=') {
            p += 1;
        }
        let mut q = p;
        while matches!(self.s.get(q), Some(b' ' | b'\t')) {
            q += 1;
        }
        // `name=value` has more text after the '=': only a run ending the element is token68.
        if !matches!(self.s.get(q), None | Some(b',')) {
            return None;
        }
        self.pos = q;
        Some(String::from_utf8_lossy(&self.s[start..p]).into_owned())
    }
}
