//! Multi-file descriptions → one self-contained document.
//!
//! Input: the root document (parsed), and [`Files`] to read the others. Output: the same
//! document where every `$ref` to another file (`models/droplet.yml`,
//! `../common.yaml#/components/schemas/Error`, in schemas, parameters, responses, request
//! bodies, headers, examples, links, callbacks, security schemes, discriminator mappings
//! and path items) is a local reference, plus [`Origins`] to report problems where they
//! were written.
//!
//! - References resolve against the *referring* file, transitively; a `#/…` reference
//!   inside another file means that file. A reference back to the root document becomes
//!   a local one.
//! - Each distinct target (file, fragment, kind) becomes one component under
//!   `#/components/{section}`, keyed by the fragment's last token
//!   (`common.yaml#/components/schemas/Error` → `Error`) or, for a whole file, its stem
//!   (`models/droplet.yml` → `droplet`); when that key is taken, `{stem}_{token}`; then a
//!   counter (`Error_2`). Keys are given in sorted (file, fragment) order after every
//!   target is known, so they do not depend on mapping key order.
//! - A target that is only a `$ref` is not copied: its referrers point at what it refers
//!   to, and a chain that loops is an error naming every hop.
//! - Path items have no components section in OpenAPI 3.0: they are written out in place
//!   (their own fields win over the referenced ones), with cycle detection.
//! - Never outside the root's directory unless [`Files::allow_outside`]; never a URL.
//!
//! Errors name the referring file and the `$ref`'s pointer (missing file, outside the
//! tree, URL, missing fragment), or the referenced file itself (not text, syntax with its
//! own `line:col`, too deep).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::origins::Origins;
use super::position::{self, get_mut, Ctx, Dialect, Obj, Site};
use super::source::{self, Files, ReadError};
use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;
use crate::validate::walk::lookup;

/// What a `$ref` string says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefTarget {
    /// `#/a/b` (or `#`): a pointer into the same file.
    Local(JsonPointer),
    /// `path[#/pointer]`: a node of another file (path percent-decoded, not yet joined).
    File { path: String, fragment: JsonPointer },
}

/// Why a `$ref` string cannot be followed as a reference to a file or pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefSyntax {
    /// `https://…`, `file:…`, `urn:…`.
    Url,
    /// `x.yaml#name`: a named anchor, not a JSON pointer.
    Anchor,
    /// A bad `%` escape.
    BadEscape,
}

impl RefTarget {
    /// Parses a `$ref` value.
    pub(crate) fn parse(reference: &str) -> Result<Self, RefSyntax> {
        let (path, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (reference, None),
        };
        if has_scheme(path) || reference.starts_with("//") {
            return Err(RefSyntax::Url);
        }
        let fragment = match fragment {
            None | Some("") => JsonPointer::root(),
            Some(f) => {
                let f = source::percent_decode(f).ok_or(RefSyntax::BadEscape)?;
                if !f.starts_with('/') {
                    return Err(RefSyntax::Anchor);
                }
                JsonPointer::parse_ref(&format!("#{f}")).ok_or(RefSyntax::Anchor)?
            }
        };
        if path.is_empty() {
            return Ok(Self::Local(fragment));
        }
        let path = source::percent_decode(path).ok_or(RefSyntax::BadEscape)?;
        Ok(Self::File { path, fragment })
    }
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// One node of one file that a reference leads to, as the kind its position calls for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: String,
    fragment: JsonPointer,
    /// The kind's noun (`a schema`): `Obj` has no order of its own.
    kind: &'static str,
}

/// What one reference becomes.
#[derive(Debug, Clone)]
enum Resolution {
    /// Stays as written (a local reference in the root document, or one `validate` will
    /// report).
    Keep,
    /// A pointer into the root document.
    Root(JsonPointer),
    /// A node of another file.
    Node(Target),
}

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

