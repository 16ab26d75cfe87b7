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

mod write;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::origins::Origins;
use super::position::{self, Ctx, Dialect, Obj, Site};
use super::reference::{RefSyntax, RefTarget};
use super::source::{self, Files, ReadError};
use crate::document::walk::lookup;
use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;

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
}
