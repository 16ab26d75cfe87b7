//! `operations.rs`: one `Client` method per operation, returning a request builder with
//! the required parameters already set; the builder has a setter per optional parameter
//! (and for the body when optional, and the API version when there are several), `send`,
//! `send_with_response` (in `request`) and, for list operations, `into_stream`.
//!
//! Builders only fill a `crate::client::RequestSpec`: encoding, auth, retries and error
//! decoding are the runtime's. Deprecated operations mark the method and the builder
//! `#[deprecated]`; the builder's own impls allow that, so the crate itself builds without
//! warnings.

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{ident, Ctx};
use super::docs::{code, list_item, summary, DocLines};
use super::op_ctx::OpCtx;
use super::{pagination, request, versions};
use crate::error::Error;
use crate::ir::{NameOrigin, Operation, Param, ParamLocation};

/// Above this many function arguments clippy's `too_many_arguments` fires; it counts a
/// method's `&self`.
const MAX_ARGS: usize = 7;

/// The items of `operations.rs` for the operations at these positions of
/// `Ir::operations`: one `impl Client` block with their methods, then their builders. A
/// page type's `Page` impl goes with the first operation that returns it.
pub(crate) fn items(ctx: &Ctx<'_>, range: Range<usize>) -> Result<TokenStream, Error> {
    let mut methods = TokenStream::new();
    let mut items = TokenStream::new();
    let mut pages = BTreeSet::new();
    for (at, op) in ctx.ir.operations.iter().enumerate().take(range.end) {
        let page = op.pagination.as_ref().filter(|p| pages.insert(&p.page_ty));
        if at < range.start {
            continue;
        }
        let op_ctx = OpCtx::new(ctx, op)?;
        methods.extend(client_method(&op_ctx)?);
        items.extend(versions::version_enum(&op_ctx)?);
        items.extend(builder(&op_ctx)?);
        if let Some(p) = page {
            items.extend(pagination::page_impl(ctx, op, p)?);
        }
    }
    let methods = (!methods.is_empty()).then(|| {
        quote! {
            impl crate::client::Client {
                #methods
            }
        }
    });
    Ok(quote!(#methods #items))
}

/// The inner docs of `operations.rs`.
pub(crate) fn docs() -> DocLines {
    DocLines::from_line(
        "Operations: one `Client` method per operation, returning a request builder; sorted by operation id.",
    )
}

fn client_method(o: &OpCtx<'_, '_>) -> Result<TokenStream, Error> {
    let (ctx, op) = (o.ctx, o.op);
    let method = ident(ctx, op.method_name.as_str(), &op.source)?;
    let builder = &o.builder;
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &op.params {
        let name = o.param_ident(p)?;
        if !p.required {
            inits.push(quote!(#name: None));
            continue;
        }
        let ty = ctx.ty(&p.ty, &p.source)?;
        if ctx.is_string(&p.ty) {
            args.push(quote!(#name: impl Into<String>));
            inits.push(quote!(#name: #name.into()));
        } else {
            args.push(quote!(#name: #ty));
            inits.push(quote!(#name));
        }
        arg_docs.extend(arg_doc(p.rust.as_str(), &p.docs, Some(p)));
    }
    if let Some(body) = &op.body {
        if body.required {
            let ty = ctx.ty(&body.ty, &body.source)?;
            // Raw bytes: `Bytes` converts from `String`, `Vec<u8>`, `&'static str`…
            if body.raw_media.is_some() {
                args.push(quote!(body: impl Into<#ty>));
                inits.push(quote!(body: body.into()));
            } else {
                args.push(quote!(body: #ty));
                inits.push(quote!(body));
            }
            let mut docs = body.docs.clone();
            if docs.title.is_none() && docs.description.is_none() {
                docs.description = Some("The request body.".to_owned());
            }
            arg_docs.extend(arg_doc("body", &docs, None));
        } else {
            inits.push(quote!(body: None));
        }
    }
    if let (Some(enum_name), Some(default)) = (&op.version_enum, versions::default_version(op)) {
        let enum_name = ident(ctx, enum_name.as_str(), &op.source)?;
        let variant = ident(ctx, default.rust.as_str(), &op.source)?;
        inits.push(quote!(version: #enum_name::#variant));
    }

    let mut docs = DocLines::new();
    docs.spec(&op.docs);
    if docs.is_empty() {
        docs.line(format!("Calls the {} operation.", code(&op.id)));
    }
    docs.paragraph([o.route()]);
    if let Some(origin) = &op.name_origin {
        docs.paragraph([name_origin(op, origin)]);
    }
    if let Some(d) = &op.deprecated {
        docs.text(&deprecated_line(&d.note));
    }
    if !arg_docs.is_empty() {
        docs.paragraph(["# Arguments".to_owned()]);
        docs.paragraph(arg_docs);
    }
    docs.paragraph([format!(
        "Returns the [`{}`] request builder: {}",
        op.builder_name,
        if has_setters(op) {
            "set optional parameters on it, then `send` it."
        } else {
            "`send` it to make the request."
        }
    )]);
    docs.link(&op.docs);
    let docs = docs.attrs();
    let deprecated = o.deprecated_attr();
    let allow_deprecated = &o.allow_deprecated;
    // `args` leaves out `&self`, which clippy counts.
    let allow_args = (args.len() + 1 > MAX_ARGS).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required parameter")])
    });
    Ok(quote! {
        #docs
        #deprecated
        #allow_deprecated
        #allow_args
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.clone(),
                #(#inits,)*
            }
        }
    })
}

fn builder(o: &OpCtx<'_, '_>) -> Result<TokenStream, Error> {
    let (ctx, op) = (o.ctx, o.op);
    let builder = &o.builder;
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = o.param_ident(p)?;
        let ty = ctx.ty(&p.ty, &p.source)?;
        if p.required {
            fields.push(quote!(#name: #ty));
            continue;
        }
        fields.push(quote!(#name: Option<#ty>));
        let (arg, value) = if ctx.is_string(&p.ty) {
            (quote!(impl Into<String>), quote!(value.into()))
        } else {
            (ty, quote!(value))
        };
        let docs = setter_docs(p).attrs();
        let deprecated = (p.deprecated && !is_page_param(op, p))
            .then(|| quote!(#[deprecated(note = "deprecated in the spec")]));
        setters.push(quote! {
            #docs
            #deprecated
            pub fn #name(mut self, value: #arg) -> Self {
                self.#name = Some(#value);
                self
            }
        });
    }
    if let Some(body) = &op.body {
        let ty = ctx.ty(&body.ty, &body.source)?;
        if body.required {
            fields.push(quote!(body: #ty));
        } else {
            fields.push(quote!(body: Option<#ty>));
            let mut docs = DocLines::new();
            docs.text(
                body.docs
                    .description
                    .as_deref()
                    .unwrap_or("The request body."),
            );
            let docs = docs.attrs();
            let (arg, value) = if body.raw_media.is_some() {
                (quote!(impl Into<#ty>), quote!(value.into()))
            } else {
                (ty.clone(), quote!(value))
            };
            setters.push(quote! {
                #docs
                pub fn body(mut self, value: #arg) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
        }
    }
    if let Some(name) = &op.version_enum {
        let name = ident(ctx, name.as_str(), &op.source)?;
        fields.push(quote!(version: #name));
        let doc = DocLines::from_line(format!(
            "Selects the API version (the media type sent); see [`{name}`] for the default."
        ))
        .attrs();
        setters.push(quote! {
            #doc
            pub fn version(mut self, value: #name) -> Self {
                self.version = value;
                self
            }
        });
    }

    let mut docs = DocLines::from_line(format!(
        "Request builder for [`Client::{0}`](crate::client::Client::{0}): {1}.",
        op.method_name,
        o.route()
    ));
    if let Some(d) = &op.deprecated {
        docs.text(&deprecated_line(&d.note));
    }
    let docs = docs.attrs();
    let deprecated = o.deprecated_attr();
    let allow = &o.allow_deprecated;
    let send = request::send_methods(o)?;
    let stream = pagination::into_stream(o)?;
    let methods = (!setters.is_empty() || !stream.is_empty()).then(|| {
        quote! {
            #allow
            impl #builder {
                #(#setters)*
                #stream
            }
        }
    });
    Ok(quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until `send` is awaited"]
        #deprecated
        pub struct #builder {
            client: crate::client::Client,
            #(#fields,)*
        }

        #methods

        #send
    })
}

/// `**Deprecated:** note.` (the note ends with a period in the docs, not in the attribute).
fn deprecated_line(note: &str) -> String {
    let stop = if note.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    format!("**Deprecated:** {note}{stop}")
}

/// Whether the builder has setters: optional parameters, an optional body, or versions.
fn has_setters(op: &Operation) -> bool {
    op.params.iter().any(|p| !p.required)
        || op.body.as_ref().is_some_and(|b| !b.required)
        || op.version_enum.is_some()
}

/// Whether `p` is the page-number parameter that `into_stream` sets.
fn is_page_param(op: &Operation, p: &Param) -> bool {
    op.pagination
        .as_ref()
        .is_some_and(|pg| pg.page_param == p.rust)
}

/// One `- `name`: summary` item of a method's `# Arguments`, wrapped.
fn arg_doc(name: &str, docs: &crate::ir::Docs, p: Option<&Param>) -> Vec<String> {
    let first: Vec<String> = summary(docs)
        .into_iter()
        .map(|l| l.trim().to_owned())
        .collect();
    let mut line = format!("- `{name}`");
    if let Some(p) = p {
        if p.rust.as_str() != p.wire || p.location != ParamLocation::Path {
            line.push_str(&format!(" ({} {})", code(&p.wire), location(p.location)));
        }
    }
    if !first.is_empty() {
        line.push_str(": ");
        line.push_str(&first.join(" "));
    }
    list_item(&line)
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "in the path",
        ParamLocation::Query => "in the query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// A setter's docs: the parameter's text, rules and where it is sent.
fn setter_docs(p: &Param) -> DocLines {
    let mut docs = DocLines::new();
    docs.spec(&p.docs);
    if docs.is_empty() {
        docs.line(format!("Sets the {} parameter.", code(&p.wire)));
    }
    docs.rules(&p.rules);
    let sent = match p.location {
        ParamLocation::Path => format!("Sent in the path as {}.", code(&p.wire)),
        ParamLocation::Query => format!("Sent as the {} query parameter.", code(&p.wire)),
        ParamLocation::Header => format!("Sent as the {} header.", code(&p.wire)),
        ParamLocation::Cookie => format!("Sent as the {} cookie.", code(&p.wire)),
    };
    docs.paragraph([sent]);
    if p.deprecated {
        docs.paragraph(["**Deprecated** in the spec.".to_owned()]);
    }
    docs.link(&p.docs);
    docs
}

/// Where the method's name comes from, when not plainly from the operationId.
fn name_origin(op: &Operation, origin: &NameOrigin) -> String {
    let method = code(op.method_name.as_str());
    match origin {
        NameOrigin::Route => {
            "Named after its method and path: the spec gives it no operationId.".to_owned()
        }
        NameOrigin::Renamed(r) => format!(
            "Named {method}: operationId {} would be {}, the method of {}.",
            code(&r.wire),
            code(&r.plain),
            code(&r.holder)
        ),
        NameOrigin::RenamedRoute(r) => format!(
            "Named {method} after its method and path (the spec gives it no operationId): \
             {} is the method of {}.",
            code(&r.plain),
            code(&r.holder)
        ),
    }
}
