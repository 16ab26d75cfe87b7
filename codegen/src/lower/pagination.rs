//! Pagination: page-number list operations. Integer query parameters named like a page
//! number ([`PAGE_PARAMS`]) and a page size ([`SIZE_PARAMS`]), and a success struct with
//! an [`ITEMS_FIELDS`] array (and optionally an integer [`TOTAL_FIELDS`] field). Also
//! decided here: where `into_stream` starts and which page size it counts with.
//!
//! A pass over the finished operations and types (after `rules::integer_bounds`, so the
//! size parameter's maximum is an integer).

use std::collections::BTreeMap;

use super::rules::as_integer;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{
    Operation, Pagination, Param, ParamLocation, Response, Scalar, TypeDef, TypeKind, TypeName,
    TypeRef,
};

/// Page-number parameter names.
const PAGE_PARAMS: &[&str] = &["pageNum", "page", "pageNumber", "page_num", "page_number"];
/// Page-size parameter names.
const SIZE_PARAMS: &[&str] = &[
    "itemsPerPage",
    "items_per_page",
    "pageSize",
    "page_size",
    "perPage",
    "per_page",
];
/// The array of items in a page.
const ITEMS_FIELDS: &[&str] = &["results"];
/// The total number of items across pages.
const TOTAL_FIELDS: &[&str] = &["totalCount", "total_count"];

/// Page size `into_stream` asks for when the spec gives its size parameter no default
/// (or its maximum, when smaller).
const FALLBACK_PAGE_SIZE: i64 = 100;

/// Pass: sets `Operation::pagination` on every operation with the shape.
pub(crate) fn paginate(
    doc: Document<'_>,
    types: &BTreeMap<TypeName, TypeDef>,
    operations: &mut [Operation],
) -> Result<(), Error> {
    for op in operations {
        op.pagination = pagination(doc, types, &op.params, &op.ok)?;
    }
    Ok(())
}

/// Page-number pagination, if the operation has its shape.
fn pagination(
    doc: Document<'_>,
    types: &BTreeMap<TypeName, TypeDef>,
    params: &[Param],
    ok: &Response,
) -> Result<Option<Pagination>, Error> {
    let int_query = |names: &[&str]| {
        params.iter().find(|p| {
            p.location == ParamLocation::Query
                && names.contains(&p.wire.as_str())
                && matches!(p.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
        })
    };
    let (Some(page), Some(size)) = (int_query(PAGE_PARAMS), int_query(SIZE_PARAMS)) else {
        return Ok(None);
    };
    let Some(TypeRef::Named(page_ty)) = &ok.ty else {
        return Ok(None);
    };
    let Some(TypeKind::Struct(s)) = types.get(page_ty).map(|d| &d.kind) else {
        return Ok(None);
    };
    let Some(items) = s
        .fields
        .iter()
        .find(|f| ITEMS_FIELDS.contains(&f.wire.as_str()))
    else {
        return Ok(None);
    };
    let TypeRef::List(item_ty) = &items.ty else {
        return Ok(None);
    };
    let total = s.fields.iter().find(|f| {
        TOTAL_FIELDS.contains(&f.wire.as_str())
            && matches!(f.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
    });
    let size_default = default(doc, size)?;
    // Without a spec default the server's page size is unknown, and `paginate` needs it
    // to recognise a short page: an optional size is then asked for explicitly.
    let asked = size
        .rules
        .maximum
        .as_ref()
        .and_then(serde_json::Number::as_i64)
        .map_or(FALLBACK_PAGE_SIZE, |max| max.min(FALLBACK_PAGE_SIZE));
    Ok(Some(Pagination {
        page_param: page.rust.clone(),
        size_param: size.rust.clone(),
        items_field: items.rust.clone(),
        items_required: items.required,
        item_ty: (**item_ty).clone(),
        total_field: total.map(|t| t.rust.clone()),
        total_required: total.is_some_and(|t| t.required),
        page_ty: page_ty.clone(),
        first_page: default(doc, page)?.unwrap_or(1),
        page_size: size_default.unwrap_or(asked),
        sets_page_size: size_default.is_none() && !size.required,
    }))
}

/// The numeric default of a page parameter, which must be an integer.
fn default(doc: Document<'_>, p: &Param) -> Result<Option<i64>, Error> {
    let Some(n) = p.rules.default.as_ref().and_then(|d| d.as_number()) else {
        return Ok(None);
    };
    match as_integer(n) {
        Some(i) => Ok(Some(i)),
        None => Err(doc.unsupported(
            &p.source,
            format!("`default: {n}` on the page parameter `{}`", p.wire),
            "an integer default",
        )),
    }
}
