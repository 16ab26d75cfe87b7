//! Enums: string enums become open enums (values in spec order; the emitter adds the
//! `Unknown(String)` catch-all); integer, number and boolean enums stay their scalar type
//! and list the allowed values in the docs (a closed Rust enum would reject values a
//! server adds later, and an open one cannot be written for numbers without losing the
//! scalar's arithmetic).

use super::naming::VariantNames;
use super::shape::{Shape, Ty};
use super::Lowerer;
use crate::error::{Error, ErrorKind};
use crate::ir::{Docs, EnumValue, OpenEnum};
use crate::pointer::JsonPointer;

impl Lowerer<'_> {
    /// A `type: string` enum, or an untyped one whose values are all strings.
    pub(crate) fn is_string_enum(&self, shape: &Shape<'_>) -> bool {
        !shape.enum_values.is_empty()
            && match shape.ty {
                Some(Ty::String) => true,
                None => shape.enum_values.iter().all(serde_json::Value::is_string),
                _ => false,
            }
    }

    /// The open enum of a string enum schema at `at`. Two values with the same variant
    /// name (`a-b` and `A_B`) are an error naming the first one's pointer.
    pub(crate) fn open_enum(&self, shape: &Shape<'_>, at: &JsonPointer) -> Result<OpenEnum, Error> {
        let mut names = VariantNames::default();
        let mut values = Vec::with_capacity(shape.enum_values.len());
        for (i, v) in shape.enum_values.iter().enumerate() {
            let value_at = at.push("enum").index(i);
            let Some(wire) = v.as_str() else {
                return Err(self.unsupported(
                    &value_at,
                    format!("enum value {v} in a string enum"),
                    "string values only",
                ));
            };
            let rust = names.value(wire, &value_at).map_err(|other| {
                self.err(
                    &value_at,
                    ErrorKind::NameCollision {
                        name: wire.to_owned(),
                        other,
                    },
                )
            })?;
            values.push(EnumValue {
                wire: wire.to_owned(),
                rust,
            });
        }
        Ok(OpenEnum { values })
    }

    /// Appends "Allowed values: `1`, `2`." to the docs of a non-string enum.
    pub(crate) fn allowed_values_doc(&self, shape: &Shape<'_>, docs: &mut Docs) {
        if shape.enum_values.is_empty() || self.is_string_enum(shape) {
            return;
        }
        let list: Vec<String> = shape.enum_values.iter().map(|v| format!("`{v}`")).collect();
        let line = format!("Allowed values: {}.", list.join(", "));
        docs.description = Some(match docs.description.take() {
            Some(d) if !d.trim().is_empty() => format!("{}\n\n{line}", d.trim_end()),
            _ => line,
        });
    }
}