/// Bundles `root` (whose logical path is `root_path`, whose references are `sites`;
/// errors name it `root_display`). Returns `None` when the document refers to no other
/// file: it is then untouched.
pub(crate) fn bundle(
    root: &mut Value,
    sites: &[Site],
    root_path: &str,
    root_display: &str,
    files: &Files<'_>,
    dialect: Dialect,
) -> Result<Option<Origins>, Error> {
    let mut b = Bundler {
        files,
        dialect,
        root_path,
        root_display,
        docs: BTreeMap::new(),
        kinds: BTreeMap::new(),
        scans: BTreeMap::new(),
        first_site: BTreeMap::new(),
    };
    let mut root_sites = Vec::with_capacity(sites.len());
    for site in sites {
        let resolution = b.resolve(site, root_path)?;
        root_sites.push((site.clone(), resolution));
    }
    if root_sites
        .iter()
        .all(|(_, r)| matches!(r, Resolution::Keep))
    {
        return Ok(None);
    }
    b.discover(&root_sites)?;
    let placements = b.place(root)?;
    let mut origins = Origins::new(root_display);
    // Components first (sorted by target), then the root's own references.
    let mut components: Vec<(&'static str, String, Value, Target)> = Vec::new();
    for (target, placement) in &placements {
        // A pure reference shares the placement of where it leads: it is not copied.
        if b.is_pure_ref(target) {
            continue;
        }
        if let Placement::Component { section, key } = placement {
            let value = b.build(target, &placements, &mut Vec::new())?;
            components.push((section, key.clone(), value, target.clone()));
        }
    }
    b.rewrite(
        root,
        JsonPointer::root(),
        &root_sites,
        &placements,
        &mut Vec::new(),
        &mut origins,
    )?;
    let Value::Object(doc) = root else {
        return Ok(Some(origins));
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
            origins.insert(
                at,
                source::display(root_display, &target.file),
                target.fragment,
            );
            if let Value::Object(entries) = components_map
                .entry(section)
                .or_insert_with(|| Value::Object(Map::new()))
            {
                entries.insert(key, value);
            }
        }
    }
    Ok(Some(origins))
}

struct Bundler<'f> {
    files: &'f Files<'f>,
    dialect: Dialect,
    root_path: &'f str,
    root_display: &'f str,
    /// Other files read so far, by logical path.
    docs: BTreeMap<String, Value>,
    kinds: BTreeMap<Target, Obj>,
    /// The references inside each target, with what each resolves to.
    scans: BTreeMap<Target, Vec<(Site, Resolution)>>,
    /// The first reference that led to each target (for errors).
    first_site: BTreeMap<Target, (String, JsonPointer)>,
}

