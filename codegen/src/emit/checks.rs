//! Validation statements: a value's rules (pattern, range, length, item count) as calls
//! to the runtime's `crate::__private::*` checks, shared by model `Validate` impls and
//! builders' `send`.
//!
//! Each check is `crate::__private::rule(at, value, …)?;` where `at` is a local
//! `&crate::validate::Path` already pointing at the value. Which values have checks is
//! lowering's decision (`lower::checked`); this renders them.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{float_lit, int_bound, int_lit, Ctx};
use super::holding::Holding;
use crate::error::Error;
use crate::ir::{Constraints, Scalar, TypeRef};
use crate::pointer::JsonPointer;

/// How the checked value is reached: a place (`self.name`) or a reference local (`value`).
#[derive(Clone)]
pub(crate) enum Value {
    Place(TokenStream),
    Ref(TokenStream),
}

impl Value {
    /// A `&T` expression.
    fn by_ref(&self) -> TokenStream {
        match self {
            Self::Place(p) => quote!(&#p),
            Self::Ref(r) => r.clone(),
        }
    }

    /// A `T` expression for `Copy` scalars.
    fn by_copy(&self) -> TokenStream {
        match self {
            Self::Place(p) => p.clone(),
            Self::Ref(r) => quote!(*#r),
        }
    }

    /// A method-call receiver.
    fn receiver(&self) -> TokenStream {
        match self {
            Self::Place(p) | Self::Ref(p) => p.clone(),
        }
    }
}

/// The checks `rules` ask of a value of type `ty` (looked through aliases). Rules on an
/// array apply to the array (item count) and, for pattern/length/range, to each item;
/// rules on a map apply to each value. Empty when there is nothing to check.
pub(crate) fn rule_checks(
    ctx: &Ctx<'_>,
    rules: &Constraints,
    ty: &TypeRef,
    value: &Value,
    source: &JsonPointer,
) -> Result<TokenStream, Error> {
    match ctx.resolve(ty) {
        TypeRef::Scalar(s) => scalar_checks(ctx, rules, *s, value, source),
        TypeRef::List(inner) => {
            let mut out = TokenStream::new();
            if rules.min_items.is_some() || rules.max_items.is_some() {
                let list = value.receiver();
                let range = count_range(rules.min_items, rules.max_items);
                out.extend(quote!(crate::__private::items(at, #list.len(), #range)?;));
            }
            let each = rule_checks(ctx, rules, inner, &Value::Ref(quote!(item)), source)?;
            if !each.is_empty() {
                let list = value.receiver();
                out.extend(quote! {
                    for (index, item) in #list.iter().enumerate() {
                        let at = &crate::validate::Path::Index(at, index);
                        #each
                    }
                });
            }
            Ok(out)
        }
        TypeRef::Map(inner) => {
            let each = rule_checks(ctx, rules, inner, &Value::Ref(quote!(item)), source)?;
            if each.is_empty() {
                return Ok(each);
            }
            let map = value.by_ref();
            Ok(quote! {
                for (key, item) in #map {
                    let at = &crate::validate::Path::Key(at, key);
                    #each
                }
            })
        }
        TypeRef::Named(_) | TypeRef::Json | TypeRef::JsonObject => Ok(TokenStream::new()),
    }
}

fn scalar_checks(
    ctx: &Ctx<'_>,
    rules: &Constraints,
    scalar: Scalar,
    value: &Value,
    source: &JsonPointer,
) -> Result<TokenStream, Error> {
    let mut out = TokenStream::new();
    let (xmin, xmax) = (rules.exclusive_minimum, rules.exclusive_maximum);
    let has_range = rules.minimum.is_some() || rules.maximum.is_some();
    match scalar {
        Scalar::String => {
            let v = value.by_ref();
            for pattern in &rules.patterns {
                out.extend(quote!(crate::__private::pattern(at, #v, #pattern)?;));
            }
            if rules.min_length.is_some() || rules.max_length.is_some() {
                let range = count_range(rules.min_length, rules.max_length);
                out.extend(quote!(crate::__private::length(at, #v, #range)?;));
            }
        }
        Scalar::I32 | Scalar::I64 if has_range => {
            let lit = |n: &Option<serde_json::Number>| -> Result<Option<TokenStream>, Error> {
                n.as_ref()
                    .map(|n| Ok(int_lit(int_bound(ctx, n, source)?)))
                    .transpose()
            };
            let range = range((lit(&rules.minimum)?, xmin), (lit(&rules.maximum)?, xmax));
            let v = value.by_copy();
            let v = if scalar == Scalar::I32 {
                quote!(i64::from(#v))
            } else {
                v
            };
            out.extend(quote!(crate::__private::int_range(at, #v, #range)?;));
        }
        Scalar::F32 | Scalar::F64 if has_range => {
            let lit = |n: &Option<serde_json::Number>| -> Result<Option<TokenStream>, Error> {
                n.as_ref()
                    .and_then(serde_json::Number::as_f64)
                    .map(|f| float_lit(ctx, f, source))
                    .transpose()
            };
            let range = range((lit(&rules.minimum)?, xmin), (lit(&rules.maximum)?, xmax));
            let v = value.by_copy();
            let v = if scalar == Scalar::F32 {
                quote!(f64::from(#v))
            } else {
                v
            };
            out.extend(quote!(crate::__private::float_range(at, #v, #range)?;));
        }
        _ => {}
    }
    Ok(out)
}

/// A range expression for `minimum`/`maximum` (each a literal, and whether it is
/// exclusive): `1..=500`, `7..`, `..10`, `..`; an exclusive minimum, which Rust's range
/// syntax cannot write, is the `(Bound, Bound)` pair std's `RangeBounds` also accepts.
fn range(min: (Option<TokenStream>, bool), max: (Option<TokenStream>, bool)) -> TokenStream {
    match (min, max) {
        ((Some(lo), true), (hi, exclusive_max)) => {
            let hi = match (hi, exclusive_max) {
                (Some(hi), false) => quote!(std::ops::Bound::Included(#hi)),
                (Some(hi), true) => quote!(std::ops::Bound::Excluded(#hi)),
                (None, _) => quote!(std::ops::Bound::Unbounded),
            };
            quote!((std::ops::Bound::Excluded(#lo), #hi))
        }
        ((lo, _), (Some(hi), false)) => quote!(#lo..=#hi),
        ((lo, _), (Some(hi), true)) => quote!(#lo..#hi),
        ((lo, _), (None, _)) => quote!(#lo..),
    }
}

/// A range of counts (`minLength`/`maxLength`, `minItems`/`maxItems`): `1..=64`, `1..`, `..=700`.
fn count_range(min: Option<u64>, max: Option<u64>) -> TokenStream {
    let lit = |n: Option<u64>| n.map(proc_macro2::Literal::u64_unsuffixed);
    range(
        (lit(min).map(|l| quote!(#l)), false),
        (lit(max).map(|l| quote!(#l)), false),
    )
}

/// The checks for one field or parameter held at `place` (`self.name`), unwrapping its
/// options first. Empty when its rules ask for nothing.
pub(crate) fn held_checks(
    ctx: &Ctx<'_>,
    rules: &Constraints,
    ty: &TypeRef,
    holding: Holding,
    place: TokenStream,
    source: &JsonPointer,
) -> Result<TokenStream, Error> {
    if !rules.has_checks() {
        return Ok(TokenStream::new());
    }
    let (value, pattern) = match holding {
        Holding::Plain => (Value::Place(place.clone()), None),
        Holding::Option => (Value::Ref(quote!(value)), Some(quote!(Some(value)))),
        Holding::DoubleOption => (Value::Ref(quote!(value)), Some(quote!(Some(Some(value))))),
    };
    let checks = rule_checks(ctx, rules, ty, &value, source)?;
    Ok(match pattern {
        Some(pattern) if !checks.is_empty() => quote! {
            if let #pattern = &#place {
                #checks
            }
        },
        _ => checks,
    })
}
