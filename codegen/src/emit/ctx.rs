//! The emission context of one generated file: the IR, which file it is (that decides how
//! a type is named from here), the `use` items the file needs; and the IR → token helpers
//! every emitter shares: type references, identifiers and literals (`500`, never `500u64`).

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::DocLines;
use crate::error::{Error, ErrorKind};
use crate::ir::{Field, FieldName, Ir, Scalar, TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;

/// The generated file being emitted: decides how a type is named from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Module {
    Root,
    Models,
    Unions,
    Operations,
}

/// A `use` item the file needs, recorded while emitting and written at the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Use {
    BTreeMap,
    Models,
    Unions,
    /// `crate::encode::ToParam as _`, for `.to_param()`.
    ToParam,
    /// `crate::validate::Validate as _`, for `.validate(at)`.
    Validate,
}

/// Everything one file's emission needs: the IR, where we are, and which imports were used.
pub(crate) struct Ctx<'a> {
    pub(crate) ir: &'a Ir,
    spec_name: &'a str,
    here: Module,
    uses: RefCell<BTreeSet<Use>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(ir: &'a Ir, spec_name: &'a str, here: Module) -> Self {
        Self {
            ir,
            spec_name,
            here,
            uses: RefCell::new(BTreeSet::new()),
        }
    }

    fn use_(&self, item: Use) {
        self.uses.borrow_mut().insert(item);
    }

    /// Records that the file calls `.to_param()`.
    pub(crate) fn uses_to_param(&self) {
        self.use_(Use::ToParam);
    }

    /// Records that the file calls `.validate(at)` outside a `Validate` impl (inside one,
    /// the trait is in scope already and the import would be unused).
    pub(crate) fn uses_validate(&self) {
        self.use_(Use::Validate);
    }

    /// An error for an IR that lowering should not have produced, at `pointer`.
    pub(crate) fn bug(&self, pointer: &JsonPointer, construct: String, expected: &str) -> Error {
        Error::new(
            self.spec_name,
            pointer.clone(),
            ErrorKind::Unsupported {
                construct,
                expected: expected.to_owned(),
            },
        )
    }

    /// The module a named type is emitted into.
    pub(crate) fn module_of(&self, name: &TypeName, at: &JsonPointer) -> Result<Module, Error> {
        match self.ir.types.get(name) {
            Some(def) => Ok(module_of_def(def)),
            None => Err(self.bug(
                at,
                format!("a reference to type `{name}`, which the IR does not define"),
                "a type in `Ir::types`",
            )),
        }
    }

    /// Whether `def` is emitted into the file being emitted.
    pub(crate) fn is_here(&self, def: &TypeDef) -> bool {
        module_of_def(def) == self.here
    }

    /// The field of struct `ty` by Rust name (pagination and the error body read fields).
    pub(crate) fn field(&self, ty: &TypeName, name: &FieldName) -> Option<&'a Field> {
        match &self.ir.types.get(ty)?.kind {
            TypeKind::Struct(s) => s.fields.iter().find(|f| f.rust == *name),
            _ => None,
        }
    }

    /// The `use` items this context's emission needed so far.
    pub(crate) fn take_uses(&self) -> BTreeSet<Use> {
        self.uses.take()
    }

    /// Wraps the file's items with its inner docs and the `use` items they needed.
    pub(crate) fn finish(&self, docs: DocLines, items: TokenStream) -> TokenStream {
        finish(docs, &self.uses.borrow(), items)
    }
}

/// A file's inner docs, then its `use` items, then its items.
pub(crate) fn finish(docs: DocLines, uses: &BTreeSet<Use>, items: TokenStream) -> TokenStream {
    let docs = docs.inner_attrs();
    let uses: Vec<TokenStream> = uses
        .iter()
        .map(|u| match u {
            Use::BTreeMap => quote!(
                use std::collections::BTreeMap;
            ),
            Use::Models => quote!(
                use super::models;
            ),
            Use::Unions => quote!(
                use super::unions;
            ),
            Use::ToParam => quote!(
                use crate::encode::ToParam as _;
            ),
            Use::Validate => quote!(
                use crate::validate::Validate as _;
            ),
        })
        .collect();
    quote! {
        #docs
        #(#uses)*
        #items
    }
}

/// The module a type definition is emitted into: unions in `unions.rs`, every other named
/// type in `models.rs`. The one place that decides it.
fn module_of_def(def: &TypeDef) -> Module {
    match def.kind {
        TypeKind::Union(_) | TypeKind::Untagged(_) => Module::Unions,
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Map(_) | TypeKind::Alias(_) => {
            Module::Models
        }
    }
}

/// How many alias hops `resolve` follows before giving up (a cycle of aliases).
const MAX_ALIAS_DEPTH: usize = 32;

