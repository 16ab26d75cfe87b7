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

mod found;
mod write;

use serde_json::Value;

use super::origins::Origins;
use super::position::{self, Ctx, Dialect, Site};
use super::reference::{RefSyntax, RefTarget};
use super::source::{self, Files, ReadError};
use super::text;
use crate::document::walk::lookup;
use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;
use found::{Found, Resolution, Target};

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
        found: Found::new(root_display),
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
    write::write(&b.found, root, &root_sites).map(Some)
}

/// Discovery: reads the files references lead to and resolves every reference in them.
struct Bundler<'f> {
    files: &'f Files<'f>,
    dialect: Dialect,
    root_path: &'f str,
    found: Found<'f>,
}

impl Bundler<'_> {
    fn display(&self, path: &str) -> String {
        self.found.display(path)
    }

    fn error(&self, file: &str, at: JsonPointer, kind: ErrorKind) -> Error {
        self.found.error(file, at, kind)
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
            .found
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
        self.found.kinds.insert(target.clone(), kind);
        self.found
            .first_site
            .entry(target.clone())
            .or_insert_with(|| (file.to_owned(), site.pointer()));
        Ok(Resolution::Node(target))
    }

    /// Reads and parses `path` once.
    fn read(&mut self, path: &str, site: &Site, file: &str) -> Result<(), Error> {
        if self.found.docs.contains_key(path) {
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
        let value = text::parse_text(&bytes, path.ends_with(".json"))
            .map_err(|(pointer, kind)| self.error(path, pointer, kind))?;
        self.found.docs.insert(path.to_owned(), value);
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
            if self.found.scans.contains_key(&target) {
                continue;
            }
            let Some(kind) = self.found.kinds.get(&target).copied() else {
                continue;
            };
            let value = self
                .found
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
                Resolution::Node(t) if !self.found.scans.contains_key(t) => Some(t.clone()),
                _ => None,
            }));
            self.found.scans.insert(target, found);
        }
        Ok(())
    }
}
