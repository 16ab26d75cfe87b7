//! Pass: removes each discriminated union's tag property from its variant structs and
//! records the tag values in `Struct::tag`: the union writes the tag back when it
//! serializes. A variant struct that is also used on its own elsewhere is still stripped —
//! one Rust type per schema matters more, and the struct's `tag` tells the emitter which
//! value to write when it serializes it alone.
//!
//! Input: every type, once all exist. Output: the same types, variant structs stripped.

use std::collections::BTreeMap;

use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::ir::{TagInfo, TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;

/// Strips every union's tag from its variants (several values when one struct is mapped
/// several times).
pub(crate) fn strip_tags(
    doc: Document<'_>,
    types: &mut BTreeMap<TypeName, TypeDef>,
) -> Result<(), Error> {
    // variant struct → (tag property, values, the union that first claimed it)
    let mut tags: BTreeMap<TypeName, (String, Vec<String>, JsonPointer)> = BTreeMap::new();
    for def in types.values() {
        let TypeKind::Union(u) = &def.kind else {
            continue;
        };
        for v in &u.variants {
            let target = struct_behind(types, &v.ty).ok_or_else(|| {
                let variant = types
                    .get(&v.ty)
                    .map(|d| d.source.clone())
                    .unwrap_or_default();
                doc.error(&def.source, ErrorKind::UnionVariantNotObject { variant })
            })?;
            let entry = tags
                .entry(target)
                .or_insert_with(|| (u.tag.clone(), Vec::new(), def.source.clone()));
            if entry.0 != u.tag {
                return Err(doc.unsupported(
                    &def.source,
                    format!(
                        "variant {} tagged by `{}` here and by `{}` in {}",
                        v.ty, u.tag, entry.0, entry.2
                    ),
                    "one discriminator property per variant schema",
                ));
            }
            if !entry.1.contains(&v.tag_value) {
                entry.1.push(v.tag_value.clone());
            }
        }
    }
    for (name, (wire, values, _)) in tags {
        if let Some(TypeKind::Struct(s)) = types.get_mut(&name).map(|d| &mut d.kind) {
            s.fields.retain(|f| f.wire != wire);
            s.tag = Some(TagInfo { wire, values });
        }
    }
    Ok(())
}

/// The struct a union variant holds, through aliases.
fn struct_behind(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeName) -> Option<TypeName> {
    let mut current = ty.clone();
    for _ in 0..=types.len() {
        match &types.get(&current)?.kind {
            TypeKind::Struct(_) => return Some(current),
            TypeKind::Alias(TypeRef::Named(next)) => current = next.clone(),
            _ => return None,
        }
    }
    None
}
