//! Local references to any JSON pointer → references to components, so that every later
//! stage sees `#/components/{section}/{key}` references only.
//!
//! Input: one document (already bundled). Output: the same document where
//! - a path item that is a `$ref` (`/v2/pets: {$ref: '#/paths/~1pets'}`,
//!   `#/components/pathItems/Pets` in 3.1) is written out in place (its own fields win), as
//!   OpenAPI 3.0 has no components section for path items; chains are followed, loops are
//!   an error;
//! - every other reference to a node that is not a whole component (a property of
//!   another schema, `#/components/schemas/Foo/$defs/Bar`, a response or schema inside
//!   `#/paths`) has its target *moved* into the components section of its kind, the
//!   original place referring to it (keeping its `description`/`title` next to the
//!   `$ref`), so the node is still one type wherever it is used. Targets that are only a
//!   `$ref` are followed instead of moved.
//!
//! Keys come from the pointer (documented in the README): the component's key, or the
//! operationId for nodes inside an operation, then the names along the way, keywords
//! left out (`#/components/schemas/Foo/properties/bar` → `Foo_bar`,
//! `#/paths/~1pets/get/responses/200/content/application~1json/schema` → `listPets_200`);
//! a `$defs` entry keeps its own name when it is free (`Foo/$defs/Bar` → `Bar`); a taken
//! key gets `_2`, `_3`…. Keys are given in pointer order, so they do not depend on the
//! order of mapping keys. References whose target is missing or of the wrong kind are
//! left as they are: `validate` reports them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::keys::{candidates, free_key};
use super::origins::Origins;
use super::position::{self, classify, get_mut, Ctx, Dialect, Obj, Site};
use super::reference::{merge_over, RefTarget};
use super::retarget;
use crate::document::walk::lookup;
use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;

/// How many times a path item may be written out inside another (callbacks of callbacks):
/// past this, the references loop.
const MAX_INLINE_DEPTH: usize = 16;

/// Hoists and inlines (see the module docs). Returns where moved nodes came from.
/// `sites` are the document's references, when the caller has them already.
pub(crate) fn hoist(
    root: &mut Value,
    file: &str,
    dialect: Dialect,
    sites: Option<Vec<Site>>,
) -> Result<Origins, Error> {
    let mut origins = Origins::new(file);
    let mut sites =
        sites.unwrap_or_else(|| position::sites(root, JsonPointer::root(), Ctx::Document, dialect));
    retarget::schema_refs_to_carriers(root, dialect, &mut sites);
    let sites = inline_path_items(root, file, dialect, sites)?;
    hoist_nodes(root, file, dialect, sites, &mut origins);
    Ok(origins)
}

/// The pointer a local reference names, if it is one.
fn local(target: &str) -> Option<JsonPointer> {
    match RefTarget::parse(target) {
        Ok(RefTarget::Local(p)) => Some(p),
        _ => None,
    }
}

fn pure_ref(node: &Value) -> Option<&str> {
    match node {
        Value::Object(m) if m.len() == 1 => m.get("$ref").and_then(Value::as_str),
        _ => None,
    }
}

/// Writes out every path item that is a local `$ref`, and every callback (openapiv3 reads
/// an operation's `callbacks` entries as objects only, although OpenAPI allows a `$ref` to
/// `#/components/callbacks/…` there). Returns the document's references afterwards.
fn inline_path_items(
    root: &mut Value,
    file: &str,
    dialect: Dialect,
    mut all: Vec<Site>,
) -> Result<Vec<Site>, Error> {
    for _ in 0..MAX_INLINE_DEPTH {
        let sites: Vec<&Site> = all
            .iter()
            .filter(|s| matches!(s.kind(), Some(Obj::PathItem | Obj::Callback)))
            .filter(|s| s.mapping.is_none())
            .filter(|s| local(&s.target).is_some())
            .collect();
        if sites.is_empty() {
            return Ok(all);
        }
        let mut changed = false;
        // Deepest first: writing one out never moves another.
        for site in sites.iter().rev() {
            let Some(target) = path_item_target(root, site, file, dialect)? else {
                continue;
            };
            let Some(written) = lookup(root, &target).cloned() else {
                continue;
            };
            if let Some(slot) = get_mut(root, &site.at) {
                let own = std::mem::take(slot);
                *slot = merge_over(written, own);
                changed = true;
            }
            // No origin recorded: a problem in a written-out path item (a duplicate
            // operationId, most likely) is about the place that refers to it.
        }
        if !changed {
            return Ok(all);
        }
        all = position::sites(root, JsonPointer::root(), Ctx::Document, dialect);
    }
    Err(Error::new(
        file,
        JsonPointer::root(),
        ErrorKind::FileRefCycle {
            chain: vec![format!(
                "path items referring to path items more than {MAX_INLINE_DEPTH} levels deep"
            )],
        },
    ))
}

/// The path item (or callback) a path-item (callback) `$ref` finally leads to (through
/// references to references), or `None` when it is one `validate` should report instead.
fn path_item_target(
    root: &Value,
    site: &Site,
    file: &str,
    dialect: Dialect,
) -> Result<Option<JsonPointer>, Error> {
    let mut chain: Vec<JsonPointer> = Vec::new();
    let (Some(target), Some(kind)) = (local(&site.target), site.kind()) else {
        return Ok(None);
    };
    let mut target = target;
    loop {
        if classify(&target, dialect) != Ctx::Obj(kind) {
            return Ok(None);
        }
        let Some(node) = lookup(root, &target) else {
            return Ok(None);
        };
        if chain.contains(&target) || target == site.at {
            chain.push(target);
            return Err(Error::new(
                file,
                site.pointer(),
                ErrorKind::FileRefCycle {
                    chain: chain.iter().map(ToString::to_string).collect(),
                },
            ));
        }
        chain.push(target.clone());
        match node.get("$ref").and_then(Value::as_str).and_then(local) {
            Some(next) => target = next,
            None => return Ok(Some(target)),
        }
    }
}

