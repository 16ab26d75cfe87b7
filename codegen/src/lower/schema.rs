//! Schemas → type references and named type definitions: the type table under
//! construction ([`Schemas`]), scalars and formats, arrays, maps and free-form objects,
//! and the dispatch to structs (`structs`), `allOf` merging (`compose`), unions (`unions`)
//! and enums (`enums`), which recurse back through [`Recurse`].

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};

use super::allof::{all_of, AllOf, Member, Wrapper};
use super::compose::merged_struct;
use super::enums::{allowed_values_doc, is_string_enum, open_enum};
use super::hint::Hint;
use super::keywords::{is_free_form, Keywords, Ty};
use super::naming::{self, TypeNames};
use super::partial::{Round, Use};
use super::recurse::{component_pointer, Recurse};
use super::structs::object_struct;
use super::text::{fill_docs, schema_docs};
use super::unions::{discriminated, untagged};
use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::ir::{Docs, Renamed, Scalar, TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;
use crate::skip::Item;

/// What a schema lowers to: a named type of some kind, or a plain type reference.
#[derive(Debug, Clone)]
enum Form<'a> {
    /// `oneOf`/`anyOf` + `discriminator`, or a discriminator base with `allOf` children.
    Union,
    /// `oneOf`/`anyOf` with several members and no discriminator.
    Untagged,
    /// `allOf` of objects: one merged struct.
    Merged,
    /// `allOf` where one member gives the type (see `allof`): that member's type.
    Wrapped(Member<'a>),
    /// A string enum.
    Enum,
    /// An object with properties.
    Struct,
    /// A scalar, array, map, free-form value, or the one member of a wrapper.
    Plain,
}

/// The types of one lowering run, as they are being built.
pub(crate) struct Schemas<'a> {
    doc: Document<'a>,
    /// Every named type so far.
    types: BTreeMap<TypeName, TypeDef>,
    /// The type-name table of `models.rs` and `unions.rs`.
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
    /// Components whose plain name an earlier component has (`foo` after `Foo`).
    renamed: BTreeMap<TypeName, Renamed>,
    /// Skip mode: the component keys left out (a `$ref` to one is a problem).
    absent: BTreeSet<String>,
    /// Skip mode: the item being lowered, and the `$ref`s to components each item used.
    current: Option<Item>,
    uses: Option<RefCell<Vec<Use>>>,
}

/// What lowering the schemas produced.
pub(crate) struct Lowered {
    pub types: BTreeMap<TypeName, TypeDef>,
    /// The component types (always kept).
    pub components: Vec<TypeName>,
    /// The types named after their context.
    pub derived: BTreeSet<TypeName>,
}

impl<'a> Schemas<'a> {
    /// Pass 1: names every component schema. Names that are not reserved are claimed
    /// first, so a component literally named `ClientModel` keeps its name and the renamed
    /// `Client` becomes `ClientModel2`.
    /// The components in `absent` are left out (skip mode: `round` collects the name
    /// collisions instead of stopping at the first).
    pub fn new(
        doc: Document<'a>,
        absent: &BTreeSet<String>,
        round: &mut Round,
    ) -> Result<Self, Error> {
        let mut schemas = Self {
            doc,
            types: BTreeMap::new(),
            type_names: TypeNames::default(),
            components: BTreeMap::new(),
            children: children(doc.api()),
            inline_cache: BTreeMap::new(),
            derived: BTreeSet::new(),
            renamed: BTreeMap::new(),
            absent: absent.clone(),
            current: None,
            uses: round.skipping().then(RefCell::default),
        };
        let (plain, reserved): (Vec<_>, Vec<_>) = sorted_schemas(doc.api())
            .into_iter()
            .partition(|(key, _)| !TypeNames::is_reserved(&naming::upper_camel(key)));
        for (key, _) in plain.into_iter().chain(reserved) {
            if absent.contains(key) {
                continue;
            }
            let claimed = schemas.type_names.component(key);
            if let Some(renamed) = claimed.renamed {
                schemas.renamed.insert(claimed.name.clone(), renamed);
            }
            schemas.components.insert(key, claimed.name);
        }
        Ok(schemas)
    }

