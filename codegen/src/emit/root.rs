//! `mod.rs` of the generated module: the submodules (`security` among them), the shared error body type (with its
//! `crate::error::ApiErrorBody` impl) and the default base URL.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{ident, Ctx};
use super::docs::{self, DocLines};
use super::holding::Holding;
use crate::error::Error;
use crate::ir::{ErrorBody, ErrorText, TextKind};
use crate::pointer::JsonPointer;

/// `mod.rs`: the submodules, the error body type and the default base URL.
pub(crate) fn emit(ctx: &Ctx<'_>) -> Result<TokenStream, Error> {
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
        pub mod security;
        pub mod unions;

        #error_body

        #base_doc
        pub(crate) const DEFAULT_BASE_URL: &str = #base_url;
    };
    Ok(ctx.finish(docs, items))
}

/// An `ApiErrorBody` accessor (`error_code`, `detail`) reading the field lowering chose:
/// a string or an open enum.
fn string_accessor_fn(
    ctx: &Ctx<'_>,
    body: &ErrorBody,
    text: &ErrorText,
    method: &str,
    source: &JsonPointer,
) -> Result<TokenStream, Error> {
    let Some(f) = ctx.field(&body.ty, &text.field) else {
        return Err(ctx.bug(
            source,
            format!("`{method}` field `{}` of `{}`", text.field, body.ty),
            "a field of the error body struct",
        ));
    };
    let name = ident(ctx, text.field.as_str(), source)?;
    let is_enum = text.kind == TextKind::Enum;
    let get = match (Holding::of_field(f), is_enum) {
        (Holding::Plain, false) => quote!(Some(&self.#name)),
        (Holding::Plain, true) => quote!(Some(self.#name.as_str())),
        (Holding::Option, false) => quote!(self.#name.as_deref()),
        (Holding::Option, true) => quote!(self.#name.as_ref().map(|value| value.as_str())),
        (Holding::DoubleOption, false) => quote!(self.#name.as_ref().and_then(Option::as_deref)),
        (Holding::DoubleOption, true) => {
            quote!(self.#name.as_ref().and_then(Option::as_ref).map(|value| value.as_str()))
        }
    };
    let method = ident(ctx, method, source)?;
    Ok(quote! {
        fn #method(&self) -> Option<&str> {
            #get
        }
    })
}
