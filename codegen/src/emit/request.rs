//! The builder methods that talk to the runtime: `send` and `send_with_response`, which
//! validate every argument, then fill a `crate::client::RequestSpec` and execute it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::checks::held_checks;
use super::ctx::ident;
use super::docs::{code, DocLines};
use super::holding::Holding;
use super::op_ctx::OpCtx;
use super::versions::media_expr;
use crate::error::Error;
use crate::ir::{HttpMethod, Param, ParamLocation, Segment, StatusSpec, TypeKind, TypeRef};

/// `send` and `send_with_response`.
pub(crate) fn send_methods(o: &OpCtx<'_, '_>) -> Result<TokenStream, Error> {
    let (ctx, op) = (o.ctx, o.op);
    let redirect = matches!(op.ok.status, StatusSpec::Code(300..=399));
    let (ok_ty, execute) = match (&op.ok.ty, &op.ok.raw_media) {
        (Some(ty), _) => (ctx.ty(ty, &op.source)?, quote!(execute)),
        (None, Some(_)) => (quote!(bytes::Bytes), quote!(execute_bytes)),
        (None, None) if redirect => (quote!(()), quote!(execute_redirect)),
        (None, None) => (quote!(()), quote!(execute_empty)),
    };
    let status = match op.ok.status {
        StatusSpec::Code(code) => format!("`{code}`"),
        StatusSpec::Range(d) => format!("`{d}XX`"),
        StatusSpec::Default => "success".to_owned(),
    };
    let send_doc = DocLines::from_line(match (&op.ok.ty, &op.ok.raw_media) {
        (Some(_), _) => format!("Sends the request and returns the decoded {status} body."),
        (None, Some(media)) => format!(
            "Sends the request and returns the {status} body as is ({}).",
            code(media)
        ),
        (None, None) if redirect => format!(
            "Sends the request; the {status} redirect is not followed: its `Location` is in the headers of `send_with_response`."
        ),
        (None, None) => format!("Sends the request; the {status} response has no body."),
    })
    .attrs();
    let mut checks = Vec::new();
    for p in &op.params {
        checks.push(param_checks(o, p)?);
    }
    if let Some(body) = &op.body {
        if ctx.needs_validate(&body.ty) {
            ctx.uses_validate();
            checks.push(quote!(self.body.validate(&crate::validate::Path::Body)?;));
        }
    }
    let mut with_response = DocLines::from_line(
        "Sends the request and returns the body with the response's status and headers.",
    );
    if checks.iter().any(|c| !c.is_empty()) {
        with_response.paragraph([
            "Arguments are checked against the spec's rules first: a value they reject is an error before anything is sent (unless the client was built with `validate_arguments(false)`).".to_owned(),
        ]);
    }
    let with_response = with_response.attrs();
    let checks = if checks.iter().all(TokenStream::is_empty) {
        TokenStream::new()
    } else {
        quote! {
            if self.client.validates_arguments() {
                #(#checks)*
            }
        }
    };

    let media = media_expr(op);
    let accept = match &op.ok.raw_media {
        Some(raw) => quote!(#raw),
        None => media.clone(),
    };
    let path = path_parts(o)?;
    let (query_stmts, query) = pairs(o, ParamLocation::Query, quote!(query))?;
    let (header_stmts, headers) = pairs(o, ParamLocation::Header, quote!(headers))?;
    let path = quote!(Vec::from([#(#path),*]));
    let body = match &op.body {
        None => quote!(None),
        Some(b) if b.raw_media.is_some() => {
            let content_type = b.raw_media.as_deref().unwrap_or_default();
            let make = quote!(crate::client::Body { content_type: #content_type, bytes });
            if b.required {
                quote!({ let bytes = self.body; Some(#make) })
            } else {
                quote!(self.body.map(|bytes| #make))
            }
        }
        Some(b) if b.required => quote!(Some(crate::codec::json_body(#media, &self.body)?)),
        Some(_) => quote! {
            self.body
                .as_ref()
                .map(|body| crate::codec::json_body(#media, body))
                .transpose()?
        },
    };
    let op_id = &op.id;
    let method = http_method(op.http_method);
    let statuses = op.errors.iter().filter_map(|r| match r.status {
        StatusSpec::Code(c) => Some(Literal::u16_unsuffixed(c)),
        _ => None,
    });
    let default_error = op
        .errors
        .iter()
        .any(|r| !matches!(r.status, StatusSpec::Code(_)));
    Ok(quote! {
        #send_doc
        pub async fn send(self) -> Result<#ok_ty, crate::Error> {
            self.send_with_response().await.map(crate::client::Response::into_body)
        }

        #with_response
        pub async fn send_with_response(self) -> Result<crate::client::Response<#ok_ty>, crate::Error> {
            #checks
            #query_stmts
            #header_stmts
            let spec = crate::client::RequestSpec {
                operation_id: #op_id,
                method: #method,
                path: #path,
                #query,
                #headers,
                accept: #accept,
                body: #body,
                error_statuses: &[#(#statuses),*],
                default_error: #default_error,
            };
            self.client.#execute(spec).await
        }
    })
}

/// The checks of one parameter, at `Path::Param("wire")`.
///
/// A path parameter whose `pattern` mentions `%` is tested as it travels, percent-encoded
/// as one segment: such a pattern describes the encoded form (Atlas's Azure private endpoint
/// id is `^%2[fF]subscriptions%2[fF]…`), while the client takes values raw and encodes them
/// itself (a raw `/subscriptions/…` must pass). Other patterns describe the value itself.
fn param_checks(o: &OpCtx<'_, '_>, p: &Param) -> Result<TokenStream, Error> {
    let ctx = o.ctx;
    let name = o.param_ident(p)?;
    let holding = if p.required {
        Holding::Plain
    } else {
        Holding::Option
    };
    let mut rules = p.rules.clone();
    let mut checks = TokenStream::new();
    if p.location == ParamLocation::Path && p.required && ctx.is_string(&p.ty) {
        let (encoded, plain): (Vec<String>, Vec<String>) = std::mem::take(&mut rules.patterns)
            .into_iter()
            .partition(|pattern| pattern.contains('%'));
        rules.patterns = plain;
        for pattern in encoded {
            checks.extend(quote! {
                crate::__private::pattern(
                    at,
                    &crate::encode::encode_path_segment(&self.#name),
                    #pattern,
                )?;
            });
        }
    }
    checks.extend(held_checks(
        ctx,
        &rules,
        &p.ty,
        holding,
        quote!(self.#name),
        &p.source,
    )?);
    let recurse = ctx.needs_validate(&p.ty);
    if recurse {
        ctx.uses_validate();
    }
    if checks.is_empty() && !recurse {
        return Ok(checks);
    }
    let wire = &p.wire;
    let recurse = recurse.then(|| quote!(self.#name.validate(at)?;));
    Ok(quote! {
        {
            let at = &crate::validate::Path::Param(#wire);
            #checks
            #recurse
        }
    })
}

fn path_parts(o: &OpCtx<'_, '_>) -> Result<Vec<TokenStream>, Error> {
    let mut parts = Vec::new();
    for segment in &o.op.path.segments {
        parts.push(match segment {
            Segment::Literal(text) => quote!(crate::client::PathPart::Literal(#text)),
            Segment::Param { rust, .. } => {
                let name = ident(o.ctx, rust.as_str(), &o.op.source)?;
                o.ctx.uses_to_param();
                quote!(crate::client::PathPart::Param(self.#name.to_param()))
            }
        });
    }
    Ok(parts)
}

/// The `(name, value)` pairs of the parameters at `location`, in spec order: statements
/// that build the local `var` (empty when not needed) and the initialiser of the field of
/// the same name. Leading required scalars go into `Vec::from([…])`; then optional ones
/// are pushed when set, and arrays push one pair per item (exploded).
fn pairs(
    o: &OpCtx<'_, '_>,
    location: ParamLocation,
    var: TokenStream,
) -> Result<(TokenStream, TokenStream), Error> {
    let ctx = o.ctx;
    let mut initial = Vec::new();
    let mut pushes = Vec::new();
    for p in o.op.params.iter().filter(|p| p.location == location) {
        ctx.uses_to_param();
        let name = o.param_ident(p)?;
        let wire = &p.wire;
        let is_list = matches!(ctx.resolve(&p.ty), TypeRef::List(_));
        if let Some(arms) = union_list_arms(o, p, &var)? {
            pushes.push(if p.required {
                quote! {
                    let value = &self.#name;
                    match value { #(#arms)* }
                }
            } else {
                quote! {
                    if let Some(value) = &self.#name {
                        match value { #(#arms)* }
                    }
                }
            });
            continue;
        }
        let stmt = match (p.required, is_list) {
            (true, false) if pushes.is_empty() => {
                initial.push(quote!((#wire, self.#name.to_param())));
                continue;
            }
            (true, false) => quote!(#var.push((#wire, self.#name.to_param()));),
            (false, false) => quote! {
                if let Some(value) = &self.#name {
                    #var.push((#wire, value.to_param()));
                }
            },
            (true, true) => quote! {
                for item in &self.#name {
                    #var.push((#wire, item.to_param()));
                }
            },
            (false, true) => quote! {
                for item in self.#name.iter().flatten() {
                    #var.push((#wire, item.to_param()));
                }
            },
        };
        pushes.push(stmt);
    }
    let init = if initial.is_empty() {
        quote!(Vec::new())
    } else {
        quote!(Vec::from([#(#initial),*]))
    };
    Ok(if pushes.is_empty() {
        (TokenStream::new(), quote!(#var: #init))
    } else {
        (quote!(let mut #var = #init; #(#pushes)*), var)
    })
}

/// For a query parameter that is an untagged union with an array variant (one value or
/// several): the `match` arms that push the variant held, one pair per item for arrays.
/// `None` for every other parameter.
fn union_list_arms(
    o: &OpCtx<'_, '_>,
    p: &Param,
    var: &TokenStream,
) -> Result<Option<Vec<TokenStream>>, Error> {
    let ctx = o.ctx;
    let TypeRef::Named(n) = ctx.resolve(&p.ty) else {
        return Ok(None);
    };
    let Some(TypeKind::Untagged(u)) = ctx.ir.types.get(n).map(|d| &d.kind) else {
        return Ok(None);
    };
    if !u
        .variants
        .iter()
        .any(|v| matches!(ctx.resolve(&v.ty), TypeRef::List(_)))
    {
        return Ok(None);
    }
    let ty = ctx.named(n, &o.op.source)?;
    let wire = &p.wire;
    let mut arms = Vec::new();
    for v in &u.variants {
        let variant = ident(ctx, v.rust.as_str(), &o.op.source)?;
        arms.push(if matches!(ctx.resolve(&v.ty), TypeRef::List(_)) {
            quote! {
                #ty::#variant(items) => {
                    for item in items {
                        #var.push((#wire, item.to_param()));
                    }
                }
            }
        } else {
            quote!(#ty::#variant(value) => #var.push((#wire, value.to_param())),)
        });
    }
    Ok(Some(arms))
}

fn http_method(m: HttpMethod) -> TokenStream {
    match m {
        HttpMethod::Get => quote!(reqwest::Method::GET),
        HttpMethod::Put => quote!(reqwest::Method::PUT),
        HttpMethod::Post => quote!(reqwest::Method::POST),
        HttpMethod::Delete => quote!(reqwest::Method::DELETE),
        HttpMethod::Patch => quote!(reqwest::Method::PATCH),
        HttpMethod::Head => quote!(reqwest::Method::HEAD),
        HttpMethod::Options => quote!(reqwest::Method::OPTIONS),
        HttpMethod::Trace => quote!(reqwest::Method::TRACE),
    }
}
