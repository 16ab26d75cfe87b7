//! Enums: string enums become open enums (values in spec order; the emitter adds the
//! `Unknown(String)` catch-all; a number or boolean among the values of a `type: string`
//! enum is the string it is written as); integer, number and boolean enums stay their scalar type
//! and list the allowed values in the docs (a closed Rust enum would reject values a
//! server adds later, and an open one cannot be written for numbers without losing the
//! scalar's arithmetic).

use super::keywords::{Keywords, Ty};
use super::naming::VariantNames;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{Docs, EnumValue, OpenEnum};
use crate::pointer::JsonPointer;

/// A `type: string` enum, or an untyped one whose values are all strings.
pub(crate) fn is_string_enum(kw: &Keywords<'_>) -> bool {
    !kw.enum_values.is_empty()
        && match kw.ty {
            Some(Ty::String) => true,
            None => kw.enum_values.iter().all(serde_json::Value::is_string),
            _ => false,
        }
}

/// The open enum of a string enum schema at `at`. Values whose names collide get a
/// counter in spec order (`a-b`, `A_B` → `AB`, `AB2`); each variant's docs show its wire
/// value. A value listed twice is one variant (a second would never match).
pub(crate) fn open_enum(
    doc: Document<'_>,
    kw: &Keywords<'_>,
    at: &JsonPointer,
) -> Result<OpenEnum, Error> {
    let mut names = VariantNames::default();
    let mut values: Vec<EnumValue> = Vec::with_capacity(kw.enum_values.len());
    for (i, v) in kw.enum_values.iter().enumerate() {
        let value_at = at.push("enum").index(i);
        // `type: string` with `enum: [169, true]` (an unquoted value in the YAML the
        // document was made from): the value is the string the number or boolean is
        // written as, exactly (`"169"`, `"true"`).
        let written;
        let wire = match v {
            serde_json::Value::String(s) => s.as_str(),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {
                written = v.to_string();
                written.as_str()
            }
            _ => {
                return Err(doc.unsupported(
                    &value_at,
                    format!("enum value {v} in a string enum"),
                    "string, number or boolean values",
                ))
            }
        };
        if values.iter().any(|known| known.wire == wire) {
            continue;
        }
        values.push(EnumValue {
            wire: wire.to_owned(),
            rust: names.value(wire),
        });
    }
    Ok(OpenEnum { values })
}

/// Appends "Allowed values: `1`, `2`." to the docs of a non-string enum.
pub(crate) fn allowed_values_doc(kw: &Keywords<'_>, docs: &mut Docs) {
    if kw.enum_values.is_empty() || is_string_enum(kw) {
        return;
    }
    let list: Vec<String> = kw.enum_values.iter().map(|v| format!("`{v}`")).collect();
    let line = format!("Allowed values: {}.", list.join(", "));
    docs.description = Some(match docs.description.take() {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{line}", d.trim_end()),
        _ => line,
    });
}
