//! The interface through which struct, `allOf` and union lowering recurse into the schemas
//! they contain. `schema` dispatches to those modules and implements this trait for them,
//! so they depend on the trait rather than on `schema`: no module of `lower` imports one
//! that imports it back.

use openapiv3::{ReferenceOr, Schema};

use super::hint::Hint;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{TypeName, TypeRef};
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;

/// Lowers the schemas nested in the one being lowered.
pub(crate) trait Recurse<'a> {
    /// The document being lowered.
    fn doc(&self) -> Document<'a>;

    /// The type of the schema written at `at`: a component's type for a `$ref`, else the
    /// inline schema's (named after `hint` when it needs a name).
    fn schema_ref(
        &mut self,
        r: &'a ReferenceOr<Schema>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error>;

    /// [`Self::schema_ref`] for the boxed schemas of properties and items.
    fn boxed_ref(
        &mut self,
        r: &'a ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error>;

    /// The type of an inline schema (named after `hint` when it needs a name).
    fn inline(&mut self, s: &'a Schema, at: &JsonPointer, hint: &Hint) -> Result<TypeRef, Error>;

    /// The type name of schema component `key`.
    fn component_type(&self, key: &str, at: &JsonPointer) -> Result<TypeName, Error>;

    /// The components whose `allOf` has a `$ref` to component `key`, sorted: the children
    /// of the "base schema with discriminator" union style.
    fn children(&self, key: &str) -> &[&'a str];

    /// The named type of a resolved component schema.
    fn component_ref(
        &self,
        target: &Resolved<'a, Schema>,
        at: &JsonPointer,
    ) -> Result<TypeRef, Error> {
        match target.component {
            Some(key) => self.component_type(key, at).map(TypeRef::Named),
            None => Err(self.doc().unsupported(
                at,
                "a $ref that is not a schema component",
                "#/components/schemas/Name",
            )),
        }
    }
}

/// `#/components/schemas/{key}`.
pub(crate) fn component_pointer(key: &str) -> JsonPointer {
    JsonPointer::root()
        .push("components")
        .push("schemas")
        .push(key)
}
