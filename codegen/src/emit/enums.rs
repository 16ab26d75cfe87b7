//! Open string enums (in `models.rs`): one variant per known value plus
//! `Unknown(String)`, which keeps a value this client does not know yet, byte for byte, so
//! it decodes and re-encodes unchanged. Serde is hand-written over the wire string, which
//! serde's derive cannot express for the catch-all.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{ident, Ctx};
use super::docs::{code, type_docs, DocLines};
use crate::error::Error;
use crate::ir::{OpenEnum, TypeDef};

pub(crate) fn emit_enum(ctx: &Ctx<'_>, def: &TypeDef, e: &OpenEnum) -> Result<TokenStream, Error> {
    let name = ident(ctx, def.name.as_str(), &def.source)?;
    let mut docs = type_docs(def);
    docs.paragraph([
        "Values this client does not know decode as `Unknown` and re-encode unchanged.".to_owned(),
    ]);
    docs.link(&def.docs);
    let docs = docs.attrs();

    let mut variants = Vec::new();
    let mut wires = Vec::new();
    for value in &e.values {
        let variant = ident(ctx, value.rust.as_str(), &def.source)?;
        let doc = if value.wire.is_empty() {
            DocLines::from_line("The empty string.")
        } else {
            DocLines::from_line(code(&value.wire))
        }
        .attrs();
        variants.push((doc, variant));
        wires.push(value.wire.as_str());
    }
    let decl = variants.iter().map(|(doc, v)| quote!(#doc #v,));
    let names: Vec<_> = variants.iter().map(|(_, v)| v).collect();

    // `From<&str>` and `From<String>` share the table; the latter reuses the allocation.
    let from_str_body = if names.is_empty() {
        quote!(Self::Unknown(value.to_owned()))
    } else {
        quote! {
            match value {
                #(#wires => Self::#names,)*
                other => Self::Unknown(other.to_owned()),
            }
        }
    };
    let from_string_body = if names.is_empty() {
        quote!(Self::Unknown(value))
    } else {
        quote! {
            match value.as_str() {
                #(#wires => Self::#names,)*
                _ => Self::Unknown(value),
            }
        }
    };
    let unknown_doc = DocLines::from_line(
        "A value this client does not know, kept verbatim (the server added it later).",
    )
    .attrs();
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#decl)*
            #unknown_doc
            Unknown(String),
        }

        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_str_body
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                #from_string_body
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl crate::encode::ToParam for #name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }

        impl crate::validate::Validate for #name {
            fn validate(&self, _at: &crate::validate::Path<'_>) -> Result<(), crate::Error> {
                Ok(())
            }
        }
    })
}
