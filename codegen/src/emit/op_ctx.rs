//! The emission context of one operation: the file's context, the operation, and the
//! names and attributes every part of its emission (method, builder, `send`, versions,
//! pagination) uses.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ctx::{ident, Ctx};
use super::docs::code;
use crate::error::Error;
use crate::ir::{Operation, Param};

/// One operation being emitted, with the names every part of it uses.
pub(crate) struct OpCtx<'c, 'a> {
    pub(crate) ctx: &'c Ctx<'a>,
    pub(crate) op: &'c Operation,
    pub(crate) builder: Ident,
    /// `#[allow(deprecated)]` for the items that name a deprecated builder.
    pub(crate) allow_deprecated: Option<TokenStream>,
}

impl<'c, 'a> OpCtx<'c, 'a> {
    pub(crate) fn new(ctx: &'c Ctx<'a>, op: &'c Operation) -> Result<Self, Error> {
        let builder = ident(ctx, op.builder_name.as_str(), &op.source)?;
        let allow_deprecated = op
            .deprecated
            .as_ref()
            .map(|_| quote!(#[allow(deprecated, reason = "the deprecated operation's own items")]));
        Ok(Self {
            ctx,
            op,
            builder,
            allow_deprecated,
        })
    }

    pub(crate) fn param_ident(&self, p: &Param) -> Result<Ident, Error> {
        ident(self.ctx, p.rust.as_str(), &p.source)
    }

    /// `#[deprecated(note = …)]` when the operation is deprecated.
    pub(crate) fn deprecated_attr(&self) -> Option<TokenStream> {
        self.op.deprecated.as_ref().map(|d| {
            let note = &d.note;
            quote!(#[deprecated(note = #note)])
        })
    }

    /// The `METHOD /path` line.
    pub(crate) fn route(&self) -> String {
        code(&format!(
            "{} {}",
            self.op.http_method.as_str(),
            self.op.path.raw
        ))
    }
}
