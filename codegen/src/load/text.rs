//! Bytes → JSON value: text (UTF-8, no NUL), not empty, then syntax ([`super::syntax`],
//! with the depth limit). The first step of loading the root document and every other
//! file of a description.

use serde_json::Value;

use super::problem::Problem;
use super::syntax;
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// Bytes → JSON value: text, not empty, syntax (with the depth limit).
pub(super) fn parse_text(bytes: &[u8], json_file: bool) -> Result<Value, Problem> {
    let text =
        to_text(bytes).map_err(|reason| (JsonPointer::root(), ErrorKind::NotText { reason }))?;
    if text.trim().is_empty() {
        return Err((JsonPointer::root(), ErrorKind::Empty));
    }
    syntax::parse(text, json_file)
}

/// Bytes → text, or why the bytes are not text.
fn to_text(bytes: &[u8]) -> Result<&str, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("it is UTF-16 (it starts with a UTF-16 byte order mark)".into());
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("it contains a NUL byte at offset {offset}"));
    }
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let text = bytes.get(bom..).unwrap_or_default();
    std::str::from_utf8(text).map_err(|e| {
        let offset = bom + e.valid_up_to();
        match bytes.get(offset) {
            Some(b) => format!("byte {b:#04x} at offset {offset} is not valid UTF-8"),
            None => format!("it ends in the middle of a UTF-8 sequence at offset {offset}"),
        }
    })
}
