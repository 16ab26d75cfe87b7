//! The body expression of an operation with a `multipart/form-data` body: the parts that
//! `lower::multipart` chose, handed one by one to the runtime's `crate::multipart::Form`,
//! which `send` turns into a `crate::client::Body`.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::ident;
use super::holding::Holding;
use super::op_ctx::OpCtx;
use crate::error::Error;
use crate::ir::{Body, FormPart, Multipart, PartKind, TypeRef};

/// The `Option<crate::client::Body>` expression of the `RequestSpec`.
pub(crate) fn body_expr(o: &OpCtx<'_, '_>, b: &Body, mp: &Multipart) -> Result<TokenStream, Error> {
    let parts = match mp {
        Multipart::Free => {
            return Ok(if b.required {
                quote!(Some(crate::__private::multipart_body(self.body)))
            } else {
                quote!(self.body.map(crate::__private::multipart_body))
            });
        }
        Multipart::Fields(parts) if parts.is_empty() => {
            return Ok(if b.required {
                quote!(Some(crate::__private::multipart_body(
                    crate::multipart::Form::new()
                )))
            } else {
                quote!(self
                    .body
                    .map(|_| crate::__private::multipart_body(crate::multipart::Form::new())))
            });
        }
        Multipart::Fields(parts) => parts,
    };
    let mut adds = Vec::with_capacity(parts.len());
    for part in parts {
        adds.push(add_part(o, b, part)?);
    }
    let fill = quote! {
        let mut form = crate::multipart::Form::new();
        #(#adds)*
        Some(crate::__private::multipart_body(form))
    };
    Ok(if b.required {
        quote!({
            let body = self.body;
            #fill
        })
    } else {
        quote! {
            match self.body {
                Some(body) => { #fill }
                None => None,
            }
        }
    })
}

/// The statements that add one property's part(s) to `form`, from the field `body.{name}`.
fn add_part(o: &OpCtx<'_, '_>, b: &Body, part: &FormPart) -> Result<TokenStream, Error> {
    let ctx = o.ctx;
    let field = match ctx.resolve(&b.ty) {
        TypeRef::Named(name) => ctx.field(name, &part.field),
        _ => None,
    };
    let Some(field) = field else {
        return Err(ctx.bug(
            &b.source,
            format!(
                "multipart part `{}` without a field of the body struct",
                part.wire
            ),
            "a multipart body whose parts are fields of its struct",
        ));
    };
    let name = ident(ctx, part.field.as_str(), &field.source)?;
    let holding = Holding::of_field(field);
    // A required field that needs no unboxing is used in place; otherwise the statements
    // bind `value` (the field's value, or one item of an array).
    let in_place = !part.each && !field.boxed && holding == Holding::Plain;
    let value = if in_place {
        quote!(body.#name)
    } else {
        quote!(value)
    };
    let unbox = field.boxed.then(|| quote!(let value = *value;));
    let wire = &part.wire;
    let add = match (part.kind, &part.content_type) {
        (PartKind::Text, None) => {
            ctx.uses_to_param();
            quote!(form.text(#wire, #value.to_param());)
        }
        (PartKind::Text, Some(ct)) => {
            ctx.uses_to_param();
            quote!(form.part(#wire, crate::FilePart::new(#value.to_param()).with_content_type(#ct));)
        }
        (PartKind::Json, None) => quote!(form.json(#wire, &#value)?;),
        (PartKind::Json, Some(ct)) => {
            quote!(form.part(#wire, crate::FilePart::json(&#value)?.with_content_type(#ct));)
        }
        (PartKind::File, None) => quote!(form.part(#wire, #value);),
        (PartKind::File, Some(ct)) => quote!(form.part(#wire, #value.or_content_type(#ct));),
    };
    let add = if part.each {
        quote!(for value in value { #add })
    } else {
        add
    };
    Ok(match holding {
        Holding::Plain if in_place => add,
        Holding::Plain => quote!({
            let value = body.#name;
            #unbox
            #add
        }),
        Holding::Option => quote! {
            if let Some(value) = body.#name {
                #unbox
                #add
            }
        },
        Holding::DoubleOption => quote! {
            if let Some(Some(value)) = body.#name {
                #unbox
                #add
            }
        },
    })
}