/// Moves every referenced node that is not a whole component into the components.
fn hoist_nodes(
    root: &mut Value,
    file: &str,
    dialect: Dialect,
    mut sites: Vec<Site>,
    origins: &mut Origins,
) {
    // `#/paths/~1a~1%7Bid%7D` is `#/paths/~1a~1{id}` (a fragment is percent-encoded):
    // written plainly, so that `validate` finds what it names.
    for site in &mut sites {
        if let Some(plain) = local(&site.target).filter(|_| site.target.contains('%')) {
            site.target = plain.to_string();
            site.rewrite(root, &site.target);
        }
    }
    // Target pointer → its kind.
    let mut targets: BTreeMap<JsonPointer, Obj> = BTreeMap::new();
    for site in &sites {
        let (Some(kind), Some(target)) = (site.kind(), local(&site.target)) else {
            continue;
        };
        let Some(section) = kind.section() else {
            continue;
        };
        if is_component(&target, section) || classify(&target, dialect) != Ctx::Obj(kind) {
            continue;
        }
        if lookup(root, &target).is_some() {
            targets.insert(target, kind);
        }
    }
    if targets.is_empty() {
        return;
    }
    // Keys, in pointer order.
    let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut moved: BTreeMap<JsonPointer, (&'static str, String)> = BTreeMap::new();
    for (target, kind) in &targets {
        if lookup(root, target).and_then(pure_ref).is_some() {
            continue;
        }
        let Some(section) = kind.section() else {
            continue;
        };
        let used = taken
            .entry(section)
            .or_insert_with(|| existing_keys(root, section));
        let key = free_key(&candidates(root, target), used);
        used.insert(key.clone());
        moved.insert(target.clone(), (section, key));
    }
    // Old pointer → new reference, pure references followed.
    let mut rewrite: BTreeMap<JsonPointer, String> = moved
        .iter()
        .map(|(t, (section, key))| (t.clone(), component_ref(section, key)))
        .collect();
    for target in targets.keys().filter(|t| !moved.contains_key(*t)) {
        if let Some(end) = follow(root, target, &moved) {
            rewrite.insert(target.clone(), end);
        }
    }
    // Deepest first (descendants sort after their ancestors), so each node moves whole.
    let mut new_components: Vec<(&'static str, String, Value)> = Vec::new();
    for (target, (section, key)) in moved.iter().rev() {
        let Some(slot) = get_mut(root, target) else {
            continue;
        };
        let node = std::mem::take(slot);
        let mut stub = Map::new();
        stub.insert("$ref".into(), Value::String(component_ref(section, key)));
        if *section == "schemas" {
            for doc in ["description", "title"] {
                if let Some(v) = node.get(doc) {
                    stub.insert(doc.into(), v.clone());
                }
            }
        }
        *slot = Value::Object(stub);
        origins.insert(
            JsonPointer::root()
                .push("components")
                .push(*section)
                .push(key.as_str()),
            file.to_owned(),
            target.clone(),
        );
        new_components.push((section, key.clone(), node));
    }
    if let Value::Object(doc) = root {
        if let Value::Object(components) = doc
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()))
        {
            for (section, key, node) in new_components.into_iter().rev() {
                if let Value::Object(entries) = components
                    .entry(section)
                    .or_insert_with(|| Value::Object(Map::new()))
                {
                    entries.insert(key, node);
                }
            }
        }
    }
    // Every reference to a moved (or followed) node, wherever it now is.
    for site in position::sites(root, JsonPointer::root(), Ctx::Document, dialect) {
        if let Some(new) = local(&site.target).and_then(|t| rewrite.get(&t)) {
            site.rewrite(root, new);
        }
    }
}

fn component_ref(section: &str, key: &str) -> String {
    JsonPointer::root()
        .push("components")
        .push(section)
        .push(key)
        .to_string()
}

fn is_component(target: &JsonPointer, section: &str) -> bool {
    matches!(target.tokens(), [c, s, _] if c == "components" && s == section)
}

fn existing_keys(root: &Value, section: &str) -> BTreeSet<String> {
    root.get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Follows a target that is only a `$ref` to where its chain ends; `None` if it loops or
/// leaves the document (then `validate` reports it).
fn follow(
    root: &Value,
    start: &JsonPointer,
    moved: &BTreeMap<JsonPointer, (&'static str, String)>,
) -> Option<String> {
    let mut seen = vec![start.clone()];
    let mut current = start.clone();
    loop {
        if let Some((section, key)) = moved.get(&current) {
            return Some(component_ref(section, key));
        }
        let next = pure_ref(lookup(root, &current)?)?;
        let Some(pointer) = local(next) else {
            return Some(next.to_owned());
        };
        if seen.contains(&pointer) {
            return None;
        }
        if lookup(root, &pointer).and_then(pure_ref).is_none() && !moved.contains_key(&pointer) {
            return Some(next.to_owned());
        }
        seen.push(pointer.clone());
        current = pointer;
    }
}
