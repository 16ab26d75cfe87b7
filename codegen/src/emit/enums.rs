//! Open string enums (in `models.rs`): one `crate::__private::open_enum!` invocation per
//! enum, with the type's docs and one `Variant = "wire"` entry per known value (the macro
//! documents it as the wire value in code; `: "docs"` follows where that would not read
//! right: the empty string, backticks, spaces at the ends). The runtime's macro adds `Unknown(String)`, which keeps a value this client does
//! not know, byte for byte, and writes the conversions and serde once for every enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::ctx::{ident, Ctx};
use super::docs::{code, type_docs};
use crate::error::Error;
use crate::ir::{OpenEnum, TypeDef};

pub(crate) fn emit_enum(ctx: &Ctx<'_>, def: &TypeDef, e: &OpenEnum) -> Result<TokenStream, Error> {
    let name = ident(ctx, def.name.as_str(), &def.source)?;
    let mut docs = type_docs(def);
    docs.link(&def.docs);
    let docs = docs.attrs();

    let mut variants = Vec::new();
    for value in &e.values {
        let variant = ident(ctx, value.rust.as_str(), &def.source)?;
        let wire = &value.wire;
        let doc = if value.wire.is_empty() {
            Some("The empty string.".to_owned())
        } else {
            Some(code(wire)).filter(|doc| *doc != format!("`{wire}`"))
        };
        variants.push(match doc {
            None => quote!(#variant = #wire,),
            Some(doc) => quote!(#variant = #wire: #doc,),
        });
    }
    Ok(quote! {
        crate::__private::open_enum! {
            #docs
            #name {
                #(#variants)*
            }
        }
    })
}