    /// Pass 2: every component schema, sorted by key (in skip mode, `round` collects the
    /// problem of each instead of stopping at the first).
    pub fn lower_components(&mut self, round: &mut Round) -> Result<(), Error> {
        for (key, schema) in sorted_schemas(self.doc.api()) {
            // Left out, or (in this round) a name collision.
            if !self.components.contains_key(key) {
                continue;
            }
            let item = Item::schema(key);
            self.current = Some(item.clone());
            let lowered = self.component(key, schema);
            round.item(item, lowered)?;
        }
        self.current = None;
        Ok(())
    }

    /// One component schema.
    fn component(&mut self, key: &'a str, schema: &'a ReferenceOr<Schema>) -> Result<(), Error> {
        let at = component_pointer(key);
        let name = self.component_type(key, &at)?;
        match schema {
            ReferenceOr::Reference { .. } => {
                // A component that is only a `$ref`: an alias of the type it points at.
                let target = self.doc.resolver().schema(schema, &at)?;
                let target = self.component_ref(&target, &at)?;
                let def = TypeDef {
                    name: name.clone(),
                    docs: Docs::default(),
                    deprecated: false,
                    kind: TypeKind::Alias(target),
                    source: at,
                    renamed: None,
                    checked: false,
                };
                self.types.insert(name, def);
            }
            ReferenceOr::Item(s) => self.define(name, s, &at, Some(key))?,
        }
        Ok(())
    }

    /// The item being lowered from now on (skip mode records the `$ref`s it uses).
    pub fn lowering(&mut self, item: Option<Item>) {
        self.current = item;
    }

    /// Every named type so far.
    pub fn types(&self) -> &BTreeMap<TypeName, TypeDef> {
        &self.types
    }

    /// A named type built so far, to refine (a multipart body's file fields).
    pub fn type_mut(&mut self, name: &TypeName) -> Option<&mut TypeDef> {
        self.types.get_mut(name)
    }

    /// The finished table, and (skip mode) the `$ref`s to components each item used.
    pub fn finish(mut self) -> (Lowered, Vec<Use>) {
        for (name, renamed) in std::mem::take(&mut self.renamed) {
            if let Some(def) = self.types.get_mut(&name) {
                def.renamed = Some(renamed);
            }
        }
        let lowered = Lowered {
            types: self.types,
            components: self.components.into_values().collect(),
            derived: self.derived,
        };
        (
            lowered,
            self.uses.map(RefCell::into_inner).unwrap_or_default(),
        )
    }

