//! `allOf` → one struct: every member's properties (members first, in order, recursively;
//! then the schema's own), `required` is the union, the first `additionalProperties` wins,
//! docs come from the outermost schema. A property defined again later replaces the
//! earlier definition in place (a child narrowing its base's type keeps the base's field
//! position).
//!
//! A member that is a union base (it has a `discriminator`) contributes its properties but
//! not its `oneOf`: that is what makes the base → child → base reference cycle of the
//! "children `allOf` the base" style terminate. Any other `allOf` loop is an error.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Schema};

use super::fields::Prop;
use super::shape::{Shape, Ty};
use super::Lowerer;
use crate::error::{Error, ErrorKind};
use crate::ir::{Struct, TypeName};
use crate::pointer::JsonPointer;

/// What the members of an `allOf` add up to.
#[derive(Default)]
struct Merged<'a> {
    props: IndexMap<&'a str, Prop<'a>>,
    required: BTreeSet<&'a str>,
    /// The first `additionalProperties`, where it was written and whose it is.
    additional: Option<(&'a AdditionalProperties, JsonPointer, TypeName)>,
}

impl<'a> Lowerer<'a> {
    /// The struct for the `allOf` schema `s` at `at`, named `name`.
    pub(crate) fn merged_struct(
        &mut self,
        name: &TypeName,
        s: &'a Schema,
        at: &JsonPointer,
    ) -> Result<Struct, Error> {
        let mut merged = Merged::default();
        let mut visiting = vec![at.clone()];
        self.collect(s, at, name, &mut visiting, &mut merged)?;
        let additional = match merged.additional {
            Some((add, add_at, owner)) => self.struct_additional(&owner, Some(add), &add_at)?,
            None => None,
        };
        self.build_struct(
            merged.props.into_values().collect(),
            &merged.required,
            additional,
        )
    }

    fn collect(
        &self,
        s: &'a Schema,
        at: &JsonPointer,
        owner: &TypeName,
        visiting: &mut Vec<JsonPointer>,
        out: &mut Merged<'a>,
    ) -> Result<(), Error> {
        let shape = Shape::of(s);
        for (i, member) in shape.all_of.iter().enumerate() {
            let member_at = at.push("allOf").index(i);
            let target = self.resolver.schema(member, &member_at)?;
            if let Some(start) = visiting.iter().position(|p| *p == target.pointer) {
                let chain = visiting.get(start..).unwrap_or_default().to_vec();
                return Err(self.err(&member_at, ErrorKind::RefCycle { chain }));
            }
            let member_shape = Shape::of(target.item);
            if (!member_shape.one_of.is_empty() || !member_shape.any_of.is_empty())
                && member_shape.data.discriminator.is_none()
            {
                return Err(self.unsupported(
                    &member_at,
                    "an allOf member with oneOf/anyOf but no discriminator",
                    "allOf members that are objects (or union bases with a discriminator)",
                ));
            }
            if member_shape.not
                || member_shape.items.is_some()
                || matches!(member_shape.ty, Some(t) if t != Ty::Object)
            {
                return Err(self.unsupported(
                    &member_at,
                    "an allOf member that is not an object",
                    "allOf members that are object schemas",
                ));
            }
            // Inline types of a component member are named after that component
            // (`AnimalMeta` in every child of `Animal`), and reused through the cache.
            let member_owner = match target.component {
                Some(key) => self.component_type(key, &member_at)?,
                None => owner.clone(),
            };
            visiting.push(target.pointer.clone());
            self.collect(target.item, &target.pointer, &member_owner, visiting, out)?;
            visiting.pop();
        }
        for (wire, schema) in shape.properties.into_iter().flatten() {
            let prop = Prop {
                wire,
                schema,
                at: at.push("properties").push(wire.as_str()),
                owner: owner.clone(),
            };
            out.props.insert(wire.as_str(), prop);
        }
        out.required
            .extend(shape.required.iter().map(String::as_str));
        if out.additional.is_none() {
            if let Some(add) = shape.additional {
                out.additional = Some((add, at.clone(), owner.clone()));
            }
        }
        Ok(())
    }
}
