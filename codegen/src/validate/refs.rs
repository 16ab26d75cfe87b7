//! `$ref` checks: every reference is local, well-formed, resolves, and points at the kind
//! of component its position calls for; and no chain of `$ref`/`allOf` edges loops.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::problems::Problems;
use crate::document::walk::{classify, lookup, Ctx, Facts, Obj, RefRule, RefSite};
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// Good references: the object holding the `$ref` → its target.
pub(super) type Resolved = BTreeMap<JsonPointer, JsonPointer>;

/// Checks every `$ref`; returns the ones that resolve.
pub(super) fn check(raw: &Value, facts: &Facts<'_>, out: &mut Problems) -> Resolved {
    let mut resolved = Resolved::new();
    for site in &facts.refs {
        match check_one(raw, site) {
            Ok(target) => {
                resolved.insert(site.at.clone(), target);
            }
            Err(kind) => out.push((site.at.push("$ref"), kind)),
        }
    }
    resolved
}

fn check_one(raw: &Value, site: &RefSite<'_>) -> Result<JsonPointer, ErrorKind> {
    let Value::String(target) = site.value else {
        return Err(ErrorKind::InvalidRef {
            target: site.value.to_string(),
            reason: "not a string",
        });
    };
    if !target.starts_with('#') {
        return Err(ErrorKind::ExternalRef {
            target: target.clone(),
        });
    }
    let rule = site.ctx.ref_rule();
    match rule {
        RefRule::NotAllowed { place } => return Err(ErrorKind::RefNotAllowed { place }),
        RefRule::PathItem => {
            return Err(ErrorKind::Unsupported {
                construct: format!("a path item that is a $ref ({target})"),
                expected: "the path item written out under #/paths".into(),
            })
        }
        RefRule::Component { .. } | RefRule::Unknown => {}
    }
    let Some(pointer) = JsonPointer::parse_ref(target) else {
        return Err(ErrorKind::InvalidRef {
            target: target.clone(),
            reason: "not a JSON pointer (a local $ref starts with `#/`)",
        });
    };
    let RefRule::Component {
        section,
        noun,
        expected,
    } = rule
    else {
        return match lookup(raw, &pointer) {
            Some(_) => Ok(pointer),
            None => Err(ErrorKind::UnresolvedRef {
                target: target.clone(),
                expected: "an existing node in this document",
            }),
        };
    };
    if lookup(raw, &pointer).is_none() {
        return Err(ErrorKind::UnresolvedRef {
            target: target.clone(),
            expected,
        });
    }
    let found = match pointer.tokens() {
        [c, s, _] if c == "components" && s == section => return Ok(pointer),
        [c, s, _] if c == "components" => Obj::from_section(s).map_or("not a component", |o| {
            if section == "schemas" {
                without_one_schema(o)
            } else {
                o.noun()
            }
        }),
        _ => match classify(&pointer) {
            // Valid OpenAPI, but lowering names types and parameters after components.
            Ctx::Obj(o) if o.noun() == noun => {
                return Err(ErrorKind::Unsupported {
                    construct: format!("a $ref to {noun} inside another object ({target})"),
                    expected: format!(
                        "a reference to a component such as #/components/{section}/Name"
                    ),
                })
            }
            Ctx::Obj(o) if section == "schemas" => without_one_schema(o),
            Ctx::Obj(o) => o.noun(),
            _ => "not a component",
        },
    };
    Err(ErrorKind::RefKindMismatch {
        target: target.clone(),
        found,
        expected,
    })
}

/// What a schema `$ref` found instead of a schema. `load` has already pointed a reference
/// to a parameter, header, response or request body with exactly one schema at that schema
/// (`load::retarget`), so one of those found here has none, or several that differ.
fn without_one_schema(found: Obj) -> &'static str {
    match found {
        Obj::Parameter => "a parameter without a schema",
        Obj::Header => "a header without a schema",
        Obj::Response => "a response without one schema (none, or several different ones)",
        Obj::RequestBody => "a request body without one schema (none, or several different ones)",
        other => other.noun(),
    }
}

/// Finds loops made of `$ref` and `allOf` edges (recursion through `properties`, `items`,
/// `additionalProperties` or `oneOf`/`anyOf` is fine: lowering boxes it or makes it a
/// union). Each loop is reported once, as the chain of `$ref` targets, starting at the
/// smallest pointer.
pub(super) fn cycles(facts: &Facts<'_>, resolved: &Resolved, out: &mut Problems) {
    // node → (next node, whether the edge is a `$ref`)
    let mut graph: BTreeMap<&JsonPointer, Vec<(JsonPointer, bool)>> = BTreeMap::new();
    for (site, target) in resolved {
        graph.entry(site).or_default().push((target.clone(), true));
    }
    for (at, schema) in &facts.schemas {
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            let edges = graph.entry(at).or_default();
            edges.extend((0..parts.len()).map(|i| (at.push("allOf").index(i), false)));
        }
    }

    let mut found: BTreeSet<Vec<JsonPointer>> = BTreeSet::new();
    let mut done: BTreeSet<JsonPointer> = BTreeSet::new();
    for &start in graph.keys() {
        if done.contains(start) {
            continue;
        }
        // Iterative DFS: (node, reached through a `$ref`, next edge to try).
        let mut stack: Vec<(JsonPointer, bool, usize)> = vec![(start.clone(), false, 0)];
        while let Some((node, _, next)) = stack.last_mut() {
            let edge = graph
                .get(&*node)
                .and_then(|edges| edges.get(*next))
                .cloned();
            *next += 1;
            let Some((to, via_ref)) = edge else {
                if let Some((node, _, _)) = stack.pop() {
                    done.insert(node);
                }
                continue;
            };
            if done.contains(&to) {
                continue;
            }
            match stack.iter().position(|(n, _, _)| *n == to) {
                Some(k) => {
                    let mut chain: Vec<JsonPointer> = stack
                        .iter()
                        .skip(k + 1)
                        .filter(|(_, r, _)| *r)
                        .map(|(n, _, _)| n.clone())
                        .collect();
                    if via_ref {
                        chain.push(to);
                    }
                    if let Some(min) = chain
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.cmp(b.1))
                        .map(|(i, _)| i)
                    {
                        chain.rotate_left(min);
                    }
                    found.insert(chain);
                }
                None => stack.push((to, via_ref, 0)),
            }
        }
    }
    for chain in found {
        if let Some(first) = chain.first() {
            out.push((first.clone(), ErrorKind::RefCycle { chain }));
        }
    }
}
