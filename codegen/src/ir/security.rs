//! Security of the IR: the schemes of `components/securitySchemes` and the requirements
//! (document default, per operation) that name them.

use serde::Serialize;

use super::{Docs, MethodName};
use crate::pointer::JsonPointer;

/// The API's security schemes and its default requirement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Security {
    /// Every scheme, sorted by name (requirements refer to them by name; the generated
    /// table, by position in this list).
    pub schemes: Vec<SecurityScheme>,
    /// The top-level `security`: `None` when the document has none.
    pub default: Option<Vec<Requirement>>,
}

impl Security {
    /// Whether the document declares no scheme and no default requirement.
    pub fn is_empty(&self) -> bool {
        self.schemes.is_empty() && self.default.is_none()
    }
}

/// One scheme of `components/securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityScheme {
    /// Its key.
    pub name: String,
    /// The generated `Credentials` constructor for it; `None` for a scheme the client
    /// cannot send.
    pub constructor: Option<MethodName>,
    /// What it sends.
    pub kind: SchemeKind,
    /// Its `description`.
    pub docs: Docs,
    /// `#/components/securitySchemes/{name}`.
    pub source: JsonPointer,
}

/// What a scheme sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SchemeKind {
    /// HTTP `basic`.
    Basic,
    /// HTTP `bearer`, with its `bearerFormat` (documentation only).
    Bearer { format: Option<String> },
    /// HTTP `digest`.
    Digest,
    /// Another HTTP scheme whose credentials are a value sent after its name
    /// (`Authorization: Token abc`), as the spec writes the name.
    Http { scheme: String },
    /// `apiKey`.
    ApiKey {
        location: ApiKeyLocation,
        name: String,
    },
    /// `oauth2`: the client credentials flow if the scheme has one; the other flows by name
    /// (their tokens are supplied by the user).
    OAuth2 {
        client_credentials: Option<ClientCredentials>,
        other_flows: Vec<String>,
    },
    /// `openIdConnect`: a token supplied by the user.
    OpenIdConnect { url: String },
    /// A scheme the client cannot send: challenge-response HTTP schemes (`negotiate`,
    /// `ntlm`, `mutual`, `hoba`, `scram-*`). Requirements naming it are never satisfied.
    Unsupported { reason: String },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// An OAuth 2.0 client credentials flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientCredentials {
    /// The token endpoint.
    pub token_url: TokenUrl,
    /// The scopes requested by default: every scope an operation's requirement lists for
    /// this scheme (the operation's own or the document's), sorted and deduplicated.
    pub scopes: Vec<String>,
}

/// A token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TokenUrl {
    /// An absolute URL not under the default server URL.
    Absolute(String),
    /// An absolute URL under the default server URL (`servers[0].url`): the path after it,
    /// so that a client with another base URL fetches its tokens there.
    Base(String),
    /// A relative reference, resolved against the client's base URL.
    Relative(String),
}

/// A security requirement object: schemes that must all be sent (AND). Empty (`{}`): no
/// credentials needed. A `security` list holds alternatives of these (OR); `security: []`
/// is lowered to one empty requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The schemes, sorted by name (all are sent, so their order means nothing).
    pub schemes: Vec<SchemeUse>,
}

/// One scheme of a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeUse {
    /// The scheme's name.
    pub scheme: String,
    /// Its position in [`Security::schemes`] (what the generated table refers to it by).
    pub index: usize,
    /// The scopes listed for it (OAuth 2.0, OpenID Connect).
    pub scopes: Vec<String>,
}
