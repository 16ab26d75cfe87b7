//! Security: `components/securitySchemes` → the IR's schemes (kind, location, token URL,
//! the generated `Credentials` constructor's name); `security` lists (the document's, an
//! operation's) → requirements; and the default scopes of each client credentials flow,
//! from every requirement that names its scheme.
//!
//! Input: the validated document (every scheme a requirement names exists) and the lowered
//! operations (their own requirements). Output: [`Security`].

use std::collections::BTreeSet;

use openapiv3::{
    APIKeyLocation, OAuth2Flows, OpenAPI, SecurityRequirement, SecurityScheme as Spec,
};

use super::naming::CredentialNames;
use super::text::text;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{
    ApiKeyLocation, ClientCredentials, Docs, Operation, Requirement, SchemeKind, SchemeUse,
    Security, SecurityScheme, TokenUrl,
};
use crate::pointer::JsonPointer;

/// HTTP schemes answered with a computed challenge response, which a fixed value cannot
/// satisfy (lower case, as compared).
const CHALLENGE_SCHEMES: &[&str] = &[
    "hoba",
    "mutual",
    "negotiate",
    "ntlm",
    "scram-sha-1",
    "scram-sha-256",
];

/// A `security` list as the IR holds it: alternatives in spec order (the first one the
/// credentials satisfy is sent), each with its schemes sorted by name (all are sent), by name and by position among the schemes sorted by name (validation
/// has checked that each is declared); `security: []` is one empty requirement (no
/// credentials).
pub(crate) fn requirements(
    api: &OpenAPI,
    list: Option<&Vec<SecurityRequirement>>,
) -> Option<Vec<Requirement>> {
    let list = list?;
    if list.is_empty() {
        return Some(vec![Requirement {
            schemes: Vec::new(),
        }]);
    }
    let declared: Vec<&String> = api
        .components
        .iter()
        .flat_map(|c| c.security_schemes.keys())
        .collect();
    let index = |name: &str| declared.iter().filter(|k| k.as_str() < name).count();
    Some(
        list.iter()
            .map(|requirement| {
                let mut schemes: Vec<SchemeUse> = requirement
                    .iter()
                    .map(|(scheme, scopes)| SchemeUse {
                        scheme: scheme.clone(),
                        index: index(scheme),
                        scopes: scopes.clone(),
                    })
                    .collect();
                // All of them are sent: their order means nothing, and sorting keeps the
                // output independent of the order of the requirement object's keys.
                schemes.sort_by(|a, b| a.scheme.cmp(&b.scheme));
                Requirement { schemes }
            })
            .collect(),
    )
}

/// The document's schemes (sorted by name) and default requirement.
pub(crate) fn security(doc: Document<'_>, operations: &[Operation]) -> Result<Security, Error> {
    let api = doc.api();
    let default = requirements(api, api.security.as_ref());
    let mut keys: Vec<&String> = api
        .components
        .iter()
        .flat_map(|c| c.security_schemes.keys())
        .collect();
    keys.sort();
    let resolver = doc.resolver();
    let server = api.servers.first().map(|s| s.url.as_str());
    let mut names = CredentialNames::default();
    let mut schemes = Vec::with_capacity(keys.len());
    for key in keys {
        let at = JsonPointer::root()
            .push("components")
            .push("securitySchemes")
            .push(key.as_str());
        let Some(scheme) = api
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(key))
        else {
            continue;
        };
        let resolved = resolver.security_scheme(scheme, &at)?;
        let (kind, description) = kind(resolved.item, server);
        let kind = with_scopes(kind, key, default.as_deref(), operations);
        let constructor =
            (!matches!(kind, SchemeKind::Unsupported { .. })).then(|| names.scheme(key));
        schemes.push(SecurityScheme {
            name: key.clone(),
            constructor,
            kind,
            docs: Docs {
                title: None,
                description: text(description),
                external_url: None,
            },
            source: at,
        });
    }
    Ok(Security { schemes, default })
}