/// An identifier from an IR name. Lowering guarantees validity; a violation is reported as
/// an error at `at` rather than the panic `Ident::new` would raise.
pub(crate) fn ident(ctx: &Ctx<'_>, name: &str, at: &JsonPointer) -> Result<Ident, Error> {
    syn::parse_str::<Ident>(name).map_err(|_| {
        ctx.bug(
            at,
            format!("`{name}` as a Rust identifier"),
            "a non-keyword identifier chosen by `lower::naming`",
        )
    })
}

/// An integer literal without suffix; negative values become a negation expression.
pub(crate) fn int_lit(value: i64) -> TokenStream {
    let abs = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#abs)
    } else {
        quote!(#abs)
    }
}

/// A float literal without suffix (`0.5`, `1.0`).
pub(crate) fn float_lit(ctx: &Ctx<'_>, value: f64, at: &JsonPointer) -> Result<TokenStream, Error> {
    if !value.is_finite() {
        return Err(ctx.bug(at, format!("the bound {value}"), "a finite number"));
    }
    let abs = Literal::f64_unsuffixed(value.abs());
    Ok(if value.is_sign_negative() {
        quote!(-#abs)
    } else {
        quote!(#abs)
    })
}

/// A JSON number used as a bound or default of an integer: lowering made every such
/// number an `i64` (`rules::integer_bounds`).
pub(crate) fn int_bound(
    ctx: &Ctx<'_>,
    number: &serde_json::Number,
    at: &JsonPointer,
) -> Result<i64, Error> {
    number.as_i64().ok_or_else(|| {
        ctx.bug(
            at,
            format!("the bound {number} on an integer"),
            "an integer bound within the range of i64",
        )
    })
}

impl Ctx<'_> {
    /// The path of a named type as seen from the file being emitted.
    pub(crate) fn named(&self, name: &TypeName, at: &JsonPointer) -> Result<TokenStream, Error> {
        let there = self.module_of(name, at)?;
        let id = ident(self, name.as_str(), at)?;
        if there == self.here {
            return Ok(quote!(#id));
        }
        let (module, item) = match there {
            Module::Unions => (quote!(unions), Use::Unions),
            _ => (quote!(models), Use::Models),
        };
        // `mod.rs` is the parent of both modules: no `use` needed there.
        if self.here != Module::Root {
            self.use_(item);
        }
        Ok(quote!(#module::#id))
    }

    /// The Rust type of a type reference.
    pub(crate) fn ty(&self, r: &TypeRef, at: &JsonPointer) -> Result<TokenStream, Error> {
        Ok(match r {
            TypeRef::Named(name) => self.named(name, at)?,
            TypeRef::Scalar(s) => scalar(*s),
            TypeRef::List(inner) => {
                let inner = self.ty(inner, at)?;
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner, at)?;
                self.btree_map(inner)
            }
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        })
    }

    /// `BTreeMap<String, #value>`, importing `BTreeMap`.
    pub(crate) fn btree_map(&self, value: TokenStream) -> TokenStream {
        self.use_(Use::BTreeMap);
        quote!(BTreeMap<String, #value>)
    }

    /// Follows aliases (`type Foo = String`) to the type they stand for.
    pub(crate) fn resolve<'r>(&'r self, mut r: &'r TypeRef) -> &'r TypeRef {
        for _ in 0..MAX_ALIAS_DEPTH {
            match r {
                TypeRef::Named(name) => match self.ir.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => r = target,
                    _ => return r,
                },
                _ => return r,
            }
        }
        r
    }

    /// Whether values of this type can fail validation, so a `.validate(at)` call is
    /// worth emitting: lowering marked the type checked (`TypeDef::checked`).
    pub(crate) fn needs_validate(&self, r: &TypeRef) -> bool {
        r.is_checked(&self.ir.types)
    }

    /// Whether a type (through aliases) is `String`, so arguments can take
    /// `impl Into<String>`.
    pub(crate) fn is_string(&self, r: &TypeRef) -> bool {
        matches!(self.resolve(r), TypeRef::Scalar(Scalar::String))
    }
}

/// The Rust type of a scalar.
fn scalar(s: Scalar) -> TokenStream {
    match s {
        Scalar::String => quote!(String),
        Scalar::Bool => quote!(bool),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::F32 => quote!(f32),
        Scalar::F64 => quote!(f64),
        Scalar::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Scalar::Date => quote!(chrono::NaiveDate),
        Scalar::Bytes => quote!(bytes::Bytes),
        Scalar::File => quote!(crate::FilePart),
        Scalar::Form => quote!(crate::multipart::Form),
    }
}

/// How a type reads in docs (`Vec<String>`, `Circle`): the Rust type without module paths.
pub(crate) fn type_label(r: &TypeRef) -> String {
    match r {
        TypeRef::Named(name) => name.to_string(),
        TypeRef::Scalar(s) => scalar(*s).to_string().replace(' ', ""),
        TypeRef::List(inner) => format!("Vec<{}>", type_label(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_label(inner)),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".to_owned(),
    }
}