impl Bundler<'_> {
    fn display(&self, path: &str) -> String {
        source::display(self.root_display, path)
    }

    /// `models/pet.yaml` or `models/pet.yaml#/Pet`, for a chain of references.
    fn hop(&self, t: &Target) -> String {
        let file = self.display(&t.file);
        if t.fragment.tokens().is_empty() {
            file
        } else {
            format!("{file}{}", t.fragment)
        }
    }

    fn error(&self, file: &str, at: JsonPointer, kind: ErrorKind) -> Error {
        Error::new(self.display(file), at, kind)
    }

    /// The references in `value` (at `at` in `file`, in context `ctx`), resolved.
    fn scan(
        &mut self,
        value: &Value,
        file: &str,
        at: JsonPointer,
        ctx: Ctx,
    ) -> Result<Vec<(Site, Resolution)>, Error> {
        let sites = position::sites(value, at, ctx, self.dialect);
        let mut out = Vec::with_capacity(sites.len());
        for site in sites {
            let resolution = self.resolve(&site, file)?;
            out.push((site, resolution));
        }
        Ok(out)
    }

    /// What the reference at `site` in `file` leads to; reads the file it names.
    fn resolve(&mut self, site: &Site, file: &str) -> Result<Resolution, Error> {
        let in_root = file == self.root_path;
        let target = match RefTarget::parse(&site.target) {
            Ok(t) => t,
            // The root's own odd references are `validate`'s to report (as they always were).
            Err(_) if in_root && site.target.starts_with('#') => return Ok(Resolution::Keep),
            Err(RefSyntax::Url) if site.target.contains("://") || site.target.starts_with("//") => {
                return Err(self.error(
                    file,
                    site.pointer(),
                    ErrorKind::NetworkRef {
                        target: site.target.clone(),
                    },
                ))
            }
            Err(why) => {
                let construct = match why {
                    RefSyntax::Anchor => "a $ref to a named anchor",
                    RefSyntax::BadEscape => "a $ref with a malformed %-escape",
                    RefSyntax::Url => "a $ref with a URI scheme",
                };
                return Err(self.error(
                    file,
                    site.pointer(),
                    ErrorKind::Unsupported {
                        construct: format!("{construct} ({})", site.target),
                        expected: "a relative file path with an optional JSON pointer \
                                   fragment, such as models/pet.yaml#/Pet"
                            .into(),
                    },
                ));
            }
        };
        let (path, fragment) = match target {
            RefTarget::Local(_) if in_root => return Ok(Resolution::Keep),
            RefTarget::Local(fragment) => (file.to_owned(), fragment),
            RefTarget::File { path, fragment } => {
                let joined = source::join(source::dir_of(file), &path);
                if source::is_outside(&joined) && !self.files.allow_outside {
                    return Err(self.error(
                        file,
                        site.pointer(),
                        ErrorKind::OutsideTree {
                            target: site.target.clone(),
                            path: self.display(&joined),
                        },
                    ));
                }
                (joined, fragment)
            }
        };
        if path == self.root_path {
            return Ok(Resolution::Root(fragment));
        }
        let Some(kind) = site.kind() else {
            // A reference where OpenAPI has none: `validate` reports it.
            return Ok(Resolution::Keep);
        };
        self.read(&path, site, file)?;
        let exists = self
            .docs
            .get(&path)
            .is_some_and(|doc| lookup(doc, &fragment).is_some());
        if !exists {
            return Err(self.error(
                file,
                site.pointer(),
                ErrorKind::MissingFragment {
                    target: site.target.clone(),
                    path: self.display(&path),
                },
            ));
        }
        let target = Target {
            file: path,
            fragment,
            kind: kind.noun(),
        };
        self.kinds.insert(target.clone(), kind);
        self.first_site
            .entry(target.clone())
            .or_insert_with(|| (file.to_owned(), site.pointer()));
        Ok(Resolution::Node(target))
    }

    /// Reads and parses `path` once.
    fn read(&mut self, path: &str, site: &Site, file: &str) -> Result<(), Error> {
        if self.docs.contains_key(path) {
            return Ok(());
        }
        let bytes = self.files.source.read(path).map_err(|reason| {
            let kind = match reason {
                ReadError::Outside => ErrorKind::OutsideTree {
                    target: site.target.clone(),
                    path: self.display(path),
                },
                reason => ErrorKind::FileUnreadable {
                    target: site.target.clone(),
                    path: self.display(path),
                    reason: reason.to_string().into(),
                },
            };
            self.error(file, site.pointer(), kind)
        })?;
        let value = super::parse_text(&bytes, path.ends_with(".json"))
            .map_err(|(pointer, kind)| self.error(path, pointer, kind))?;
        self.docs.insert(path.to_owned(), value);
        Ok(())
    }

    /// Scans every target reachable from the root's references, transitively.
    fn discover(&mut self, root_sites: &[(Site, Resolution)]) -> Result<(), Error> {
        let mut queue: Vec<Target> = root_sites
            .iter()
            .filter_map(|(_, r)| match r {
                Resolution::Node(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        while let Some(target) = queue.pop() {
            if self.scans.contains_key(&target) {
                continue;
            }
            let Some(kind) = self.kinds.get(&target).copied() else {
                continue;
            };
            let value = self
                .docs
                .get(&target.file)
                .and_then(|doc| lookup(doc, &target.fragment))
                .cloned()
                .unwrap_or(Value::Null);
            let found = self.scan(
                &value,
                &target.file.clone(),
                target.fragment.clone(),
                Ctx::Obj(kind),
            )?;
            queue.extend(found.iter().filter_map(|(_, r)| match r {
                Resolution::Node(t) if !self.scans.contains_key(t) => Some(t.clone()),
                _ => None,
            }));
            self.scans.insert(target, found);
        }
        Ok(())
    }

    /// The node a target names.
    fn node(&self, target: &Target) -> Option<&Value> {
        self.docs
            .get(&target.file)
            .and_then(|doc| lookup(doc, &target.fragment))
    }

    /// Whether a target is nothing but a `$ref` (then it is not copied).
    fn is_pure_ref(&self, target: &Target) -> bool {
        matches!(self.node(target), Some(Value::Object(m)) if m.len() == 1 && m.get("$ref").is_some_and(Value::is_string))
    }

    /// Where every target goes: component keys (sorted, collision-safe), pure references
    /// followed to their end.
    fn place(&self, root: &Value) -> Result<BTreeMap<Target, Placement>, Error> {
        let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        let components = root.get("components").and_then(Value::as_object);
        let mut placements = BTreeMap::new();
        for target in self.scans.keys() {
            if self.is_pure_ref(target) {
                continue;
            }
            let Some(kind) = self.kinds.get(target).copied() else {
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
            let key = component_key(target, used);
            used.insert(key.clone());
            placements.insert(target.clone(), Placement::Component { section, key });
        }
        for target in self.scans.keys().filter(|t| self.is_pure_ref(t)) {
            let end = self.follow(target, &placements)?;
            placements.insert(target.clone(), end);
        }
        Ok(placements)
    }

    /// Follows a chain of pure references from `start` to where it ends.
    fn follow(
        &self,
        start: &Target,
        placements: &BTreeMap<Target, Placement>,
    ) -> Result<Placement, Error> {
        let mut chain = vec![start.clone()];
        let mut current = start.clone();
        loop {
            if let Some(p) = placements
                .get(&current)
                .filter(|_| !self.is_pure_ref(&current))
            {
                return Ok(p.clone());
            }
            let next = self
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
                    if let Some(k) = chain.iter().position(|c| *c == t) {
                        let mut hops: Vec<String> = chain
                            .get(k..)
                            .unwrap_or_default()
                            .iter()
                            .map(|c| self.hop(c))
                            .collect();
                        if let Some(first) = hops.first().cloned() {
                            hops.push(first);
                        }
                        let (file, at) = self
                            .first_site
                            .get(start)
                            .cloned()
                            .unwrap_or_else(|| (start.file.clone(), start.fragment.clone()));
                        return Err(self.error(&file, at, ErrorKind::FileRefCycle { chain: hops }));
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

    /// A copy of `target`'s node with its references rewritten.
    fn build(
        &self,
        target: &Target,
        placements: &BTreeMap<Target, Placement>,
        inlining: &mut Vec<Target>,
    ) -> Result<Value, Error> {
        let mut value = self.node(target).cloned().unwrap_or(Value::Null);
        let sites = self
            .scans
            .get(target)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut ignored = Origins::new(self.root_display);
        self.rewrite(
            &mut value,
            target.fragment.clone(),
            sites,
            placements,
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
        placements: &BTreeMap<Target, Placement>,
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
                Resolution::Node(t) => match placements.get(t) {
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
                    if let Some(k) = inlining.iter().position(|c| *c == t) {
                        let mut hops: Vec<String> = inlining
                            .get(k..)
                            .unwrap_or_default()
                            .iter()
                            .map(|c| self.hop(c))
                            .collect();
                        hops.push(self.hop(&t));
                        return Err(self.error(
                            &site_file(&t, &self.first_site),
                            site.pointer(),
                            ErrorKind::FileRefCycle { chain: hops },
                        ));
                    }
                    inlining.push(t.clone());
                    let written = self.build(&t, placements, inlining)?;
                    inlining.pop();
                    if let Some(slot) = get_mut(value, &relative) {
                        let siblings = std::mem::take(slot);
                        *slot = merge_over(written, siblings);
                    }
                    origins.insert(site.at.clone(), self.display(&t.file), t.fragment.clone());
                }
                Placement::Inline(_) => {}
            }
        }
        Ok(())
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

/// A path item written out: the referenced fields, with the referring object's own fields
/// (except `$ref`) on top.
fn merge_over(written: Value, siblings: Value) -> Value {
    match (written, siblings) {
        (Value::Object(mut base), Value::Object(own)) => {
            for (k, v) in own {
                if k != "$ref" {
                    base.insert(k, v);
                }
            }
            Value::Object(base)
        }
        (written, _) => written,
    }
}

/// The component key for `target`, not in `used`.
fn component_key(target: &Target, used: &BTreeSet<String>) -> String {
    let stem = sanitize(file_stem(&target.file));
    let candidates = match target.fragment.last() {
        Some(last) if !last.bytes().all(|b| b.is_ascii_digit()) => {
            vec![sanitize(last), format!("{stem}_{}", sanitize(last))]
        }
        Some(last) => vec![format!("{stem}_{last}")],
        None => vec![stem.clone()],
    };
    for c in &candidates {
        if !used.contains(c) {
            return c.clone();
        }
    }
    let base = candidates.last().cloned().unwrap_or(stem);
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !used.contains(c))
        .unwrap_or(base)
}

/// `models/droplet.yml` → `droplet`.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// A component key may hold letters, digits, `.`, `-` and `_` (OpenAPI's key pattern).
pub(crate) fn sanitize(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "_".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let p = |s: &str| RefTarget::parse(s);
        assert_eq!(
            p("#/components/schemas/A"),
            Ok(RefTarget::Local(
                JsonPointer::parse_ref("#/components/schemas/A").unwrap()
            ))
        );
        assert_eq!(
            p("models/a%20b.yaml#/A~1B"),
            Ok(RefTarget::File {
                path: "models/a b.yaml".into(),
                fragment: JsonPointer::root().push("A/B"),
            })
        );
        assert_eq!(
            p("./a.yaml"),
            Ok(RefTarget::File {
                path: "./a.yaml".into(),
                fragment: JsonPointer::root()
            })
        );
        assert_eq!(p("https://x.io/a.yaml"), Err(RefSyntax::Url));
        assert_eq!(p("//x.io/a.yaml"), Err(RefSyntax::Url));
        assert_eq!(p("file:///a.yaml"), Err(RefSyntax::Url));
        assert_eq!(p("a.yaml#Pet"), Err(RefSyntax::Anchor));
        assert_eq!(p("a%zz.yaml"), Err(RefSyntax::BadEscape));
        // A colon later in a path is not a scheme.
        assert!(p("a/b:c.yaml").is_ok());
    }

    #[test]
    fn component_keys_are_collision_safe() {
        let t = |file: &str, frag: &str| Target {
            file: file.into(),
            fragment: JsonPointer::parse_ref(frag).unwrap(),
            kind: "a schema",
        };
        let mut used = BTreeSet::new();
        let k = |t: &Target, used: &mut BTreeSet<String>| {
            let k = component_key(t, used);
            used.insert(k.clone());
            k
        };
        assert_eq!(k(&t("models/droplet.yml", "#"), &mut used), "droplet");
        assert_eq!(
            k(&t("common.yaml", "#/components/schemas/Error"), &mut used),
            "Error"
        );
        assert_eq!(k(&t("other.yaml", "#/Error"), &mut used), "other_Error");
        assert_eq!(k(&t("x/other.yaml", "#/Error"), &mut used), "other_Error_2");
        assert_eq!(k(&t("list.yaml", "#/items/0"), &mut used), "list_0");
        assert_eq!(k(&t("a b.yaml", "#"), &mut used), "a_b");
        assert_eq!(k(&t("droplet", "#"), &mut used), "droplet_2");
    }
}
