//! Type references, identifiers and literals: `TypeRef` → Rust type tokens, IR names →
//! `Ident`s, spec numbers → unsuffixed literals (`500`, never `500u64`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{Ctx, Module, Use};
use crate::error::Error;
use crate::ir::{Scalar, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;

/// How many alias hops `resolve` follows before giving up (a cycle of aliases).
const MAX_ALIAS_DEPTH: usize = 32;

/// An identifier from an IR name. Lowering guarantees validity; a violation is reported as
/// an error at `at` rather than the panic `Ident::new` would raise.
pub(crate) fn ident(ctx: &Ctx<'_>, name: &str, at: &JsonPointer) -> Result<Ident, Error> {
    syn::parse_str::<Ident>(name).map_err(|_| {
        ctx.bug(
            at,
            format!("`{name}` as a Rust identifier"),
            "a non-keyword identifier chosen by `lower::naming`",
        )
    })
}

/// An integer literal without suffix; negative values become a negation expression.
pub(crate) fn int_lit(value: i64) -> TokenStream {
    let abs = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#abs)
    } else {
        quote!(#abs)
    }
}

/// A float literal without suffix (`0.5`, `1.0`).
pub(crate) fn float_lit(ctx: &Ctx<'_>, value: f64, at: &JsonPointer) -> Result<TokenStream, Error> {
    if !value.is_finite() {
        return Err(ctx.bug(at, format!("the bound {value}"), "a finite number"));
    }
    let abs = Literal::f64_unsuffixed(value.abs());
    Ok(if value.is_sign_negative() {
        quote!(-#abs)
    } else {
        quote!(#abs)
    })
}

/// A JSON number used as a bound on an integer: it must be integral.
pub(crate) fn int_bound(
    ctx: &Ctx<'_>,
    number: &serde_json::Number,
    at: &JsonPointer,
) -> Result<i64, Error> {
    if let Some(n) = number.as_i64() {
        return Ok(n);
    }
    // `1.0` is an integer written as a float; `0.5` or `1e30` on an integer is not usable.
    match number.as_f64() {
        #[allow(clippy::cast_possible_truncation)] // checked: integral and within i64's range
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Ok(f as i64),
        _ => Err(ctx.bug(
            at,
            format!("the bound {number} on an integer"),
            "an integer bound within the range of i64",
        )),
    }
}

impl Ctx<'_> {
    /// The path of a named type as seen from the file being emitted.
    pub(crate) fn named(&self, name: &TypeName, at: &JsonPointer) -> Result<TokenStream, Error> {
        let there = self.module_of(name, at)?;
        let id = ident(self, name.as_str(), at)?;
        if there == self.here {
            return Ok(quote!(#id));
        }
        let (module, item) = match there {
            Module::Unions => (quote!(unions), Use::Unions),
            _ => (quote!(models), Use::Models),
        };
        // `mod.rs` is the parent of both modules: no `use` needed there.
        if self.here != Module::Root {
            self.use_(item);
        }
        Ok(quote!(#module::#id))
    }

    /// The Rust type of a type reference.
    pub(crate) fn ty(&self, r: &TypeRef, at: &JsonPointer) -> Result<TokenStream, Error> {
        Ok(match r {
            TypeRef::Named(name) => self.named(name, at)?,
            TypeRef::Scalar(s) => scalar(*s),
            TypeRef::List(inner) => {
                let inner = self.ty(inner, at)?;
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner, at)?;
                self.btree_map(inner)
            }
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        })
    }

    /// `BTreeMap<String, #value>`, importing `BTreeMap`.
    pub(crate) fn btree_map(&self, value: TokenStream) -> TokenStream {
        self.use_(Use::BTreeMap);
        quote!(BTreeMap<String, #value>)
    }

    /// Follows aliases (`type Foo = String`) to the type they stand for.
    pub(crate) fn resolve<'r>(&'r self, mut r: &'r TypeRef) -> &'r TypeRef {
        for _ in 0..MAX_ALIAS_DEPTH {
            match r {
                TypeRef::Named(name) => match self.ir.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => r = target,
                    _ => return r,
                },
                _ => return r,
            }
        }
        r
    }

    /// Whether values of this type can fail validation, so a `.validate(at)` call is
    /// worth emitting: structs and unions can, enums, scalars and raw JSON cannot.
    pub(crate) fn needs_validate(&self, r: &TypeRef) -> bool {
        self.needs_validate_at(r, 0)
    }

    fn needs_validate_at(&self, r: &TypeRef, depth: usize) -> bool {
        if depth > MAX_ALIAS_DEPTH {
            return true;
        }
        match r {
            TypeRef::Named(name) => match self.ir.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum(_)) => false,
                Some(TypeKind::Alias(t) | TypeKind::Map(t)) => self.needs_validate_at(t, depth + 1),
                Some(_) | None => true,
            },
            TypeRef::List(inner) | TypeRef::Map(inner) => self.needs_validate_at(inner, depth + 1),
            TypeRef::Scalar(_) | TypeRef::Json | TypeRef::JsonObject => false,
        }
    }

    /// Whether a type (through aliases) is `String`, so arguments can take
    /// `impl Into<String>`.
    pub(crate) fn is_string(&self, r: &TypeRef) -> bool {
        matches!(self.resolve(r), TypeRef::Scalar(Scalar::String))
    }
}

/// The Rust type of a scalar.
fn scalar(s: Scalar) -> TokenStream {
    match s {
        Scalar::String => quote!(String),
        Scalar::Bool => quote!(bool),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::F32 => quote!(f32),
        Scalar::F64 => quote!(f64),
        Scalar::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Scalar::Date => quote!(chrono::NaiveDate),
        Scalar::Bytes => quote!(bytes::Bytes),
    }
}

/// How a type reads in docs (`Vec<String>`, `Circle`): the Rust type without module paths.
pub(crate) fn type_label(r: &TypeRef) -> String {
    match r {
        TypeRef::Named(name) => name.to_string(),
        TypeRef::Scalar(s) => scalar(*s).to_string().replace(' ', ""),
        TypeRef::List(inner) => format!("Vec<{}>", type_label(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_label(inner)),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".to_owned(),
    }
}
