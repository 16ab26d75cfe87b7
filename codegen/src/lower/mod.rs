//! Lower: the resolved OpenAPI document → [`Ir`]. Every naming decision, `allOf` merge,
//! union construction and operation shape is decided here, once; emit only prints.
//!
//! Input: an `openapiv3::OpenAPI` that `validate` has accepted, plus the same document as
//! a `serde_json::Value` (for exact numbers and `$ref` siblings that openapiv3 drops).
//! Output: an [`Ir`], or the first problem found (lowering stops at the first error; it
//! never panics and never loops, whatever the input).
//!
//! Passes, in order (each deterministic, none depends on mapping key order):
//! 1. name every component schema (sorted by key; reserved names last, see `naming`);
//! 2. lower every component schema (sorted by key), naming inline schemas on the way;
//! 3. lower every operation (sorted by operationId);
//! 4. strip discriminator properties from union variant structs (`union::strip_tags`);
//! 5. drop inline types nothing refers to any more (the tag enums step 4 orphaned);
//! 6. box the fields that close reference cycles (`recursion`);
//! 7. find the shared error body.

mod compose;
mod enums;
mod fields;
mod media;
pub mod naming;
mod operation;
mod params;
mod path;
mod recursion;
mod schema;
mod shape;
#[cfg(test)]
mod tests;
mod union;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, SchemaData};

use crate::error::{Error, ErrorKind};
use crate::ir::{Docs, ErrorBody, Ir, Operation, Scalar, TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;
use crate::resolve::Resolver;
use naming::TypeNames;
use shape::Shape;

/// Lowers `doc` (whose JSON form is `raw`; errors name `file`) to the IR.
///
/// `raw` must be the same document as `doc`: constraints (`minimum`, `pattern`…) and
/// descriptions written next to a `$ref` are read from it by pointer.
pub fn lower(doc: &OpenAPI, raw: &serde_json::Value, file: &str) -> Result<Ir, Error> {
    let mut cx = Lowerer::new(doc, raw, file);
    cx.name_components()?;
    cx.lower_components()?;
    let operations = cx.lower_operations()?;
    cx.strip_tags()?;
    cx.collect_garbage(&operations);
    recursion::box_cycles(&mut cx.types, file)?;
    let error_body = error_body(&cx.types, &cx.derived, &operations);
    Ok(Ir {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        base_url: doc.servers.first().map(|s| s.url.clone()),
        types: cx.types,
        operations,
        error_body,
    })
}

/// The state of one lowering run.
pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    raw: &'a serde_json::Value,
    file: &'a str,
    resolver: Resolver<'a>,
    /// Every named type so far.
    types: BTreeMap<TypeName, TypeDef>,
    /// The module's type-name table.
    type_names: TypeNames,
    /// Schema component key → its type name.
    components: BTreeMap<&'a str, TypeName>,
    /// Base component key → keys of the components that `allOf` it (sorted): the children
    /// of the "base schema with discriminator" union style.
    children: BTreeMap<&'a str, Vec<&'a str>>,
    /// Inline schema pointer → what it lowered to, so a schema reached twice (an `allOf`
    /// base merged into several children) yields one type.
    inline_cache: BTreeMap<JsonPointer, TypeRef>,
    /// Types named after their context (not components): the only ones GC may drop.
    derived: BTreeSet<TypeName>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, raw: &'a serde_json::Value, file: &'a str) -> Self {
        let mut children: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for (key, schema) in sorted_schemas(doc) {
            let Some(schema) = schema.as_item() else {
                continue;
            };
            for member in Shape::of(schema).all_of {
                if let openapiv3::ReferenceOr::Reference { reference } = member {
                    if let Some(base) = reference.strip_prefix("#/components/schemas/") {
                        if let Some((base, _)) = doc
                            .components
                            .as_ref()
                            .and_then(|c| c.schemas.get_key_value(base))
                        {
                            children.entry(base.as_str()).or_default().push(key);
                        }
                    }
                }
            }
        }
        Self {
            doc,
            raw,
            file,
            resolver: Resolver::new(doc, file),
            types: BTreeMap::new(),
            type_names: TypeNames::default(),
            components: BTreeMap::new(),
            children,
            inline_cache: BTreeMap::new(),
            derived: BTreeSet::new(),
        }
    }

    fn err(&self, at: &JsonPointer, kind: ErrorKind) -> Error {
        Error::new(self.file, at.clone(), kind)
    }

    fn unsupported(
        &self,
        at: &JsonPointer,
        construct: impl Into<String>,
        expected: impl Into<String>,
    ) -> Error {
        self.err(
            at,
            ErrorKind::Unsupported {
                construct: construct.into(),
                expected: expected.into(),
            },
        )
    }

    /// The raw JSON node at `at`.
    fn raw_at(&self, at: &JsonPointer) -> Option<&'a serde_json::Value> {
        let s = at.to_string();
        self.raw.pointer(s.strip_prefix('#').unwrap_or(&s))
    }

    /// Pass 1. Names that are not reserved are claimed first, so a component literally
    /// named `ClientModel` keeps its name and the renamed `Client` becomes `ClientModel2`.
    fn name_components(&mut self) -> Result<(), Error> {
        let schemas = sorted_schemas(self.doc);
        let (plain, reserved): (Vec<_>, Vec<_>) = schemas
            .into_iter()
            .partition(|(key, _)| !TypeNames::is_reserved(&naming::upper_camel(key)));
        for (key, _) in plain.into_iter().chain(reserved) {
            let at = component_pointer(key);
            let name = self.type_names.component(key, &at).map_err(|other| {
                self.err(
                    &at,
                    ErrorKind::NameCollision {
                        name: key.to_owned(),
                        other,
                    },
                )
            })?;
            self.components.insert(key, name);
        }
        Ok(())
    }

    /// Pass 2.
    fn lower_components(&mut self) -> Result<(), Error> {
        for (key, schema) in sorted_schemas(self.doc) {
            let at = component_pointer(key);
            let name = self.component_type(key, &at)?;
            match schema {
                openapiv3::ReferenceOr::Reference { .. } => {
                    // A component that is only a `$ref`: an alias of the type it points at.
                    let target = self.resolver.schema(schema, &at)?;
                    let target = self.component_ref(&target, &at)?;
                    let def = TypeDef {
                        name: name.clone(),
                        docs: Docs::default(),
                        deprecated: false,
                        kind: TypeKind::Alias(target),
                        source: at,
                    };
                    self.types.insert(name, def);
                }
                openapiv3::ReferenceOr::Item(s) => self.define(name, s, &at, Some(key))?,
            }
        }
        Ok(())
    }

    /// The type name of schema component `key`.
    fn component_type(&self, key: &str, at: &JsonPointer) -> Result<TypeName, Error> {
        self.components.get(key).cloned().ok_or_else(|| {
            self.err(
                at,
                ErrorKind::UnresolvedRef {
                    target: component_pointer(key).to_string(),
                    expected: "a schema under #/components/schemas",
                },
            )
        })
    }

    /// Pass 5: drops derived types that nothing reachable from a component or an
    /// operation refers to.
    fn collect_garbage(&mut self, operations: &[Operation]) {
        let mut stack: Vec<TypeName> = self.components.values().cloned().collect();
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
            if let Some(def) = self.types.get(&name) {
                kind_names(&def.kind, &mut stack);
            }
        }
        let derived = &self.derived;
        self.types
            .retain(|name, _| live.contains(name) || !derived.contains(name));
    }
}

