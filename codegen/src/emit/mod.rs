//! Stage 4, emit: turns the [`Ir`] into one token stream per generated file.
//!
//! Input: a lowered [`Ir`] (every name already decided by `lower::naming`). Output:
//! `(rel_path, TokenStream)` pairs for `mod.rs`, `models.rs`, `unions.rs` and
//! `operations.rs`, in that order; `format` turns each into file text.
//!
//! Emit never invents a name: identifiers come from the IR's name newtypes, and the only
//! other identifiers are fixed locals (`at`, `value`, `spec`, …) that cannot collide with
//! anything from the spec because fields and parameters are always reached through
//! `self.`. The generated code calls only the runtime items listed in
//! `docs/runtime-contract.md`, always by their full `crate::…` path.

mod checks;
mod docs;
mod enums;
mod markdown;
mod models;
mod operations;
mod pagination;
mod request;
mod tyref;
mod unions;

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, ErrorKind};
use crate::ir::{ErrorBody, FieldName, Ir, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;

use checks::Holding;
use docs::DocLines;

/// Emits every file of the generated module, in a fixed order.
///
/// `spec_name` is the file name errors report (as in [`crate::Input::file_name`]). Emission
/// only fails on an IR that `lower` should never produce (an identifier that is not one,
/// a reference to a type that does not exist, an integer rule that is not an integer).
pub fn emit(ir: &Ir, spec_name: &str) -> Result<Vec<(String, TokenStream)>, Error> {
    Ok(vec![
        (
            "mod.rs".to_owned(),
            emit_mod(&Ctx::new(ir, spec_name, Module::Root))?,
        ),
        (
            "models.rs".to_owned(),
            models::emit(&Ctx::new(ir, spec_name, Module::Models))?,
        ),
        (
            "unions.rs".to_owned(),
            unions::emit(&Ctx::new(ir, spec_name, Module::Unions))?,
        ),
        (
            "operations.rs".to_owned(),
            operations::emit(&Ctx::new(ir, spec_name, Module::Operations))?,
        ),
    ])
}

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
enum Use {
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
    fn new(ir: &'a Ir, spec_name: &'a str, here: Module) -> Self {
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
        match self.ir.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Union(_) | TypeKind::Untagged(_)) => Ok(Module::Unions),
            Some(_) => Ok(Module::Models),
            None => Err(self.bug(
                at,
                format!("a reference to type `{name}`, which the IR does not define"),
                "a type in `Ir::types`",
            )),
        }
    }

    /// Wraps the file's items with its inner docs and the `use` items they needed.
    fn finish(&self, docs: DocLines, items: TokenStream) -> TokenStream {
        let docs = docs.inner_attrs();
        let uses: Vec<TokenStream> = self
            .uses
            .borrow()
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
}

/// `mod.rs`: the submodules, the error body type and the default base URL.
fn emit_mod(ctx: &Ctx<'_>) -> Result<TokenStream, Error> {
    let ir = ctx.ir;
    let mut docs = DocLines::new();
    docs.line(format!(
        "Client code generated from {} (API version {}).",
        docs::code(&ir.title),
        docs::code(&ir.version)
    ));
    docs.blank();
    docs.line("Do not edit: run `cargo xtask codegen` to regenerate it from the spec.");

    let root = JsonPointer::root();
    let error_body = match &ir.error_body {
        None => quote! {
            /// The body of a documented error response: the spec names no shared error
            /// schema, so it is kept as raw JSON.
            pub type ErrorBody = serde_json::Value;
        },
        Some(body) => {
            let source = ir.types.get(&body.ty).map_or(&root, |def| &def.source);
            let ty = ctx.named(&body.ty, source)?;
            let mut accessors = TokenStream::new();
            for (field, method) in [
                (&body.code_field, "error_code"),
                (&body.detail_field, "detail"),
            ] {
                if let Some(field) = field {
                    accessors.extend(string_accessor_fn(ctx, body, field, method, source)?);
                }
            }
            let doc = DocLines::from_line(format!(
                "The body of a documented error response ([`{0}`](models::{0})).",
                body.ty
            ))
            .attrs();
            quote! {
                #doc
                pub type ErrorBody = #ty;

                impl crate::error::ApiErrorBody for #ty {
                    #accessors
                }
            }
        }
    };
    let base_url = ir.base_url.as_deref().unwrap_or("http://localhost");
    let base_doc = DocLines::from_line(match ir.base_url {
        Some(_) => "The first server the spec lists: the client's base URL unless its builder sets another.",
        None => "The spec lists no server: the client's base URL unless its builder sets another.",
    })
    .attrs();
    let items = quote! {
        pub mod models;
        pub mod operations;
        pub mod unions;

        #error_body

        #base_doc
        pub(crate) const DEFAULT_BASE_URL: &str = #base_url;
    };
    Ok(ctx.finish(docs, items))
}

/// An `ApiErrorBody` accessor (`error_code`, `detail`) reading one of the body's fields, a
/// string or an open enum.
fn string_accessor_fn(
    ctx: &Ctx<'_>,
    body: &ErrorBody,
    field: &FieldName,
    method: &str,
    source: &JsonPointer,
) -> Result<TokenStream, Error> {
    let Some(f) = models::find_field(ctx, &body.ty, field) else {
        return Err(ctx.bug(
            source,
            format!("`{method}` field `{field}` of `{}`", body.ty),
            "a field of the error body struct",
        ));
    };
    let name = tyref::ident(ctx, field.as_str(), source)?;
    let is_enum = match ctx.resolve(&f.ty) {
        TypeRef::Named(n) => matches!(
            ctx.ir.types.get(n).map(|d| &d.kind),
            Some(TypeKind::Enum(_))
        ),
        _ => false,
    };
    if !is_enum && !ctx.is_string(&f.ty) {
        return Err(ctx.bug(
            &f.source,
            format!("`{method}` field `{field}` of type other than string"),
            "a string or string enum field",
        ));
    }
    let get = match (models::field_holding(f), is_enum) {
        (Holding::Plain, false) => quote!(Some(&self.#name)),
        (Holding::Plain, true) => quote!(Some(self.#name.as_str())),
        (Holding::Option, false) => quote!(self.#name.as_deref()),
        (Holding::Option, true) => quote!(self.#name.as_ref().map(|value| value.as_str())),
        (Holding::DoubleOption, false) => quote!(self.#name.as_ref().and_then(Option::as_deref)),
        (Holding::DoubleOption, true) => {
            quote!(self.#name.as_ref().and_then(Option::as_ref).map(|value| value.as_str()))
        }
    };
    let method = tyref::ident(ctx, method, source)?;
    Ok(quote! {
        fn #method(&self) -> Option<&str> {
            #get
        }
    })
}

#[cfg(test)]
mod tests;
