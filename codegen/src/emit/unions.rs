//! `unions.rs`: discriminated unions (`oneOf` + `discriminator`) with hand-written serde
//! and an `Unknown(serde_json::Value)` fallback, and untagged unions (`#[serde(untagged)]`,
//! tried in order).
//!
//! A discriminated union decodes by buffering a `serde_json::Value`, reading the tag and
//! decoding the variant's struct from the buffer; a missing, non-string or unknown tag keeps
//! the raw value. It encodes a variant as the struct's fields plus the tag
//! (`crate::__private::serialize_tagged`), and `Unknown` as the raw value: nothing the types
//! declare is lost either way. A struct mapped under several tag values gets one variant
//! per value, so re-encoding writes back the tag it was decoded with.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{ident, type_label, Ctx};
use super::docs::{code, tag_pair, type_docs, DocLines};
use crate::error::Error;
use crate::ir::{TypeDef, TypeKind, Union, Untagged, UntaggedKind};

/// Why every union enum allows `clippy::large_enum_variant`.
const LARGE_VARIANT_REASON: &str =
    "variants hold the spec's schemas unboxed; boxing all of them would cost an allocation per value";

pub(crate) fn emit(ctx: &Ctx<'_>) -> Result<TokenStream, Error> {
    let mut items = TokenStream::new();
    for def in ctx.ir.types.values().filter(|def| ctx.is_here(def)) {
        items.extend(match &def.kind {
            TypeKind::Union(u) => emit_union(ctx, def, u)?,
            TypeKind::Untagged(u) => emit_untagged(ctx, def, u)?,
            // Emitted into `models.rs` (`Ctx::is_here` filtered them out).
            TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Map(_) | TypeKind::Alias(_) => {
                TokenStream::new()
            }
        });
    }
    let docs = DocLines::from_line(format!(
        "Unions of {}: `oneOf` schemas, sorted by name.",
        code(&ctx.ir.title)
    ));
    Ok(ctx.finish(docs, items))
}

/// One variant of a tagged union, ready to quote.
struct Variant<'a> {
    name: proc_macro2::Ident,
    ty: TokenStream,
    boxed: bool,
    tag: &'a str,
    /// The struct keeps extra properties in a flattened map, which would also catch the
    /// tag: it must be removed before decoding.
    strip_tag: bool,
}

