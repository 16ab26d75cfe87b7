//! Pass: drops the derived (inline) types that nothing reachable from a component or an
//! operation refers to any more — the tag enums that stripping union tags orphaned.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Operation, TypeDef, TypeKind, TypeName, TypeRef};

/// Keeps the `components`, everything the `operations` use, and everything those refer
/// to; of the rest, drops the types in `derived`.
pub(crate) fn collect_garbage(
    types: &mut BTreeMap<TypeName, TypeDef>,
    components: &[TypeName],
    derived: &BTreeSet<TypeName>,
    operations: &[Operation],
) {
    let mut stack: Vec<TypeName> = components.to_vec();
    for op in operations {
        let refs = op
            .params
            .iter()
            .map(|p| &p.ty)
            .chain(op.body.iter().map(|b| &b.ty))
            .chain(op.ok.ty.iter())
            .chain(op.errors.iter().filter_map(|r| r.ty.as_ref()));
        for r in refs {
            named_in(r, &mut stack);
        }
    }
    let mut live: BTreeSet<TypeName> = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !live.insert(name.clone()) {
            continue;
        }
        if let Some(def) = types.get(&name) {
            kind_names(&def.kind, &mut stack);
        }
    }
    types.retain(|name, _| live.contains(name) || !derived.contains(name));
}

/// Pushes every type name a type definition mentions.
fn kind_names(kind: &TypeKind, out: &mut Vec<TypeName>) {
    match kind {
        TypeKind::Struct(s) => {
            for r in s.fields.iter().map(|f| &f.ty).chain(s.additional.iter()) {
                named_in(r, out);
            }
        }
        TypeKind::Enum(_) => {}
        TypeKind::Union(u) => out.extend(u.variants.iter().map(|v| v.ty.clone())),
        TypeKind::Untagged(u) => {
            for v in &u.variants {
                named_in(&v.ty, out);
            }
        }
        TypeKind::Map(t) | TypeKind::Alias(t) => named_in(t, out),
    }
}

/// Pushes every type name mentioned in `r`.
fn named_in(r: &TypeRef, out: &mut Vec<TypeName>) {
    match r {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_in(inner, out),
        TypeRef::Scalar(_) | TypeRef::Json | TypeRef::JsonObject => {}
    }
}
