//! `models.rs`: structs (with a constructor and `Validate`), open enums (in `enums`),
//! maps and aliases, one per named type, in the IR's (name) order. Unions go to
//! `unions.rs`.
//!
//! Structs derive `Debug, Clone, PartialEq, Serialize, Deserialize`, plus `Default` when
//! they have no required field (then `new()` takes no argument, is the runtime's
//! `new_default!`, and `Default` is what clippy's `new_without_default` asks for). Only
//! checked structs (`TypeDef::checked`) implement `Validate`. Unknown JSON properties are ignored when
//! decoding, never rejected: servers add fields.

use std::collections::BTreeMap;
use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::held_checks;
use super::ctx::{ident, Ctx};
use super::docs::{code, summary, tag_pair, type_docs, DocLines};
use super::enums;
use super::holding::{required_both_ways, Holding};
use crate::error::Error;
use crate::ir::{Field, Struct, TypeDef, TypeKind, TypeName, TypeRef};

/// Above this many constructor arguments clippy's `too_many_arguments` fires.
const MAX_ARGS: usize = 7;

/// Which unions hold a struct, under which tag values: (union, tag property, tag value).
type Holders<'a> = BTreeMap<&'a TypeName, Vec<(&'a TypeName, &'a str, &'a str)>>;

/// The items of the types at `range` of `Ir::types` (a run of them, so that runs can be
/// emitted on different threads; see `emit::parts`).
pub(crate) fn items(ctx: &Ctx<'_>, range: Range<usize>) -> Result<TokenStream, Error> {
    let mut holders: Holders<'_> = BTreeMap::new();
    for def in ctx.ir.types.values() {
        if let TypeKind::Union(u) = &def.kind {
            for v in &u.variants {
                holders
                    .entry(&v.ty)
                    .or_default()
                    .push((&def.name, &u.tag, &v.tag_value));
            }
        }
    }
    let mut items = TokenStream::new();
    let run = ctx.ir.types.values().take(range.end).skip(range.start);
    for def in run.filter(|def| ctx.is_here(def)) {
        items.extend(match &def.kind {
            TypeKind::Struct(s) => emit_struct(ctx, def, s, holders.get(&def.name))?,
            TypeKind::Enum(e) => enums::emit_enum(ctx, def, e)?,
            TypeKind::Map(value) => {
                let value = ctx.ty(value, &def.source)?;
                let map = ctx.btree_map(value);
                emit_alias(ctx, def, map, "A map from property names to values.")?
            }
            TypeKind::Alias(target) => {
                let target = ctx.ty(target, &def.source)?;
                emit_alias(ctx, def, target, "")?
            }
            // Emitted into `unions.rs` (`Ctx::is_here` filtered them out).
            TypeKind::Union(_) | TypeKind::Untagged(_) => TokenStream::new(),
        });
    }
    Ok(items)
}

/// The file's inner docs.
pub(crate) fn docs(ctx: &Ctx<'_>) -> DocLines {
    DocLines::from_line(format!(
        "Models of {}: one type per schema, sorted by name.",
        code(&ctx.ir.title)
    ))
}

fn emit_alias(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    target: TokenStream,
    note: &str,
) -> Result<TokenStream, Error> {
    let name = ident(ctx, def.name.as_str(), &def.source)?;
    let mut docs = type_docs(def);
    if !note.is_empty() {
        docs.paragraph([note.to_owned()]);
    }
    docs.link(&def.docs);
    let docs = docs.attrs();
    Ok(quote! {
        #docs
        pub type #name = #target;
    })
}

fn emit_struct(
    ctx: &Ctx<'_>,
    def: &TypeDef,
    s: &Struct,
    holders: Option<&Vec<(&TypeName, &str, &str)>>,
) -> Result<TokenStream, Error> {
    let name = ident(ctx, def.name.as_str(), &def.source)?;
    let mut docs = type_docs(def);
    if let Some(tag) = &s.tag {
        let mut lines: Vec<String> = holders
            .into_iter()
            .flatten()
            .map(|(union, wire, value)| {
                format!(
                    "Variant of [`{union}`](super::unions::{union}) selected by {}.",
                    code(&tag_pair(wire, value))
                )
            })
            .collect();
        lines.push(format!(
            "The union writes the {} property, so this struct does not have it.",
            code(&tag.wire)
        ));
        docs.paragraph(lines);
    }
    docs.link(&def.docs);
    let docs = docs.attrs();

    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut checks = Vec::new();
    for field in &s.fields {
        let f = StructField::new(ctx, field)?;
        fields.push(f.declaration(ctx, field));
        let (arg, init) = f.constructor(ctx, field);
        args.extend(arg);
        inits.push(init);
        checks.push(f.validation(ctx, field)?);
    }
    match (&s.additional, &s.additional_field) {
        (Some(value), Some(field)) => {
            let fname = ident(ctx, field.as_str(), &def.source)?;
            let value_ty = ctx.ty(value, &def.source)?;
            let map = ctx.btree_map(value_ty);
            let docs = DocLines::from_line(
                "Properties the schema does not list (`additionalProperties`), by name.",
            )
            .attrs();
            fields.push(quote! {
                #docs
                #[serde(flatten)]
                pub #fname: #map
            });
            inits.push(quote!(#fname: BTreeMap::new()));
            if ctx.needs_validate(value) {
                checks.push(quote!(self.#fname.validate(at)?;));
            }
        }
        (None, None) => {}
        _ => {
            return Err(ctx.bug(
                &def.source,
                "a struct with only one of `additional` and `additional_field`".to_owned(),
                "both or neither",
            ))
        }
    }

    let is_default = args.is_empty();
    let derives = if is_default {
        quote!(#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
    };
    let new = if is_default {
        quote!(crate::__private::new_default!(#name);)
    } else {
        let new_doc = DocLines::from_line(if args.len() == s.fields.len() {
            "Creates a value from its fields."
        } else {
            "Creates a value from its required fields; the optional ones start as `None`."
        })
        .attrs();
        let allow = (args.len() > MAX_ARGS).then(|| {
            quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required property")])
        });
        quote! {
            impl #name {
                #new_doc
                #allow
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    };
    let has_checks = checks.iter().any(|c| !c.is_empty());
    let validate = match (def.checked, has_checks) {
        (true, true) => quote! {
            impl crate::validate::Validate for #name {
                fn validate(&self, at: &crate::validate::Path<'_>) -> Result<(), crate::Error> {
                    #(#checks)*
                    Ok(())
                }
            }
        },
        (false, false) => TokenStream::new(),
        (checked, _) => {
            return Err(ctx.bug(
                &def.source,
                format!("lowering marked the struct checked: {checked}, but its fields disagree"),
                "the checks of `lower::checked`",
            ))
        }
    };
    Ok(quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields),*
        }

        #new

        #validate
    })
}

/// One field, with the pieces every part of the struct's emission needs.
struct StructField {
    name: proc_macro2::Ident,
    /// Required on the wire in both directions (see [`required_both_ways`]).
    required: bool,
    holding: Holding,
    /// The field's type without `Box` or `Option`s.
    ty: TokenStream,
    /// The type inside the `Option`s (with its `Box`).
    inner: TokenStream,
}

impl StructField {
    fn new(ctx: &Ctx<'_>, f: &Field) -> Result<Self, Error> {
        let name = ident(ctx, f.rust.as_str(), &f.source)?;
        let ty = ctx.ty(&f.ty, &f.source)?;
        let inner = if f.boxed {
            quote!(Box<#ty>)
        } else {
            ty.clone()
        };
        Ok(Self {
            name,
            required: required_both_ways(f),
            holding: Holding::of_field(f),
            ty,
            inner,
        })
    }

    fn declaration(&self, ctx: &Ctx<'_>, f: &Field) -> TokenStream {
        let Self { name, inner, .. } = self;
        let ty = match self.holding {
            Holding::Plain => inner.clone(),
            Holding::Option => quote!(Option<#inner>),
            Holding::DoubleOption => quote!(Option<Option<#inner>>),
        };
        let mut serde = Vec::new();
        if f.wire != f.rust.as_str() {
            let wire = &f.wire;
            serde.push(quote!(rename = #wire));
        }
        if !self.required {
            serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
        }
        if self.holding == Holding::DoubleOption {
            serde.push(quote!(deserialize_with = "crate::__private::double_option"));
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        let docs = field_docs(ctx, f, self.required).attrs();
        quote! {
            #docs
            #serde
            pub #name: #ty
        }
    }

    /// The constructor argument (required fields only) and the field initialiser.
    fn constructor(&self, ctx: &Ctx<'_>, f: &Field) -> (Option<TokenStream>, TokenStream) {
        let Self {
            name, ty, inner, ..
        } = self;
        if !self.required {
            return (None, quote!(#name: None));
        }
        if f.nullable {
            return (Some(quote!(#name: Option<#inner>)), quote!(#name));
        }
        if f.boxed {
            return (Some(quote!(#name: #ty)), quote!(#name: Box::new(#name)));
        }
        if ctx.is_string(&f.ty) {
            return (
                Some(quote!(#name: impl Into<String>)),
                quote!(#name: #name.into()),
            );
        }
        (Some(quote!(#name: #inner)), quote!(#name))
    }

    /// The field's checks inside `Validate::validate`.
    fn validation(&self, ctx: &Ctx<'_>, f: &Field) -> Result<TokenStream, Error> {
        let name = &self.name;
        let wire = &f.wire;
        let place = quote!(self.#name);
        let checks = held_checks(ctx, &f.rules, &f.ty, self.holding, place, &f.source)?;
        let recurse = ctx.needs_validate(&f.ty);
        Ok(match (checks.is_empty(), recurse) {
            (true, false) => TokenStream::new(),
            (true, true) => quote!(self.#name.validate(&crate::validate::Path::Field(at, #wire))?;),
            (false, recurse) => {
                let recurse = recurse.then(|| quote!(self.#name.validate(at)?;));
                quote! {
                    {
                        let at = &crate::validate::Path::Field(at, #wire);
                        #checks
                        #recurse
                    }
                }
            }
        })
    }
}

/// A field's docs: spec text, rules, how `None` behaves, access flags, link.
fn field_docs(ctx: &Ctx<'_>, f: &Field, required: bool) -> DocLines {
    let mut docs = DocLines::new();
    docs.spec(&f.docs);
    if docs.is_empty() {
        // No text of its own: the summary of the type it holds says what it is.
        let held = match &f.ty {
            TypeRef::List(item) => item.as_ref(),
            ty => ty,
        };
        let held = match held {
            TypeRef::Named(name) => ctx.ir.types.get(name),
            _ => None,
        };
        docs.paragraph(held.map(|def| summary(&def.docs)).unwrap_or_default());
    }
    if docs.is_empty() {
        docs.line(format!("The {} property.", code(&f.wire)));
    }
    docs.rules(&f.rules);
    let mut notes = Vec::new();
    match (required, f.nullable) {
        (false, true) => notes.push(
            "`None` leaves the property out; `Some(None)` sends an explicit `null`.".to_owned(),
        ),
        (true, true) => notes.push("Always sent; `None` is sent as `null`.".to_owned()),
        _ => {}
    }
    // A required property that travels one way only is optional here (`required_both_ways`).
    let one_way = if f.required {
        ", so it is optional here though the spec requires it"
    } else {
        ""
    };
    if f.read_only {
        notes.push(format!(
            "Read-only: set by the server and ignored in requests{one_way}."
        ));
    }
    if f.write_only {
        notes.push(format!(
            "Write-only: sent in requests and never returned{one_way}."
        ));
    }
    if f.deprecated {
        notes.push("**Deprecated** in the spec.".to_owned());
    }
    if let Some(r) = &f.renamed {
        notes.push(format!(
            "Named {}: property {} would be {}, the field of property {}.",
            code(f.rust.as_str()),
            code(&r.wire),
            code(&r.plain),
            code(&r.holder)
        ));
    }
    docs.paragraph(notes);
    docs.link(&f.docs);
    docs
}