fn emit_union(ctx: &Ctx<'_>, def: &TypeDef, u: &Union) -> Result<TokenStream, Error> {
    let name = ident(ctx, def.name.as_str(), &def.source)?;
    let tag = u.tag.as_str();
    let mut variants = Vec::new();
    for v in &u.variants {
        let strip_tag = matches!(
            ctx.ir.types.get(&v.ty).map(|d| &d.kind),
            Some(TypeKind::Struct(s)) if s.additional.is_some()
        );
        variants.push(Variant {
            name: ident(ctx, v.rust.as_str(), &def.source)?,
            ty: ctx.named(&v.ty, &def.source)?,
            boxed: v.boxed,
            tag: &v.tag_value,
            strip_tag,
        });
    }

    let mut docs = type_docs(def);
    docs.paragraph([format!(
        "The {} property selects the variant. A payload with a missing, non-string or unknown tag decodes as `Unknown` and re-encodes unchanged.",
        code(tag),
    )]);
    docs.link(&def.docs);
    let docs = docs.attrs();

    let decl = variants.iter().map(|v| {
        let Variant { name, ty, .. } = v;
        let doc = DocLines::from_line(code(&tag_pair(tag, v.tag))).attrs();
        let held = if v.boxed {
            quote!(Box<#ty>)
        } else {
            ty.clone()
        };
        quote!(#doc #name(#held),)
    });
    let names: Vec<_> = variants.iter().map(|v| &v.name).collect();
    let tags: Vec<_> = variants.iter().map(|v| v.tag).collect();
    let decode = variants.iter().map(|v| {
        let Variant {
            name, tag: value, ..
        } = v;
        let wrap = if v.boxed {
            quote!(|v| Self::#name(Box::new(v)))
        } else {
            quote!(Self::#name)
        };
        let strip = v.strip_tag.then(|| {
            quote! {
                let mut value = value;
                if let Some(object) = value.as_object_mut() {
                    object.remove(#tag);
                }
            }
        });
        quote! {
            Some(#value) => {
                #strip
                serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom)
            }
        }
    });

    let unknown_doc = DocLines::from_line(
        "A payload whose tag this client does not know (or that has none), kept verbatim.",
    )
    .attrs();
    let tag_doc = DocLines::from_line(
        "The tag of this value: the variant's, or an unknown payload's when it has a string one.",
    )
    .attrs();

    let wire_tags = &tags;
    // Only a checked union validates, and only its checked variants can fail.
    let validate = def.checked.then(|| {
        let arms = u.variants.iter().zip(&names).map(|(v, name)| {
            if ctx.ir.types.get(&v.ty).is_some_and(|d| d.checked) {
                quote!(Self::#name(value) => value.validate(at),)
            } else {
                quote!(Self::#name(_) => Ok(()),)
            }
        });
        quote! {
            impl crate::validate::Validate for #name {
                fn validate(&self, at: &crate::validate::Path<'_>) -> Result<(), crate::Error> {
                    match self {
                        #(#arms)*
                        Self::Unknown(_) => Ok(()),
                    }
                }
            }
        }
    });
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = #LARGE_VARIANT_REASON)]
        pub enum #name {
            #(#decl)*
            #unknown_doc
            Unknown(serde_json::Value),
        }

        impl #name {
            #tag_doc
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #(Self::#names(_) => Some(#tags),)*
                    Self::Unknown(value) => value.get(#tag).and_then(serde_json::Value::as_str),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(value) => crate::__private::serialize_tagged(serializer, #tag, #wire_tags, value),)*
                    Self::Unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(#decode)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }

        #validate
    })
}

fn emit_untagged(ctx: &Ctx<'_>, def: &TypeDef, u: &Untagged) -> Result<TokenStream, Error> {
    let name = ident(ctx, def.name.as_str(), &def.source)?;
    let mut docs = type_docs(def);
    let keyword = match u.kind {
        UntaggedKind::OneOf => "oneOf",
        UntaggedKind::AnyOf => "anyOf",
    };
    docs.paragraph([match &u.unusable_discriminator {
        None => format!(
            "The spec's `{keyword}` names no discriminator: decoding tries the variants in order and keeps the first that fits."
        ),
        Some(property) => format!(
            "The spec's discriminator {} cannot select every variant (one is not an object, so it cannot carry the property): decoding tries the variants in order and keeps the first that fits.",
            code(property)
        ),
    }]);
    docs.link(&def.docs);
    let docs = docs.attrs();
    let mut decl = Vec::new();
    let mut arms = Vec::new();
    let mut previous: Option<&str> = None;
    for v in &u.variants {
        let variant = ident(ctx, v.rust.as_str(), &def.source)?;
        let ty = ctx.ty(&v.ty, &def.source)?;
        let label = code(&type_label(&v.ty));
        let doc = DocLines::from_line(match previous {
            None => format!("{label}; tried first."),
            Some(p) => format!("{label}; tried after `{p}`."),
        })
        .attrs();
        previous = Some(v.rust.as_str());
        decl.push(quote!(#doc #variant(#ty),));
        arms.push(if ctx.needs_validate(&v.ty) {
            quote!(Self::#variant(value) => value.validate(at),)
        } else {
            quote!(Self::#variant(_) => Ok(()),)
        });
    }
    // A union of scalars and enums can be a parameter (GitHub's `workflow_id`: integer
    // or file name): it is sent as its variant's own parameter text.
    let to_param = if u.to_param {
        let arms = u
            .variants
            .iter()
            .map(|v| ident(ctx, v.rust.as_str(), &def.source))
            .collect::<Result<Vec<_>, _>>()?;
        quote! {
            impl crate::encode::ToParam for #name {
                fn to_param(&self) -> String {
                    match self {
                        #(Self::#arms(value) => value.to_param(),)*
                    }
                }
            }
        }
    } else {
        TokenStream::new()
    };
    // Only a checked union validates (then at least one variant can fail).
    let validate = def.checked.then(|| {
        quote! {
            impl crate::validate::Validate for #name {
                fn validate(&self, at: &crate::validate::Path<'_>) -> Result<(), crate::Error> {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant, reason = #LARGE_VARIANT_REASON)]
        pub enum #name {
            #(#decl)*
        }

        #validate

        #to_param
    })
}
