//! List operations: the builder's `into_stream` (every item of every page, through
//! `crate::pagination::paginate`) and the `crate::pagination::Page` impl of their response
//! types.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{ident, int_lit, Ctx};
use super::docs::{code, DocLines};
use super::holding::Holding;
use super::op_ctx::OpCtx;
use crate::error::Error;
use crate::ir::{FieldName, Operation, Pagination, Param, Scalar, TypeRef};

/// The page and size parameters of a paginated operation.
fn page_params<'o>(o: &'o Operation, p: &Pagination) -> Option<(&'o Param, &'o Param)> {
    let find = |name: &FieldName| o.params.iter().find(|q| q.rust == *name);
    Some((find(&p.page_param)?, find(&p.size_param)?))
}

fn is_i32(ctx: &Ctx<'_>, ty: &TypeRef) -> bool {
    matches!(ctx.resolve(ty), TypeRef::Scalar(Scalar::I32))
}

fn is_integer(ctx: &Ctx<'_>, ty: &TypeRef) -> bool {
    matches!(ctx.resolve(ty), TypeRef::Scalar(Scalar::I32 | Scalar::I64))
}

/// `into_stream`, for paginated operations.
pub(crate) fn into_stream(o: &OpCtx<'_, '_>) -> Result<TokenStream, Error> {
    let (ctx, op) = (o.ctx, o.op);
    let Some(pg) = &op.pagination else {
        return Ok(TokenStream::new());
    };
    let Some((page, size)) = page_params(op, pg) else {
        return Err(ctx.bug(
            &op.source,
            format!(
                "pagination over `{}`/`{}`, which are not parameters",
                pg.page_param, pg.size_param
            ),
            "the page and size parameters of the operation",
        ));
    };
    for p in [page, size] {
        if !is_integer(ctx, &p.ty) {
            return Err(ctx.bug(
                &p.source,
                format!(
                    "pagination over `{}`, which is not an integer parameter",
                    p.wire
                ),
                "an int32 or int64 page number and page size",
            ));
        }
    }
    let item = ctx.ty(&pg.item_ty, &op.source)?;
    let page_name = o.param_ident(page)?;
    let size_name = o.param_ident(size)?;
    // A value read back from an `Option` (or the field itself when required), as `i64`.
    let read = |p: &Param, name: &proc_macro2::Ident, default: i64| {
        let lit = int_lit(default);
        match (p.required, is_i32(ctx, &p.ty)) {
            (true, true) => quote!(i64::from(self.#name)),
            (true, false) => quote!(self.#name),
            (false, true) => quote!(self.#name.map_or(#lit, i64::from)),
            (false, false) => quote!(self.#name.unwrap_or(#lit)),
        }
    };
    // The page number stays in the parameter's own type: `paginate` counts pages in it and
    // decides when it cannot advance (no saturating conversion here).
    let first_page = {
        let lit = int_lit(pg.first_page);
        if page.required {
            quote!(self.#page_name)
        } else {
            quote!(self.#page_name.unwrap_or(#lit))
        }
    };
    let page_size = read(size, &size_name, pg.page_size);
    let (set_size, this) = if pg.sets_page_size {
        let size_value = if is_i32(ctx, &size.ty) {
            quote!(i32::try_from(page_size).unwrap_or(i32::MAX))
        } else {
            quote!(page_size)
        };
        (
            quote!(let this = self.#size_name(#size_value);),
            quote!(this),
        )
    } else {
        (TokenStream::new(), quote!(self))
    };
    let set_page = if page.required {
        quote! {
            let mut next = #this.clone();
            next.#page_name = page;
            next.send()
        }
    } else {
        quote!(#this.clone().#page_name(page).send())
    };
    let mut docs = DocLines::from_line(format!(
        "Every item of every page, fetched lazily, starting at page {} (default {}).",
        code(&page.wire),
        pg.first_page
    ));
    docs.paragraph([
        "The stream ends at the total count, on a short or empty page, or after yielding the first error.".to_owned(),
    ]);
    let docs = docs.attrs();
    Ok(quote! {
        #docs
        pub fn into_stream(self) -> impl futures::Stream<Item = Result<#item, crate::Error>> + Send + 'static {
            let first_page = #first_page;
            let page_size = #page_size;
            #set_size
            crate::pagination::paginate(first_page, page_size, move |page| {
                #set_page
            })
        }
    })
}

/// `impl crate::pagination::Page` for a list operation's response type.
pub(crate) fn page_impl(
    ctx: &Ctx<'_>,
    op: &Operation,
    pg: &Pagination,
) -> Result<TokenStream, Error> {
    let page_ty = ctx.named(&pg.page_ty, &op.source)?;
    let item = ctx.ty(&pg.item_ty, &op.source)?;
    let missing = |what: &str| {
        ctx.bug(
            &op.source,
            format!("pagination field `{what}` of `{}`", pg.page_ty),
            "a list field (items) or integer field (total) of the page struct",
        )
    };
    let items_field = ctx
        .field(&pg.page_ty, &pg.items_field)
        .filter(|f| matches!(ctx.resolve(&f.ty), TypeRef::List(_)) && !f.boxed)
        .ok_or_else(|| missing(pg.items_field.as_str()))?;
    let items = ident(ctx, pg.items_field.as_str(), &op.source)?;
    let into_items = match Holding::of_field(items_field) {
        Holding::Plain => quote!(self.#items),
        Holding::Option => quote!(self.#items.unwrap_or_default()),
        Holding::DoubleOption => quote!(self.#items.flatten().unwrap_or_default()),
    };
    let total_count = match &pg.total_field {
        None => quote!(None),
        Some(name) => {
            let field = ctx
                .field(&pg.page_ty, name)
                .filter(|f| is_integer(ctx, &f.ty) && !f.boxed)
                .ok_or_else(|| missing(name.as_str()))?;
            let total = ident(ctx, name.as_str(), &op.source)?;
            match Holding::of_field(field) {
                Holding::Plain => quote!(u64::try_from(self.#total).ok()),
                Holding::Option => quote!(self.#total.and_then(|n| u64::try_from(n).ok())),
                Holding::DoubleOption => {
                    quote!(self.#total.flatten().and_then(|n| u64::try_from(n).ok()))
                }
            }
        }
    };
    Ok(quote! {
        impl crate::pagination::Page for #page_ty {
            type Item = #item;

            fn into_items(self) -> Vec<Self::Item> {
                #into_items
            }

            fn total_count(&self) -> Option<u64> {
                #total_count
            }
        }
    })
}
