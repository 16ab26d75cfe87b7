//! Bundling, second half: where each target goes (component keys, pure references
//! followed to their end) and the copies written with their references rewritten.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::found::{Found, Resolution, Target};
use crate::error::{Error, ErrorKind};
use crate::load::keys;
use crate::load::origins::Origins;
use crate::load::position::{get_mut, Site};
use crate::load::reference;
use crate::pointer::JsonPointer;

/// Where a target ends up.
#[derive(Debug, Clone)]
enum Placement {
    Component {
        section: &'static str,
        key: String,
    },
    Root(JsonPointer),
    /// A path item, written out at each place that refers to it.
    Inline(Target),
}

/// Writes what `found` holds into `root`, whose references are `root_sites`: every target
/// a component (or written out in place), every reference rewritten to where its target
/// went. Returns where the moved nodes were written.
pub(super) fn write(
    found: &Found<'_>,
    root: &mut Value,
    root_sites: &[(Site, Resolution)],
) -> Result<Origins, Error> {
    let writer = Writer::new(found, root)?;
    let mut origins = Origins::new(found.root_display);
    // Components first (sorted by target), then the root's own references.
    let mut components: Vec<(&'static str, String, Value, Target)> = Vec::new();
    for (target, placement) in &writer.placements {
        // A pure reference shares the placement of where it leads: it is not copied.
        if found.is_pure_ref(target) {
            continue;
        }
        if let Placement::Component { section, key } = placement {
            let value = writer.build(target, &mut Vec::new())?;
            components.push((section, key.clone(), value, target.clone()));
        }
    }
    writer.rewrite(
        root,
        JsonPointer::root(),
        root_sites,
        &mut Vec::new(),
        &mut origins,
    )?;
    let Value::Object(doc) = root else {
        return Ok(origins);
    };
    let components_map = doc
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(components_map) = components_map {
        for (section, key, value, target) in components {
            let at = JsonPointer::root()
                .push("components")
                .push(section)
                .push(key.as_str());
            origins.insert(at, found.display(&target.file), target.fragment);
            if let Value::Object(entries) = components_map
                .entry(section)
                .or_insert_with(|| Value::Object(Map::new()))
            {
                entries.insert(key, value);
            }
        }
    }
    Ok(origins)
}

/// What was found, and where each target goes.
struct Writer<'a> {
    found: &'a Found<'a>,
    placements: BTreeMap<Target, Placement>,
}

impl<'a> Writer<'a> {
    fn new(found: &'a Found<'a>, root: &Value) -> Result<Self, Error> {
        let placements = place(found, root)?;
        Ok(Self { found, placements })
    }

    /// A copy of `target`'s node with its references rewritten.
    fn build(&self, target: &Target, inlining: &mut Vec<Target>) -> Result<Value, Error> {
        let mut value = self.found.node(target).cloned().unwrap_or(Value::Null);
        let sites = self
            .found
            .scans
            .get(target)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut ignored = Origins::new(self.found.root_display);
        self.rewrite(
            &mut value,
            target.fragment.clone(),
            sites,
            inlining,
            &mut ignored,
        )?;
        Ok(value)
    }

    /// Rewrites the references `sites` found in `value` (whose pointer in its file is
    /// `base`). Path items are written out in place.
    fn rewrite(
        &self,
        value: &mut Value,
        base: JsonPointer,
        sites: &[(Site, Resolution)],
        inlining: &mut Vec<Target>,
        origins: &mut Origins,
    ) -> Result<(), Error> {
        // Deepest first, so writing a path item out cannot move a later site.
        for (site, resolution) in sites.iter().rev() {
            let Some(relative) = strip(&site.at, &base) else {
                continue;
            };
            let placement = match resolution {
                Resolution::Keep => continue,
                Resolution::Root(p) => Placement::Root(p.clone()),
                Resolution::Node(t) => match self.placements.get(t) {
                    Some(p) => p.clone(),
                    None => continue,
                },
            };
            let local = Site {
                at: relative.clone(),
                ..site.clone()
            };
            match placement {
                Placement::Component { section, key } => {
                    let r = JsonPointer::root()
                        .push("components")
                        .push(section)
                        .push(key);
                    local.rewrite(value, &r.to_string());
                }
                Placement::Root(p) => local.rewrite(value, &p.to_string()),
                Placement::Inline(t) if site.mapping.is_none() => {
                    if let Some(hops) = closed_loop(self.found, inlining, &t) {
                        return Err(self.found.error(
                            &site_file(&t, &self.found.first_site),
                            site.pointer(),
                            ErrorKind::FileRefCycle { chain: hops },
                        ));
                    }
                    inlining.push(t.clone());
                    let written = self.build(&t, inlining)?;
                    inlining.pop();
                    if let Some(slot) = get_mut(value, &relative) {
                        let siblings = std::mem::take(slot);
                        *slot = reference::merge_over(written, siblings);
                    }
                    origins.insert(
                        site.at.clone(),
                        self.found.display(&t.file),
                        t.fragment.clone(),
                    );
                }
                Placement::Inline(_) => {}
            }
        }
        Ok(())
    }
}

