//! `security.rs` of the generated module: the const table of security schemes and
//! requirements the runtime's authenticator reads (`crate::auth::security::Security`), and
//! one `Credentials` constructor per scheme. The runtime does the signing; this file only
//! says what there is.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ctx::{ident, Ctx};
use super::docs::{code, link, DocLines};
use crate::error::Error;
use crate::ir::{ApiKeyLocation, Requirement, SchemeKind, SecurityScheme, TokenUrl};

/// The path of the runtime's table types.
fn rt() -> TokenStream {
    quote!(crate::auth::security)
}

/// `security.rs`: `SECURITY` and the per-scheme constructors.
pub(crate) fn emit(ctx: &Ctx<'_>) -> Result<TokenStream, Error> {
    let security = &ctx.ir.security;
    let rt = rt();
    let mut docs = DocLines::new();
    if security.schemes.is_empty() {
        docs.line("The spec declares no security scheme: the credentials a client is built with are sent as their kind says (see `Credentials`).");
    } else {
        docs.line(
            "The security schemes of the spec, one `Credentials` constructor each, and the security requirement of every operation (read by the client's authenticator).",
        );
    }
    let table_doc = DocLines::from_line(
        "The schemes (sorted by name), the document's requirement, and the operations with their own (sorted by operation id); requirements are alternatives of schemes sent together, by index.",
    )
    .attrs();
    let schemes = security.schemes.iter().map(scheme);
    let default = match &security.default {
        None => quote!(None),
        Some(list) => {
            let list = requirement(list);
            quote!(Some(#list))
        }
    };
    let operations = ctx.ir.operations.iter().filter_map(|op| {
        let list = requirement(op.security.as_deref()?);
        let id = &op.id;
        Some(quote!((#id, #list)))
    });
    let table = quote! {
        #rt::Security {
            schemes: &[#(#schemes),*],
            default: #default,
            operations: &[#(#operations),*],
        }
    };
    let constructors = security
        .schemes
        .iter()
        .map(|s| constructor(ctx, s))
        .collect::<Result<Vec<_>, _>>()?;
    let impl_block = if constructors.iter().all(TokenStream::is_empty) {
        TokenStream::new()
    } else {
        quote! {
            impl crate::Credentials {
                #(#constructors)*
            }
        }
    };
    let items = quote! {
        #table_doc
        pub(crate) const SECURITY: #rt::Security = #table;

        #impl_block
    };
    Ok(ctx.finish(docs, items))
}

/// One `Scheme { name, kind }` of the table.
fn scheme(s: &SecurityScheme) -> TokenStream {
    let rt = rt();
    let name = &s.name;
    let kind = match &s.kind {
        SchemeKind::Basic => quote!(#rt::SchemeKind::Basic),
        SchemeKind::Bearer { .. } => quote!(#rt::SchemeKind::Bearer),
        SchemeKind::Digest => quote!(#rt::SchemeKind::Digest),
        SchemeKind::Http { scheme } => quote!(#rt::SchemeKind::Http { scheme: #scheme }),
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                ApiKeyLocation::Header => quote!(Header),
                ApiKeyLocation::Query => quote!(Query),
                ApiKeyLocation::Cookie => quote!(Cookie),
            };
            quote!(#rt::SchemeKind::ApiKey { location: #rt::ApiKeyLocation::#location, name: #name })
        }
        SchemeKind::OAuth2 {
            client_credentials, ..
        } => {
            let flow = match client_credentials {
                None => quote!(None),
                Some(flow) => {
                    let url = match &flow.token_url {
                        TokenUrl::Absolute(u) => quote!(#rt::TokenUrl::Absolute(#u)),
                        TokenUrl::Base(u) => quote!(#rt::TokenUrl::Base(#u)),
                        TokenUrl::Relative(u) => quote!(#rt::TokenUrl::Relative(#u)),
                    };
                    let scopes = &flow.scopes;
                    quote!(Some(#rt::ClientCredentials { token_url: #url, scopes: &[#(#scopes),*] }))
                }
            };
            quote!(#rt::SchemeKind::OAuth2 { client_credentials: #flow })
        }
        SchemeKind::OpenIdConnect { .. } => quote!(#rt::SchemeKind::OpenIdConnect),
        SchemeKind::Unsupported { .. } => quote!(#rt::SchemeKind::Unsupported),
    };
    quote!(#rt::Scheme { name: #name, kind: #kind })
}

/// `&[&[0, 2], &[1]]`: the alternatives of a requirement, each scheme by its index.
fn requirement(list: &[Requirement]) -> TokenStream {
    let alternatives = list.iter().map(|requirement| {
        let indices = requirement
            .schemes
            .iter()
            .map(|usage| Literal::usize_unsuffixed(usage.index));
        quote!(&[#(#indices),*])
    });
    quote!(&[#(#alternatives),*])
}

/// The `Credentials` constructor of one scheme (nothing for an unsupported one).
fn constructor(ctx: &Ctx<'_>, s: &SecurityScheme) -> Result<TokenStream, Error> {
    let Some(method) = &s.constructor else {
        return Ok(TokenStream::new());
    };
    let method = ident(ctx, method.as_str(), &s.source)?;
    let name = &s.name;
    let mut docs = DocLines::new();
    let (summary, args, body) = match &s.kind {
        SchemeKind::Basic => (
            "HTTP Basic: sent as `Authorization: Basic base64(username:password)`.".to_owned(),
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(Self::basic(username, password)),
        ),
        SchemeKind::Bearer { format } => (
            match format {
                Some(f) => format!(
                    "a bearer token ({}): sent as `Authorization: Bearer <token>`.",
                    code(f)
                ),
                None => "a bearer token: sent as `Authorization: Bearer <token>`.".to_owned(),
            },
            quote!(token: impl Into<String>),
            quote!(Self::bearer(token)),
        ),
        SchemeKind::Digest => (
            "HTTP Digest (RFC 7616): the client answers the server's challenge.".to_owned(),
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(Self::digest(username, password)),
        ),
        SchemeKind::Http { scheme } => (
            format!(
                "HTTP {}: sent as {}.",
                code(scheme),
                code(&format!("Authorization: {scheme} <credentials>"))
            ),
            quote!(credentials: impl Into<String>),
            quote!(Self::bearer(credentials)),
        ),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                ApiKeyLocation::Header => format!("in header {}", code(name)),
                ApiKeyLocation::Query => format!(
                    "in query parameter {} (never shown in errors or logs)",
                    code(name)
                ),
                ApiKeyLocation::Cookie => format!("in cookie {}", code(name)),
            };
            (
                format!("an API key, sent {place}."),
                quote!(key: impl Into<String>),
                quote!(Self::api_key(key)),
            )
        }
        SchemeKind::OAuth2 {
            client_credentials: Some(flow),
            ..
        } => {
            let url = match &flow.token_url {
                TokenUrl::Absolute(u) => link(u),
                TokenUrl::Base(path) => format!("{} under the base URL", code(path)),
                TokenUrl::Relative(u) => format!("{} (relative to the base URL)", code(u)),
            };
            let scopes = if flow.scopes.is_empty() {
                "no scope".to_owned()
            } else {
                let list: Vec<String> = flow.scopes.iter().map(|s| code(s)).collect();
                format!("scopes {}", list.join(", "))
            };
            (
                format!(
                    "OAuth 2.0 client credentials: exchanged for a bearer token at {url}, requesting {scopes} by default (see `Credentials::scopes`). A token obtained otherwise goes through `Credentials::bearer`."
                ),
                quote!(client_id: impl Into<String>, client_secret: impl Into<String>),
                quote!(Self::service_account(client_id, client_secret)),
            )
        }
        SchemeKind::OAuth2 { other_flows, .. } => {
            let flows: Vec<String> = other_flows.iter().map(|f| code(f)).collect();
            (
                format!(
                    "an OAuth 2.0 access token you obtained ({} flow): sent as `Authorization: Bearer <token>`.",
                    flows.join(", ")
                ),
                quote!(token: impl Into<String>),
                quote!(Self::bearer(token)),
            )
        }
        SchemeKind::OpenIdConnect { url } => (
            format!(
                "an OpenID Connect access token you obtained (discovery: {}): sent as `Authorization: Bearer <token>`.",
                link(url)
            ),
            quote!(token: impl Into<String>),
            quote!(Self::bearer(token)),
        ),
        SchemeKind::Unsupported { .. } => return Ok(TokenStream::new()),
    };
    docs.line(format!(
        "Credentials for security scheme {}: {summary}",
        code(name)
    ));
    if let Some(description) = &s.docs.description {
        docs.text(description);
    }
    let docs = docs.attrs();
    Ok(quote! {
        #docs
        pub fn #method(#args) -> Self {
            crate::__private::for_scheme(#body, #name)
        }
    })
}