    /// What a schema becomes (checked in this order).
    fn form(
        &self,
        kw: &Keywords<'a>,
        component: Option<&str>,
        at: &JsonPointer,
    ) -> Result<Form<'a>, Error> {
        let has_children = component.is_some_and(|k| self.children.contains_key(k));
        let resolver = self.doc.resolver();
        if kw.data.discriminator.is_some()
            && (!kw.one_of.is_empty()
                || !kw.any_of.is_empty()
                || has_children
                || self.mapping_only_union(kw, at))
            && !kw.has_non_object_member(&resolver)
        {
            return Ok(Form::Union);
        }
        if kw.one_of.len() > 1 || kw.any_of.len() > 1 {
            return Ok(Form::Untagged);
        }
        match all_of(self.doc, kw, at, component.is_some())? {
            Some(AllOf::Merge) => return Ok(Form::Merged),
            Some(AllOf::Wrapper(Wrapper {
                core: Some(core), ..
            })) => return Ok(Form::Wrapped(core)),
            // Only extras: the schema's own keywords decide, below.
            Some(AllOf::Wrapper(Wrapper { core: None, .. })) | None => {}
        }
        Ok(if is_string_enum(kw) {
            Form::Enum
        } else if kw.has_properties() && kw.one_of.is_empty() && kw.any_of.is_empty() {
            Form::Struct
        } else {
            Form::Plain
        })
    }

    /// A discriminator whose `mapping` is all there is to discriminate (no `oneOf`/`anyOf`,
    /// and the mapped schemas do not `allOf` this one): a union over the mapping targets,
    /// tagged on the property. Not when a target is this schema itself (a union cannot be
    /// its own variant): then, as without a mapping, the discriminator only names a
    /// property and the schema is a plain struct.
    fn mapping_only_union(&self, kw: &Keywords<'a>, at: &JsonPointer) -> bool {
        let Some(disc) = &kw.data.discriminator else {
            return false;
        };
        let resolver = self.doc.resolver();
        let mapping_at = at.push("discriminator").push("mapping");
        !disc.mapping.is_empty()
            && disc.mapping.iter().all(|(tag, target)| {
                resolver
                    .schema_ref(target, &mapping_at.push(tag.as_str()))
                    .is_ok_and(|t| t.pointer != *at)
            })
    }

    /// Defines type `name` from schema `s` at `at` (`component` is its key, if any).
    fn define(
        &mut self,
        name: TypeName,
        s: &'a Schema,
        at: &JsonPointer,
        component: Option<&'a str>,
    ) -> Result<(), Error> {
        let kw = Keywords::of(s);
        let (kind, docs) = self.kind(&name, &kw, s, at, component)?;
        let def = TypeDef {
            name: name.clone(),
            docs,
            deprecated: kw.data.deprecated,
            kind,
            source: at.clone(),
            renamed: None,
            checked: false,
        };
        self.types.insert(name, def);
        Ok(())
    }

    /// The kind of type `name` and its docs, from schema `s` (`kw`) at `at`.
    fn kind(
        &mut self,
        name: &TypeName,
        kw: &Keywords<'a>,
        s: &'a Schema,
        at: &JsonPointer,
        component: Option<&'a str>,
    ) -> Result<(TypeKind, Docs), Error> {
        let mut type_docs = schema_docs(kw.data);
        let kind = match self.form(kw, component, at)? {
            Form::Union => discriminated(self, name, kw, at, component)?,
            Form::Untagged => untagged(self, name, kw, at)?,
            Form::Merged => TypeKind::Struct(merged_struct(self, name, s, at)?),
            Form::Enum => TypeKind::Enum(open_enum(self.doc, kw, at)?),
            Form::Struct => TypeKind::Struct(object_struct(self, name, kw, at)?),
            Form::Wrapped(core) => match core.schema {
                // A component that is another type with docs of its own: an alias.
                ReferenceOr::Reference { .. } => {
                    TypeKind::Alias(self.component_ref(&core.target, &core.at)?)
                }
                // The member written in place is this type.
                ReferenceOr::Item(inner) => {
                    let inner_kw = Keywords::of(inner);
                    let (kind, inner_docs) = self.kind(name, &inner_kw, inner, &core.at, None)?;
                    fill_docs(&mut type_docs, inner_docs);
                    kind
                }
            },
            Form::Plain => {
                // A component that is a scalar, array, map or free-form value.
                allowed_values_doc(kw, &mut type_docs);
                let hint = Hint::new(name.as_str().to_owned());
                match self.plain(kw, at, &hint)? {
                    TypeRef::Map(inner) => TypeKind::Map(*inner),
                    other => TypeKind::Alias(other),
                }
            }
        };
        if let Some(AllOf::Wrapper(w)) = all_of(self.doc, kw, at, component.is_some())? {
            for extra in &w.extras {
                fill_docs(&mut type_docs, schema_docs(&extra.target.item.schema_data));
            }
        }
        Ok((kind, type_docs))
    }

    /// A schema that needs no name of its own.
    fn plain(
        &mut self,
        kw: &Keywords<'a>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        if kw.not {
            return Err(self.doc.unsupported(at, "`not`", "a schema without `not`"));
        }
        if let [only] = kw.one_of {
            return self.schema_ref(only, &at.push("oneOf").index(0), hint);
        }
        if let [only] = kw.any_of {
            return self.schema_ref(only, &at.push("anyOf").index(0), hint);
        }
        match kw.ty {
            Some(Ty::String) => Ok(TypeRef::Scalar(match kw.format.as_deref() {
                Some("date-time") => Scalar::DateTime,
                Some("date") => Scalar::Date,
                _ => Scalar::String,
            })),
            Some(Ty::Integer) => Ok(TypeRef::Scalar(match kw.format.as_deref() {
                Some("int32") => Scalar::I32,
                _ => Scalar::I64,
            })),
            Some(Ty::Number) => Ok(TypeRef::Scalar(match kw.format.as_deref() {
                Some("float") => Scalar::F32,
                _ => Scalar::F64,
            })),
            Some(Ty::Boolean) => Ok(TypeRef::Scalar(Scalar::Bool)),
            Some(Ty::Array) => {
                let item = match kw.items {
                    Some(items) => self.boxed_ref(items, &at.push("items"), &hint.items())?,
                    None => TypeRef::Json,
                };
                Ok(TypeRef::List(Box::new(item)))
            }
            Some(Ty::Object) | None => match kw.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_at = at.push("additionalProperties");
                    if is_free_form(&self.doc.resolver(), value, &value_at)? {
                        return Ok(TypeRef::JsonObject);
                    }
                    let value = self.schema_ref(value, &value_at, &hint.values())?;
                    Ok(TypeRef::Map(Box::new(value)))
                }
                Some(AdditionalProperties::Any(_)) => Ok(TypeRef::JsonObject),
                None if kw.ty.is_some() => Ok(TypeRef::JsonObject),
                None => Ok(TypeRef::Json),
            },
            // `validate` rejects these (`UnknownSchemaType`); the arm only keeps the match
            // whole.
            Some(Ty::Other(t)) => Err(self.doc.unsupported(
                at,
                format!("`type: {t}`"),
                "one of string, number, integer, boolean, object, array",
            )),
        }
    }
}

