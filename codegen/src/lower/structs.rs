//! Structs: an object's properties become fields (spec order, unique snake_case names),
//! with their nullability, flags, docs and validation rules; `additionalProperties` next
//! to properties becomes the flattened `extra` map.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::allof::{all_of, AllOf};
use super::enums::allowed_values_doc;
use super::hint::Hint;
use super::keywords::{is_free_form, Keywords};
use super::naming::FieldNames;
use super::recurse::Recurse;
use super::rules::{intersect, rules};
use super::text::{fill_docs, schema_docs, text};
use crate::document::Document;
use crate::error::Error;
use crate::ir::{Constraints, Docs, Field, Struct, TypeName, TypeRef};
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;

/// One property on its way to becoming a field.
#[derive(Debug, Clone)]
pub(crate) struct Prop<'a> {
    pub wire: &'a str,
    pub schema: &'a ReferenceOr<Box<Schema>>,
    pub at: JsonPointer,
    /// The type whose name prefixes the property's inline types (for an `allOf` base's
    /// properties, the base: `AnimalMeta` in every child).
    pub owner: TypeName,
}

/// Metadata a field takes from its schema.
struct FieldMeta {
    nullable: bool,
    read_only: bool,
    write_only: bool,
    deprecated: bool,
    docs: Docs,
    rules: Constraints,
}

/// A plain object with properties.
pub(crate) fn object_struct<'a>(
    cx: &mut impl Recurse<'a>,
    owner: &TypeName,
    kw: &Keywords<'a>,
    at: &JsonPointer,
) -> Result<Struct, Error> {
    let props: Vec<Prop<'a>> = kw
        .properties
        .into_iter()
        .flatten()
        .map(|(wire, schema)| Prop {
            wire,
            schema,
            at: at.push("properties").push(wire.as_str()),
            owner: owner.clone(),
        })
        .collect();
    let required: BTreeSet<&str> = kw.required.iter().map(String::as_str).collect();
    let additional = struct_additional(cx, owner, kw.additional, at)?;
    build_struct(cx, props, &required, additional)
}

/// The `#[serde(flatten)]` map of a struct that also allows other keys.
pub(crate) fn struct_additional<'a>(
    cx: &mut impl Recurse<'a>,
    owner: &TypeName,
    additional: Option<&'a AdditionalProperties>,
    at: &JsonPointer,
) -> Result<Option<TypeRef>, Error> {
    match additional {
        None | Some(AdditionalProperties::Any(false)) => Ok(None),
        Some(AdditionalProperties::Any(true)) => Ok(Some(TypeRef::Json)),
        Some(AdditionalProperties::Schema(value)) => {
            let value_at = at.push("additionalProperties");
            if is_free_form(&cx.doc().resolver(), value, &value_at)? {
                return Ok(Some(TypeRef::Json));
            }
            let hint = Hint::parts(&[owner.as_str(), "Value"]);
            cx.schema_ref(value, &value_at, &hint).map(Some)
        }
    }
}

/// Fields in the given order; names are unique within the struct.
pub(crate) fn build_struct<'a>(
    cx: &mut impl Recurse<'a>,
    props: Vec<Prop<'a>>,
    required: &BTreeSet<&str>,
    additional: Option<TypeRef>,
) -> Result<Struct, Error> {
    let mut names = FieldNames::for_struct();
    let mut fields = Vec::with_capacity(props.len());
    for p in props {
        let claimed = names.claim_noted(p.wire);
        let hint = Hint::property(&p.owner, p.wire);
        let ty = cx.boxed_ref(p.schema, &p.at, &hint)?;
        let meta = field_meta(cx.doc(), p.schema, &p.at)?;
        fields.push(Field {
            wire: p.wire.to_owned(),
            rust: claimed.name,
            ty,
            required: required.contains(p.wire),
            nullable: meta.nullable,
            boxed: false,
            read_only: meta.read_only,
            write_only: meta.write_only,
            deprecated: meta.deprecated,
            docs: meta.docs,
            rules: meta.rules,
            source: p.at,
            renamed: claimed.renamed,
        });
    }
    // The flattened map takes `extra` unless a property already did (then `extra_2`…).
    let additional_field = additional.as_ref().map(|_| names.claim("extra"));
    Ok(Struct {
        fields,
        additional,
        additional_field,
        tag: None,
    })
}

