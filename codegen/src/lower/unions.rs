//! Unions: `oneOf`/`anyOf` + `discriminator` → [`Union`]; without a discriminator →
//! [`Untagged`].
//!
//! Variants of a discriminated union, in this order:
//! 1. `discriminator.mapping` entries, in mapping order (the key is the tag value);
//! 2. `oneOf` members no mapping entry points at, in `oneOf` order, tagged with their
//!    component name (the OpenAPI rule for implicit mappings). An inline member is tagged
//!    with the single value of its own tag property's enum;
//! 3. for the "base schema carries the discriminator, children `allOf` the base" style:
//!    the children no mapping entry points at, sorted by component name (= tag value).
//!
//! After every type exists, `tags` removes the tag property from each variant struct.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::ReferenceOr;

use super::hint::Hint;
use super::keywords::Keywords;
use super::naming::VariantNames;
use super::recurse::{component_pointer, Recurse};
use crate::error::{Error, ErrorKind};
use crate::ir::{
    Scalar, TypeDef, TypeKind, TypeName, TypeRef, Union, UnionVariant, Untagged, UntaggedKind,
    UntaggedVariant,
};
use crate::pointer::JsonPointer;

/// A discriminated union named `name` from the schema at `at`.
pub(crate) fn discriminated<'a>(
    cx: &mut impl Recurse<'a>,
    name: &TypeName,
    kw: &Keywords<'a>,
    at: &JsonPointer,
    component: Option<&'a str>,
) -> Result<TypeKind, Error> {
    let Some(disc) = kw.data.discriminator.as_ref() else {
        return Err(cx.doc().error(at, ErrorKind::MisplacedDiscriminator));
    };
    let property = disc.property_name.as_str();
    // (tag value, variant type, where it was declared)
    let mut found: Vec<(String, TypeName, JsonPointer)> = Vec::new();
    let mapping_at = at.push("discriminator").push("mapping");
    for (tag, target) in &disc.mapping {
        let entry_at = mapping_at.push(tag.as_str());
        let resolved = cx.doc().resolver().schema_ref(target, &entry_at)?;
        let Some(TypeRef::Named(ty)) = cx.component_ref(&resolved, &entry_at).ok() else {
            return Err(cx.doc().error(
                &entry_at,
                ErrorKind::UnionVariantNotObject {
                    variant: resolved.pointer,
                },
            ));
        };
        found.push((tag.clone(), ty, entry_at));
    }
    let mapped: BTreeSet<TypeName> = found.iter().map(|(_, ty, _)| ty.clone()).collect();
    let (keyword, members) = if kw.one_of.is_empty() {
        ("anyOf", kw.any_of)
    } else {
        ("oneOf", kw.one_of)
    };
    for (i, member) in members.iter().enumerate() {
        let member_at = at.push(keyword).index(i);
        match member {
            ReferenceOr::Reference { reference } => {
                let resolved = cx.doc().resolver().schema(member, &member_at)?;
                let TypeRef::Named(ty) = cx.component_ref(&resolved, &member_at)? else {
                    return Err(cx.doc().error(
                        &member_at,
                        ErrorKind::UnionVariantNotObject {
                            variant: resolved.pointer,
                        },
                    ));
                };
                if mapped.contains(&ty) {
                    continue;
                }
                // The implicit tag is the name in the `$ref` as written.
                let tag = JsonPointer::parse_ref(reference)
                    .and_then(|p| p.last().map(str::to_owned))
                    .unwrap_or_default();
                found.push((tag, ty, member_at));
            }
            ReferenceOr::Item(s) => {
                let Some(tag) = single_tag_value(&Keywords::of(s), property) else {
                    return Err(cx.doc().unsupported(
                        &member_at,
                        format!("an inline union member without a one-value `{property}` enum"),
                        format!("a $ref to a component schema, or an inline object whose `{property}` is an enum with one value"),
                    ));
                };
                let hint = Hint::parts(&[name.as_str(), &tag]);
                let TypeRef::Named(ty) = cx.inline(s, &member_at, &hint)? else {
                    return Err(cx.doc().error(
                        &member_at,
                        ErrorKind::UnionVariantNotObject {
                            variant: member_at.clone(),
                        },
                    ));
                };
                found.push((tag, ty, member_at));
            }
        }
    }
    if members.is_empty() {
        let children = component.map_or(&[][..], |k| cx.children(k)).to_vec();
        for child in children {
            let child_at = component_pointer(child);
            let ty = cx.component_type(child, &child_at)?;
            if !mapped.contains(&ty) {
                found.push((child.to_owned(), ty, child_at));
            }
        }
    }
    let mut names = VariantNames::default();
    let mut variants: Vec<UnionVariant> = Vec::with_capacity(found.len());
    for (tag, ty, _declared_at) in found {
        // A tag value twice (a mapping key that is also a member's implicit tag): the
        // first is the one a decoder can reach.
        if variants.iter().any(|v| v.tag_value == tag) {
            continue;
        }
        let rust = names.value(&tag);
        variants.push(UnionVariant {
            tag_value: tag,
            rust,
            ty,
            boxed: false,
        });
    }
    Ok(TypeKind::Union(Union {
        tag: property.to_owned(),
        variants,
    }))
}

