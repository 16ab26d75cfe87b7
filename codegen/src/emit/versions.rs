//! Media-type versions of an operation: the media type each request is sent with (the
//! default version's, or the one a version-selector enum picks) and that enum itself,
//! emitted beside the builders. Which version is the default is lowering's decision: the
//! IR marks it, and this module reads the mark.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::ident;
use super::docs::{code, DocLines};
use super::op_ctx::OpCtx;
use crate::error::Error;
use crate::ir::{MediaVersion, Operation};

/// The media type expression: the selected version's, the only one, or `application/json`.
pub(crate) fn media_expr(op: &Operation) -> TokenStream {
    if op.version_enum.is_some() {
        return quote!(self.version.media_type());
    }
    let media = default_version(op).map_or("application/json", |m| m.media_type.as_str());
    quote!(#media)
}

/// The version-selector enum of an operation with several media-type versions.
pub(crate) fn version_enum(o: &OpCtx<'_, '_>) -> Result<TokenStream, Error> {
    let (ctx, op) = (o.ctx, o.op);
    let Some(name) = &op.version_enum else {
        return Ok(TokenStream::new());
    };
    let name = ident(ctx, name.as_str(), &op.source)?;
    let default = default_version(op);
    if default.is_none() {
        return Err(ctx.bug(
            &op.source,
            format!("version enum `{name}` without media-type versions"),
            "a version enum only for an operation with several versions",
        ));
    }
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for m in &op.media {
        let variant = ident(ctx, m.rust.as_str(), &op.source)?;
        let is_default = m.default;
        let note = match (is_default, m.deprecated) {
            (true, _) => " (the default)",
            (false, true) => " (**deprecated**)",
            (false, false) => "",
        };
        let doc = DocLines::from_line(format!("{}{note}.", code(&m.media_type))).attrs();
        let default_attr = is_default.then(|| quote!(#[default]));
        variants.push(quote!(#doc #default_attr #variant,));
        let media = &m.media_type;
        arms.push(quote!(Self::#variant => #media,));
    }
    let mut docs = DocLines::from_line(format!(
        "Versions of {}: each is a media type sent as `Accept` (and as `Content-Type` with a body).",
        code(&op.id)
    ));
    docs.paragraph([
        "The default is the newest version the spec does not mark deprecated.".to_owned(),
    ]);
    let docs = docs.attrs();
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The media type of this version.
            pub fn media_type(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    })
}

/// The version the builder uses unless told otherwise, as lowering marked it.
pub(crate) fn default_version(op: &Operation) -> Option<&MediaVersion> {
    op.media.iter().find(|m| m.default)
}