/// The hops of the loop `next` closes in `chain` (it is already on it), ending where
/// they start; `None` if `next` is not on `chain`.
fn closed_loop(found: &Found<'_>, chain: &[Target], next: &Target) -> Option<Vec<String>> {
    let k = chain.iter().position(|c| c == next)?;
    let mut hops: Vec<String> = chain.get(k..)?.iter().map(|c| found.hop(c)).collect();
    hops.push(found.hop(next));
    Some(hops)
}

/// Where every target goes: component keys (sorted, collision-safe), pure references
/// followed to their end.
fn place(found: &Found<'_>, root: &Value) -> Result<BTreeMap<Target, Placement>, Error> {
    let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let components = root.get("components").and_then(Value::as_object);
    let mut placements = BTreeMap::new();
    for target in found.scans.keys() {
        if found.is_pure_ref(target) {
            continue;
        }
        let Some(kind) = found.kinds.get(target).copied() else {
            continue;
        };
        let Some(section) = kind.section() else {
            placements.insert(target.clone(), Placement::Inline(target.clone()));
            continue;
        };
        let used = taken.entry(section).or_insert_with(|| {
            components
                .and_then(|c| c.get(section))
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        });
        let key = keys::file_key(&target.file, &target.fragment, used);
        used.insert(key.clone());
        placements.insert(target.clone(), Placement::Component { section, key });
    }
    for target in found.scans.keys().filter(|t| found.is_pure_ref(t)) {
        let end = follow(found, target, &placements)?;
        placements.insert(target.clone(), end);
    }
    Ok(placements)
}

/// Follows a chain of pure references from `start` to where it ends.
fn follow(
    found: &Found<'_>,
    start: &Target,
    placements: &BTreeMap<Target, Placement>,
) -> Result<Placement, Error> {
    let mut chain = vec![start.clone()];
    let mut current = start.clone();
    loop {
        if let Some(p) = placements
            .get(&current)
            .filter(|_| !found.is_pure_ref(&current))
        {
            return Ok(p.clone());
        }
        let next = found
            .scans
            .get(&current)
            .and_then(|sites| {
                sites
                    .iter()
                    .find(|(s, _)| s.at == current.fragment && s.mapping.is_none())
            })
            .map(|(_, r)| r.clone());
        match next {
            Some(Resolution::Node(t)) => {
                if let Some(hops) = closed_loop(found, &chain, &t) {
                    let (file, at) = found
                        .first_site
                        .get(start)
                        .cloned()
                        .unwrap_or_else(|| (start.file.clone(), start.fragment.clone()));
                    return Err(found.error(&file, at, ErrorKind::FileRefCycle { chain: hops }));
                }
                chain.push(t.clone());
                current = t;
            }
            Some(Resolution::Root(p)) => return Ok(Placement::Root(p)),
            // A reference that stays as written (not expected inside another file).
            _ => return Ok(Placement::Inline(current)),
        }
    }
}

/// The file of the first reference to `t` (for errors about `t`).
fn site_file(t: &Target, first: &BTreeMap<Target, (String, JsonPointer)>) -> String {
    first
        .get(t)
        .map_or_else(|| t.file.clone(), |(f, _)| f.clone())
}

/// `at` relative to `base`, if it lies below it.
fn strip(at: &JsonPointer, base: &JsonPointer) -> Option<JsonPointer> {
    at.tokens().strip_prefix(base.tokens()).map(|rest| {
        rest.iter()
            .fold(JsonPointer::root(), |p, t| p.push(t.as_str()))
    })
}