/// An untagged union: variants in spec order, tried in that order when decoding.
/// Variant names come from the member's type name, its `title`, its scalar kind, or
/// its position (`V1`, `V2`…).
pub(crate) fn untagged<'a>(
    cx: &mut impl Recurse<'a>,
    name: &TypeName,
    kw: &Keywords<'a>,
    at: &JsonPointer,
) -> Result<TypeKind, Error> {
    let (kind, keyword, members) = if kw.one_of.len() > 1 {
        (UntaggedKind::OneOf, "oneOf", kw.one_of)
    } else {
        (UntaggedKind::AnyOf, "anyOf", kw.any_of)
    };
    let mut names = VariantNames::default();
    let mut variants = Vec::with_capacity(members.len());
    for (i, member) in members.iter().enumerate() {
        let member_at = at.push(keyword).index(i);
        let position = format!("V{}", i + 1);
        let title = member.as_item().and_then(|s| s.schema_data.title.clone());
        let label = title.clone().unwrap_or_else(|| position.clone());
        let ty = cx.schema_ref(member, &member_at, &Hint::parts(&[name.as_str(), &label]))?;
        let base = match (&ty, member, title) {
            (_, ReferenceOr::Item(_), Some(title)) => title,
            (TypeRef::Named(n), ReferenceOr::Reference { .. }, _) => n.as_str().to_owned(),
            (TypeRef::Named(_), ReferenceOr::Item(_), None) => position,
            (other, _, _) => structural_label(other),
        };
        let rust = names.derived(&base);
        variants.push(UntaggedVariant { rust, ty });
    }
    Ok(TypeKind::Untagged(Untagged {
        kind,
        variants,
        unusable_discriminator: kw
            .data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone()),
        // Known once every type exists: set by `params::mark_param_unions`.
        to_param: false,
    }))
}

/// The one value of an inline variant's tag property enum.
fn single_tag_value(kw: &Keywords<'_>, property: &str) -> Option<String> {
    let prop = kw.properties?.get(property)?.as_item()?;
    match Keywords::of(prop).enum_values.as_slice() {
        [serde_json::Value::String(only)] => Some(only.clone()),
        _ => None,
    }
}

/// A variant name for a member that is not a named type.
fn structural_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.as_str().to_owned(),
        TypeRef::Scalar(s) => match s {
            Scalar::String => "String",
            Scalar::Bool => "Bool",
            Scalar::I32 => "I32",
            Scalar::I64 => "I64",
            Scalar::F32 => "F32",
            Scalar::F64 => "F64",
            Scalar::DateTime => "DateTime",
            Scalar::Date => "Date",
            Scalar::Bytes => "Bytes",
            Scalar::File => "File",
            Scalar::Form => "Form",
        }
        .to_owned(),
        TypeRef::List(inner) => format!("{}List", structural_label(inner)),
        TypeRef::Map(inner) => format!("{}Map", structural_label(inner)),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::JsonObject => "Object".to_owned(),
    }
}

/// Pass (once every type exists): the decoding order of untagged unions. Spec order,
/// except that a struct variant whose required properties strictly include an earlier
/// struct variant's moves before it: decoding tries variants in order and a struct ignores
/// unknown keys, so the smaller one would take the larger one's payloads and drop their
/// extra fields (`CreateEndpointRequest`: `{id}` before `{id, privateEndpointIPAddress}`).
pub(crate) fn order_untagged(types: &mut BTreeMap<TypeName, TypeDef>) {
    let required = |types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef| match ty {
        TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => Some(
                s.fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.wire.clone())
                    .collect::<BTreeSet<String>>(),
            ),
            _ => None,
        },
        _ => None,
    };
    let mut orders: Vec<(TypeName, Vec<UntaggedVariant>)> = Vec::new();
    for def in types.values() {
        let TypeKind::Untagged(u) = &def.kind else {
            continue;
        };
        let mut ordered: Vec<(UntaggedVariant, Option<BTreeSet<String>>)> = Vec::new();
        for v in &u.variants {
            let mine = required(types, &v.ty);
            let before = mine.as_ref().and_then(|mine| {
                ordered.iter().position(|(_, theirs)| {
                    theirs
                        .as_ref()
                        .is_some_and(|t| t.len() < mine.len() && t.is_subset(mine))
                })
            });
            let entry = (v.clone(), mine);
            match before {
                Some(i) => ordered.insert(i, entry),
                None => ordered.push(entry),
            }
        }
        let ordered: Vec<UntaggedVariant> = ordered.into_iter().map(|(v, _)| v).collect();
        if ordered != u.variants {
            orders.push((def.name.clone(), ordered));
        }
    }
    for (name, ordered) in orders {
        if let Some(TypeKind::Untagged(u)) = types.get_mut(&name).map(|d| &mut d.kind) {
            u.variants = ordered;
        }
    }
}