/// Schema components sorted by key: component order in the file never matters.
fn sorted_schemas(doc: &OpenAPI) -> Vec<(&str, &openapiv3::ReferenceOr<openapiv3::Schema>)> {
    let mut v: Vec<_> = doc
        .components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .map(|(k, s)| (k.as_str(), s))
        .collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn component_pointer(key: &str) -> JsonPointer {
    JsonPointer::root()
        .push("components")
        .push("schemas")
        .push(key)
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

/// Docs of a schema.
fn docs(data: &SchemaData) -> Docs {
    Docs {
        title: text(data.title.as_deref()),
        description: text(data.description.as_deref()),
        external_url: data.external_docs.as_ref().map(|d| d.url.clone()),
    }
}

/// Doc text without trailing whitespace (YAML block scalars end in `\n`); `None` if blank.
pub(crate) fn text(s: Option<&str>) -> Option<String> {
    s.map(str::trim_end)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// Pass 7: the error body shared by every documented error response that has one.
/// Only a component schema qualifies (an inline error schema is per operation).
fn error_body(
    types: &BTreeMap<TypeName, TypeDef>,
    derived: &BTreeSet<TypeName>,
    operations: &[Operation],
) -> Option<ErrorBody> {
    let mut shared: Option<&TypeName> = None;
    for r in operations.iter().flat_map(|op| &op.errors) {
        match &r.ty {
            None => {}
            Some(TypeRef::Named(n)) if shared.is_none_or(|s| s == n) => shared = Some(n),
            Some(_) => return None,
        }
    }
    let ty = shared.filter(|n| !derived.contains(*n))?;
    let fields = match types.get(ty).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.as_slice(),
        _ => &[],
    };
    // The first field, by these conventional wire names, that holds a string (or a string
    // enum): Atlas says `errorCode` and `detail`; other APIs `code` and `message`.
    let string_field = |wires: &[&str]| {
        wires.iter().find_map(|wire| {
            fields.iter().find(|f| {
                f.wire == *wire
                    && match &f.ty {
                        TypeRef::Scalar(Scalar::String) => true,
                        TypeRef::Named(n) => {
                            matches!(types.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_)))
                        }
                        _ => false,
                    }
            })
        })
    };
    Some(ErrorBody {
        ty: ty.clone(),
        code_field: string_field(&["errorCode", "error_code", "code"]).map(|f| f.rust.clone()),
        detail_field: string_field(&["detail", "message", "error_description"])
            .map(|f| f.rust.clone()),
    })
}
