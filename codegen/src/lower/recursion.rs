//! Recursion: a type that contains itself without an indirection (`Vec`, map) would have
//! infinite size, so one edge of every such cycle gets `boxed: true`.
//!
//! The graph: a struct field whose type is `Named(T)` (possibly optional — `Option` is no
//! indirection) is an edge; so is a union variant. `Vec`/map-typed fields are not. Edges
//! through untagged-union variants and aliases also count but cannot be boxed in the IR.
//!
//! The choice is deterministic: a depth-first search over types in name order, edges in
//! declaration order; the edge that closes a cycle (the back edge) is boxed. If the back
//! edge cannot be boxed, the last boxable edge on the cycle is. Each found cycle boxes
//! one more edge and the search starts again, so it ends after at most one round per edge.

use std::collections::BTreeMap;

use crate::error::{Error, ErrorKind};
use crate::ir::{TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;

/// An edge: from a type, through its `index`th field/variant, to another type.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edge {
    from: TypeName,
    index: usize,
    to: TypeName,
    boxable: bool,
}

/// Sets `boxed` on the fields and variants that close reference cycles.
pub(crate) fn box_cycles(types: &mut BTreeMap<TypeName, TypeDef>, file: &str) -> Result<(), Error> {
    // Bounded: every round boxes an edge that was not boxed before.
    let rounds = types.values().map(|d| edges(d).len()).sum::<usize>() + 1;
    for _ in 0..rounds {
        let Some(cycle) = find_cycle(types) else {
            return Ok(());
        };
        let Some(edge) = cycle.iter().rev().find(|e| e.boxable) else {
            let chain: Vec<JsonPointer> = cycle
                .iter()
                .filter_map(|e| types.get(&e.from).map(|d| d.source.clone()))
                .collect();
            let at = chain.first().cloned().unwrap_or_default();
            return Err(Error::new(
                file,
                at,
                ErrorKind::Unsupported {
                    construct: format!(
                        "a type that contains itself only through untagged unions or aliases ({})",
                        cycle
                            .iter()
                            .map(|e| e.from.as_str())
                            .collect::<Vec<_>>()
                            .join(" → ")
                    ),
                    expected: "recursion through an object property, array or map".to_owned(),
                },
            ));
        };
        set_boxed(types, edge);
    }
    Ok(())
}

fn set_boxed(types: &mut BTreeMap<TypeName, TypeDef>, edge: &Edge) {
    match types.get_mut(&edge.from).map(|d| &mut d.kind) {
        Some(TypeKind::Struct(s)) => {
            if let Some(f) = s.fields.get_mut(edge.index) {
                f.boxed = true;
            }
        }
        Some(TypeKind::Union(u)) => {
            if let Some(v) = u.variants.get_mut(edge.index) {
                v.boxed = true;
            }
        }
        _ => {}
    }
}

/// The unboxed edges out of a type, in declaration order.
fn edges(def: &TypeDef) -> Vec<Edge> {
    let edge = |index, to: &TypeName, boxable| Edge {
        from: def.name.clone(),
        index,
        to: to.clone(),
        boxable,
    };
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.boxed)
            .filter_map(|(i, f)| match &f.ty {
                TypeRef::Named(to) => Some(edge(i, to, true)),
                _ => None,
            })
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.boxed)
            .map(|(i, v)| edge(i, &v.ty, true))
            .collect(),
        TypeKind::Untagged(u) => u
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match &v.ty {
                TypeRef::Named(to) => Some(edge(i, to, false)),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(TypeRef::Named(to)) => vec![edge(0, to, false)],
        TypeKind::Alias(_) | TypeKind::Map(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    OnPath,
    Done,
}

/// The first cycle an iterative depth-first search finds, as its edges (the back edge
/// last), or `None`.
fn find_cycle(types: &BTreeMap<TypeName, TypeDef>) -> Option<Vec<Edge>> {
    let mut marks: BTreeMap<&TypeName, Mark> = BTreeMap::new();
    for root in types.keys() {
        if marks.contains_key(root) {
            continue;
        }
        // The DFS path: (node, its edges, next edge to look at, edge taken to get here).
        let mut path: Vec<(&TypeName, Vec<Edge>, usize)> = Vec::new();
        let mut taken: Vec<Edge> = Vec::new();
        marks.insert(root, Mark::OnPath);
        path.push((root, types.get(root).map(edges).unwrap_or_default(), 0));
        while let Some((node, out, next)) = path.last_mut() {
            let Some(e) = out.get(*next).cloned() else {
                marks.insert(node, Mark::Done);
                path.pop();
                taken.pop();
                continue;
            };
            *next += 1;
            let Some((to, def)) = types.get_key_value(&e.to) else {
                continue;
            };
            match marks.get(to) {
                Some(Mark::Done) => {}
                Some(Mark::OnPath) => {
                    let start = path.iter().position(|(n, _, _)| *n == to).unwrap_or(0);
                    let mut cycle: Vec<Edge> = taken.get(start..).unwrap_or_default().to_vec();
                    cycle.push(e);
                    return Some(cycle);
                }
                None => {
                    marks.insert(to, Mark::OnPath);
                    path.push((to, edges(def), 0));
                    taken.push(e);
                }
            }
        }
    }
    None
}
