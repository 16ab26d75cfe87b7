//! `allOf` → one struct: every member's properties (members first, in order, recursively;
//! then the schema's own), `required` is the union, the first `additionalProperties` wins,
//! docs come from the outermost schema. A property defined again later replaces the
//! earlier definition in place (a child narrowing its base's type keeps the base's field
//! position).
//!
//! Only the members `allof` calls objects are merged; the others add docs and rules, never
//! fields. A member that is a union base (it has a `discriminator`), or a union that lists
//! this schema as a variant (a back-reference), contributes its properties but not its
//! `oneOf`: that is what makes the base → child → base reference cycle of the "children
//! `allOf` the base" style terminate. Any other `allOf` loop was rejected by `validate`
//! (`$ref`/`allOf` chains that loop), so the recursion below ends.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Schema};

use super::allof::object_members;
use super::keywords::Keywords;
use super::recurse::Recurse;
use super::structs::{build_struct, struct_additional, Prop};
use crate::error::Error;
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

/// The struct for the `allOf` schema `s` at `at`, named `name`.
pub(crate) fn merged_struct<'a>(
    cx: &mut impl Recurse<'a>,
    name: &TypeName,
    s: &'a Schema,
    at: &JsonPointer,
) -> Result<Struct, Error> {
    let mut merged = Merged::default();
    collect(cx, s, at, name, &mut merged)?;
    let additional = match merged.additional {
        Some((add, add_at, owner)) => struct_additional(cx, &owner, Some(add), &add_at)?,
        None => None,
    };
    build_struct(
        cx,
        merged.props.into_values().collect(),
        &merged.required,
        additional,
    )
}

fn collect<'a>(
    cx: &impl Recurse<'a>,
    s: &'a Schema,
    at: &JsonPointer,
    owner: &TypeName,
    out: &mut Merged<'a>,
) -> Result<(), Error> {
    let kw = Keywords::of(s);
    for member in object_members(cx.doc(), &kw, at)? {
        // Inline types of a component member are named after that component
        // (`AnimalMeta` in every child of `Animal`), and reused through the cache.
        let member_owner = match member.target.component {
            Some(key) => cx.component_type(key, &member.at)?,
            None => owner.clone(),
        };
        collect(
            cx,
            member.target.item,
            &member.target.pointer,
            &member_owner,
            out,
        )?;
    }
    for (wire, schema) in kw.properties.into_iter().flatten() {
        let prop = Prop {
            wire,
            schema,
            at: at.push("properties").push(wire.as_str()),
            owner: owner.clone(),
        };
        out.props.insert(wire.as_str(), prop);
    }
    out.required.extend(kw.required.iter().map(String::as_str));
    if out.additional.is_none() {
        if let Some(add) = kw.additional {
            out.additional = Some((add, at.clone(), owner.clone()));
        }
    }
    Ok(())
}