/// The kind of a scheme (client credentials without their scopes yet) and its description.
fn kind<'a>(scheme: &'a Spec, server: Option<&str>) -> (SchemeKind, Option<&'a str>) {
    match scheme {
        Spec::HTTP {
            scheme,
            bearer_format,
            description,
            ..
        } => {
            let lower = scheme.to_ascii_lowercase();
            let kind = match lower.as_str() {
                "basic" => SchemeKind::Basic,
                "bearer" => SchemeKind::Bearer {
                    format: bearer_format.clone(),
                },
                "digest" => SchemeKind::Digest,
                challenge if CHALLENGE_SCHEMES.contains(&challenge) => SchemeKind::Unsupported {
                    reason: format!(
                        "HTTP `{scheme}` answers a challenge with a computed response, which \
                         the client does not implement"
                    ),
                },
                _ => SchemeKind::Http {
                    scheme: scheme.clone(),
                },
            };
            (kind, description.as_deref())
        }
        Spec::APIKey {
            location,
            name,
            description,
            ..
        } => (
            SchemeKind::ApiKey {
                location: match location {
                    APIKeyLocation::Header => ApiKeyLocation::Header,
                    APIKeyLocation::Query => ApiKeyLocation::Query,
                    APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                },
                name: name.clone(),
            },
            description.as_deref(),
        ),
        Spec::OAuth2 {
            flows, description, ..
        } => (oauth2(flows, server), description.as_deref()),
        Spec::OpenIDConnect {
            open_id_connect_url,
            description,
            ..
        } => (
            SchemeKind::OpenIdConnect {
                url: open_id_connect_url.clone(),
            },
            description.as_deref(),
        ),
    }
}

fn oauth2(flows: &OAuth2Flows, server: Option<&str>) -> SchemeKind {
    let mut other_flows = Vec::new();
    if flows.authorization_code.is_some() {
        other_flows.push("authorizationCode".to_owned());
    }
    if flows.implicit.is_some() {
        other_flows.push("implicit".to_owned());
    }
    if flows.password.is_some() {
        other_flows.push("password".to_owned());
    }
    SchemeKind::OAuth2 {
        client_credentials: flows
            .client_credentials
            .as_ref()
            .map(|flow| ClientCredentials {
                token_url: token_url(&flow.token_url, server),
                scopes: Vec::new(),
            }),
        other_flows,
    }
}

/// Where a token URL is: under the default server (`https://cloud.mongodb.com/api/oauth/token`
/// with server `https://cloud.mongodb.com` → `Base("/api/oauth/token")`), elsewhere, or
/// relative to the server.
fn token_url(url: &str, server: Option<&str>) -> TokenUrl {
    if !is_absolute(url) {
        return TokenUrl::Relative(url.to_owned());
    }
    let under = server
        .filter(|s| is_absolute(s))
        .map(|s| s.trim_end_matches('/'))
        .and_then(|s| url.strip_prefix(s))
        .filter(|rest| rest.is_empty() || rest.starts_with('/'));
    match under {
        Some("") => TokenUrl::Base("/".to_owned()),
        Some(rest) => TokenUrl::Base(rest.to_owned()),
        None => TokenUrl::Absolute(url.to_owned()),
    }
}

/// `scheme://…` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn is_absolute(url: &str) -> bool {
    url.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// The kind with its client credentials flow's default scopes: every scope that the
/// document's requirement and each operation's own list for scheme `name`.
fn with_scopes(
    kind: SchemeKind,
    name: &str,
    default: Option<&[Requirement]>,
    operations: &[Operation],
) -> SchemeKind {
    let SchemeKind::OAuth2 {
        client_credentials: Some(flow),
        other_flows,
    } = kind
    else {
        return kind;
    };
    let lists = default
        .into_iter()
        .chain(operations.iter().filter_map(|op| op.security.as_deref()));
    let scopes: BTreeSet<&String> = lists
        .flatten()
        .flat_map(|requirement| &requirement.schemes)
        .filter(|usage| usage.scheme == name)
        .flat_map(|usage| &usage.scopes)
        .collect();
    SchemeKind::OAuth2 {
        client_credentials: Some(ClientCredentials {
            scopes: scopes.into_iter().cloned().collect(),
            ..flow
        }),
        other_flows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_urls_under_the_server_follow_the_base_url() {
        let server = Some("https://cloud.mongodb.com");
        for (url, server, expected) in [
            (
                "https://cloud.mongodb.com/api/oauth/token",
                server,
                TokenUrl::Base("/api/oauth/token".into()),
            ),
            (
                "https://cloud.mongodb.com/api/oauth/token",
                Some("https://cloud.mongodb.com/"),
                TokenUrl::Base("/api/oauth/token".into()),
            ),
            (
                "https://cloud.mongodb.community/token",
                server,
                TokenUrl::Absolute("https://cloud.mongodb.community/token".into()),
            ),
            (
                "https://auth.example.com/token",
                server,
                TokenUrl::Absolute("https://auth.example.com/token".into()),
            ),
            (
                "https://auth.example.com/token",
                Some("/v1"),
                TokenUrl::Absolute("https://auth.example.com/token".into()),
            ),
            (
                "/oauth/token",
                server,
                TokenUrl::Relative("/oauth/token".into()),
            ),
            ("token", None, TokenUrl::Relative("token".into())),
        ] {
            assert_eq!(token_url(url, server), expected, "{url} under {server:?}");
        }
    }
}
