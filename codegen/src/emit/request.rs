//! The builder methods that talk to the runtime: `send` and `send_with_response`, which
//! validate every argument, then fill a `crate::client::RequestSpec` and execute it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::checks::held_checks;
use super::ctx::ident;
use super::holding::Holding;
use super::op_ctx::OpCtx;
use super::versions::media_expr;
use crate::error::Error;
use crate::ir::{
    Body, HttpMethod, Param, ParamEncoding, ParamLocation, ParamStyle, ParamValue, Segment,
    StatusSpec,
};

/// `send` and `send_with_response`, written by the runtime's `send!` over the builder's
/// `Operation` impl, which validates every argument and describes the call.
pub(crate) fn send_methods(o: &OpCtx<'_, '_>) -> Result<TokenStream, Error> {
    let (ctx, op) = (o.ctx, o.op);
    let redirect = matches!(op.ok.status, StatusSpec::Code(300..=399));
    let status = match op.ok.status {
        StatusSpec::Code(code) => format!("`{code}`"),
        StatusSpec::Range(d) => format!("`{d}XX`"),
        StatusSpec::Default => "success".to_owned(),
    };
    let (ok_ty, mode) = match (&op.ok.ty, &op.ok.raw_media) {
        (Some(ty), _) => (ctx.ty(ty, &op.source)?, quote!(json #status)),
        (None, Some(media)) => (quote!(bytes::Bytes), quote!(bytes #status (#media))),
        (None, None) if redirect => (quote!(()), quote!(redirect #status)),
        (None, None) => (quote!(()), quote!(empty #status)),
    };
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
    let checked = checks
        .iter()
        .any(|c| !c.is_empty())
        .then(|| quote!(, checked));
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
    let (param_stmts, params) = params(o)?;
    let path = quote!(Vec::from([#(#path),*]));
    let body = match &op.body {
        None => quote!(None),
        Some(
            b @ Body {
                multipart: Some(mp),
                ..
            },
        ) => super::multipart::body_expr(o, b, mp)?,
        Some(b) if b.raw_media.is_some() => {
            let content_type = b.raw_media.as_deref().unwrap_or_default();
            let make =
                quote!(crate::client::Body { content_type: #content_type, bytes, multipart: None });
            if b.required {
                quote!({ let bytes = self.body; Some(#make) })
            } else {
                quote!(self.body.map(|bytes| #make))
            }
        }
        Some(b) if b.form.is_some() => {
            let fields = b
                .form
                .iter()
                .flat_map(|f| &f.fields)
                .map(|f| field_expr(&f.wire, &f.encoding));
            let fields = quote!(&[#(#fields),*]);
            if b.required {
                quote!(Some(crate::encode::form_body(&self.body, #fields)?))
            } else {
                quote! {
                    self.body
                        .as_ref()
                        .map(|body| crate::encode::form_body(body, #fields))
                        .transpose()?
                }
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
    let builder = &o.builder;
    let allow = &o.allow_deprecated;
    Ok(quote! {
        crate::__private::send!(#allow #builder -> #ok_ty, #mode #checked);

        #allow
        impl crate::__private::Operation for #builder {
            fn request(self) -> crate::__private::Call {
                #checks
                #param_stmts
                Ok((self.client, crate::client::RequestSpec {
                    operation_id: #op_id,
                    method: #method,
                    path: #path,
                    #params,
                    accept: #accept,
                    body: #body,
                    error_statuses: &[#(#statuses),*],
                    default_error: #default_error,
                }))
            }
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
                let styled = o.op.params.iter().find(|p| {
                    p.rust == *rust
                        && (p.encoding.style != ParamStyle::Simple
                            || p.encoding.value != ParamValue::Text)
                });
                match styled {
                    Some(p) => {
                        let param = param_expr(ParamLocation::Path, &p.wire, &p.encoding);
                        let value = value_expr(o, p, quote!(self.#name), true);
                        quote!(crate::client::PathPart::Value(#param, #value))
                    }
                    None => {
                        o.ctx.uses_to_param();
                        quote!(crate::client::PathPart::Param(self.#name.to_param()))
                    }
                }
            }
        });
    }
    Ok(parts)
}

/// The statements that fill the local `params` with the query, header and cookie
/// parameters (empty when there are none) and the initialiser of `RequestSpec::params`.
fn params(o: &OpCtx<'_, '_>) -> Result<(TokenStream, TokenStream), Error> {
    let mut pushes = Vec::new();
    for p in
        o.op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
    {
        let name = o.param_ident(p)?;
        let param = param_expr(p.location, &p.wire, &p.encoding);
        pushes.push(if p.required {
            let value = value_expr(o, p, quote!(self.#name), true);
            quote!(params.push(#param, #value);)
        } else if p.encoding.value == ParamValue::Text {
            quote!(params.push_some(#param, self.#name.as_ref());)
        } else {
            let value = value_expr(o, p, quote!(value), false);
            quote! {
                if let Some(value) = &self.#name {
                    params.push(#param, #value);
                }
            }
        });
    }
    Ok(if pushes.is_empty() {
        (
            TokenStream::new(),
            quote!(params: crate::encode::Params::new()),
        )
    } else {
        (
            quote!(let mut params = crate::encode::Params::new(); #(#pushes)*),
            quote!(params),
        )
    })
}

/// `crate::encode::Param::query("name")`, with `.style(…)` when not the location's default
/// and `.allow_reserved()` when set. `Cookie` is `Param::cookie`; a form body's property
/// (`location: None`) is `Param::field`.
pub(crate) fn param_expr(location: ParamLocation, wire: &str, e: &ParamEncoding) -> TokenStream {
    let (ctor, default) = match location {
        ParamLocation::Path => (quote!(path), ParamStyle::Simple),
        ParamLocation::Query => (quote!(query), ParamStyle::Form),
        ParamLocation::Header => (quote!(header), ParamStyle::Simple),
        ParamLocation::Cookie => (quote!(cookie), ParamStyle::Form),
    };
    param_with(ctor, default, wire, e)
}

/// A form body's property: `crate::encode::Param::field("name")` and its encoding.
pub(crate) fn field_expr(wire: &str, e: &ParamEncoding) -> TokenStream {
    param_with(quote!(field), ParamStyle::Form, wire, e)
}

fn param_with(
    ctor: TokenStream,
    default: ParamStyle,
    wire: &str,
    e: &ParamEncoding,
) -> TokenStream {
    let mut expr = quote!(crate::encode::Param::#ctor(#wire));
    if e.style != default || e.explode != (e.style == ParamStyle::Form) {
        let style = match e.style {
            ParamStyle::Simple => quote!(Simple),
            ParamStyle::Label => quote!(Label),
            ParamStyle::Matrix => quote!(Matrix),
            ParamStyle::Form => quote!(Form),
            ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
            ParamStyle::PipeDelimited => quote!(PipeDelimited),
            ParamStyle::DeepObject => quote!(DeepObject),
        };
        let explode = e.explode;
        expr = quote!(#expr.style(crate::encode::Style::#style, #explode));
    }
    if e.allow_reserved {
        expr = quote!(#expr.allow_reserved());
    }
    expr
}

/// The value handed to the runtime: `place` is the builder's field (`owned`) or a
/// reference to its content.
fn value_expr(o: &OpCtx<'_, '_>, p: &Param, place: TokenStream, owned: bool) -> TokenStream {
    let wire = &p.wire;
    let by_ref = if owned {
        quote!(&#place)
    } else {
        place.clone()
    };
    match p.encoding.value {
        ParamValue::Text => {
            o.ctx.uses_to_param();
            quote!(#place.to_param())
        }
        ParamValue::List => quote!(crate::encode::Value::list(#by_ref)),
        ParamValue::Json => quote!(crate::encode::Value::of(#by_ref, #wire)?),
        ParamValue::JsonText => quote!(crate::encode::Value::json_text(#by_ref, #wire)?),
    }
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