impl<'a> Recurse<'a> for Schemas<'a> {
    fn doc(&self) -> Document<'a> {
        self.doc
    }

    fn schema_ref(
        &mut self,
        r: &'a ReferenceOr<Schema>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        match r {
            ReferenceOr::Reference { .. } => {
                let target = self.doc.resolver().schema(r, at)?;
                self.component_ref(&target, at)
            }
            ReferenceOr::Item(s) => self.inline(s, at, hint),
        }
    }

    fn boxed_ref(
        &mut self,
        r: &'a ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
        hint: &Hint,
    ) -> Result<TypeRef, Error> {
        match r {
            ReferenceOr::Reference { .. } => {
                let target = self.doc.resolver().boxed_schema(r, at)?;
                self.component_ref(&target, at)
            }
            ReferenceOr::Item(s) => self.inline(s, at, hint),
        }
    }

    /// A named type when the schema needs one (`hint` names it), a structural type
    /// reference otherwise. Memoized by pointer.
    fn inline(&mut self, s: &'a Schema, at: &JsonPointer, hint: &Hint) -> Result<TypeRef, Error> {
        if let Some(done) = self.inline_cache.get(at) {
            return Ok(done.clone());
        }
        let kw = Keywords::of(s);
        let r = match self.form(&kw, None, at)? {
            Form::Plain => self.plain(&kw, at, hint)?,
            // The member that gives the type, under this schema's name.
            Form::Wrapped(core) => match core.schema {
                ReferenceOr::Reference { .. } => self.component_ref(&core.target, &core.at)?,
                ReferenceOr::Item(inner) => self.inline(inner, &core.at, hint)?,
            },
            _ => {
                let name = self.type_names.derived(hint.base(), at);
                self.derived.insert(name.clone());
                self.define(name.clone(), s, at, None)?;
                TypeRef::Named(name)
            }
        };
        self.inline_cache.insert(at.clone(), r.clone());
        Ok(r)
    }

    fn component_type(&self, key: &str, at: &JsonPointer) -> Result<TypeName, Error> {
        if let (Some(uses), Some(by)) = (&self.uses, &self.current) {
            uses.borrow_mut().push(Use {
                key: key.to_owned(),
                by: by.clone(),
                at: at.clone(),
            });
        }
        if self.absent.contains(key) {
            let target = component_pointer(key);
            return Err(self.doc.error(at, ErrorKind::SkippedDependency { target }));
        }
        self.components.get(key).cloned().ok_or_else(|| {
            self.doc.error(
                at,
                ErrorKind::UnresolvedRef {
                    target: component_pointer(key).to_string(),
                    expected: "a schema under #/components/schemas",
                },
            )
        })
    }

    fn children(&self, key: &str) -> &[&'a str] {
        self.children.get(key).map_or(&[], Vec::as_slice)
    }
}

/// Base component key → the keys of the components whose `allOf` has a `$ref` to it.
fn children(api: &OpenAPI) -> BTreeMap<&str, Vec<&str>> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (key, schema) in sorted_schemas(api) {
        let Some(schema) = schema.as_item() else {
            continue;
        };
        for member in Keywords::of(schema).all_of {
            if let ReferenceOr::Reference { reference } = member {
                if let Some(base) = reference.strip_prefix("#/components/schemas/") {
                    if let Some((base, _)) = api
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
    children
}

/// Schema components sorted by key: component order in the file never matters.
fn sorted_schemas(api: &OpenAPI) -> Vec<(&str, &ReferenceOr<Schema>)> {
    let mut v: Vec<_> = api
        .components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .map(|(k, s)| (k.as_str(), s))
        .collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}