/// Nullability, flags, docs and rules of a property. A `$ref` property takes
/// `nullable`/`readOnly`/`writeOnly` from its target (they describe the value), rules
/// only when the target is a scalar or array (those are checked at the field), docs
/// from a `description` written next to the `$ref`, and never `deprecated`: a
/// deprecated type is marked on the type, not on every field that uses it.
///
/// An inline `allOf` wrapper (`allOf: [{$ref: X}, {maxLength: 64}]` next to `nullable`,
/// `description`…, see `allof`): its own docs win and its members' fill in; flags and
/// rules are those of every member, the rules intersected.
fn field_meta<'a>(
    doc: Document<'a>,
    r: &'a ReferenceOr<Box<Schema>>,
    at: &JsonPointer,
) -> Result<FieldMeta, Error> {
    let resolver = doc.resolver();
    match r {
        ReferenceOr::Reference { .. } => {
            let target = resolver.boxed_schema(r, at)?;
            let mut meta = value_meta(doc, &target, 0)?;
            meta.docs = sibling_docs(doc, at);
            Ok(meta)
        }
        ReferenceOr::Item(s) => {
            let kw = Keywords::of(s);
            let mut meta = FieldMeta {
                nullable: kw.data.nullable,
                read_only: kw.data.read_only,
                write_only: kw.data.write_only,
                deprecated: kw.data.deprecated,
                docs: schema_docs(kw.data),
                rules: rules(doc, &kw, at),
            };
            allowed_values_doc(&kw, &mut meta.docs);
            // A one-member oneOf/anyOf `$ref` next to `nullable`, `description`…: the
            // wrapper's metadata wins, the target's fills in.
            if let ([only @ ReferenceOr::Reference { .. }], [])
            | ([], [only @ ReferenceOr::Reference { .. }]) = (kw.one_of, kw.any_of)
            {
                let target = resolver.schema(only, at)?;
                absorb(&mut meta, value_meta(doc, &target, 0)?);
            }
            if let Some(AllOf::Wrapper(w)) = all_of(doc, &kw, at, false)? {
                for member in w.core.iter().chain(&w.extras) {
                    let inner = value_meta(doc, &member.target, 0)?;
                    absorb(&mut meta, inner);
                    if !member.is_ref() {
                        fill_docs(&mut meta.docs, schema_docs(&member.target.item.schema_data));
                    }
                }
            }
            Ok(meta)
        }
    }
}

/// Adds the flags and rules of a value the field also is (`inner`) to `meta`.
fn absorb(meta: &mut FieldMeta, inner: FieldMeta) {
    meta.nullable |= inner.nullable;
    meta.read_only |= inner.read_only;
    meta.write_only |= inner.write_only;
    meta.rules = intersect(std::mem::take(&mut meta.rules), inner.rules);
}

/// How deep [`value_meta`] follows `allOf` wrappers of wrappers (`validate` rejects
/// `allOf` loops; this bounds the walk anyway).
const MAX_WRAPPER_DEPTH: usize = 32;

/// Flags and rules of the value `target` describes: its own (rules only when it is checked
/// at the field: not a struct or union), and for an `allOf` wrapper those of every member.
fn value_meta(
    doc: Document<'_>,
    target: &Resolved<'_, Schema>,
    depth: usize,
) -> Result<FieldMeta, Error> {
    let kw = Keywords::of(target.item);
    let shape = all_of(doc, &kw, &target.pointer, target.component.is_some())?;
    let checked_at_field = kw.properties.is_none()
        && kw.one_of.is_empty()
        && kw.any_of.is_empty()
        && matches!(shape, None | Some(AllOf::Wrapper(_)));
    let mut meta = FieldMeta {
        nullable: kw.data.nullable,
        read_only: kw.data.read_only,
        write_only: kw.data.write_only,
        deprecated: false,
        docs: Docs::default(),
        rules: if checked_at_field {
            rules(doc, &kw, &target.pointer)
        } else {
            Constraints::default()
        },
    };
    if let Some(AllOf::Wrapper(w)) = shape {
        if depth >= MAX_WRAPPER_DEPTH {
            return Err(doc.unsupported(
                &target.pointer,
                format!("allOf wrappers nested more than {MAX_WRAPPER_DEPTH} levels deep"),
                "a shallower allOf",
            ));
        }
        for member in w.core.iter().chain(&w.extras) {
            absorb(&mut meta, value_meta(doc, &member.target, depth + 1)?);
        }
    }
    Ok(meta)
}

/// `description`/`title` written next to a `$ref` (openapiv3 drops them).
fn sibling_docs(doc: Document<'_>, at: &JsonPointer) -> Docs {
    let node = doc.node(at);
    let get = |key: &str| text(node.and_then(|n| n.get(key)).and_then(|v| v.as_str()));
    Docs {
        title: get("title"),
        description: get("description"),
        external_url: None,
    }
}
