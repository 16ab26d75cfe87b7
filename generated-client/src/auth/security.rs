//! The API's security schemes and requirements, as generated code describes them: one
//! const [`Security`] table per crate (`crate::generated::security::SECURITY`), read by the
//! [`Authenticator`](super::Authenticator) when the client is built.
//!
//! Plain data, all `'static`: a scheme is its name (the `components/securitySchemes` key),
//! its kind and where it goes; a requirement is a list of alternatives (OR), each a list of
//! schemes that must all be sent (AND), by index into [`Security::schemes`]. An empty
//! alternative (`{}`, or `security: []`) needs no credentials.

/// Every security scheme of the API and which of them each operation accepts.
#[derive(Debug, Clone, Copy)]
pub struct Security {
    /// The schemes, sorted by name.
    pub schemes: &'static [Scheme],
    /// The document's top-level `security`; `None` when it has none (then an operation
    /// without its own requirement accepts any one scheme, or none).
    pub default: Option<Requirement>,
    /// The operations with their own `security`, sorted by operation id.
    pub operations: &'static [(&'static str, Requirement)],
}

/// Alternatives (any one will do), each a set of schemes sent together.
pub type Requirement = &'static [&'static [usize]];

impl Security {
    /// The requirement of operation `id`: its own, else the document's, else `None`.
    pub(crate) fn requirement(&self, id: &str) -> Option<Requirement> {
        match self.operations.binary_search_by(|(op, _)| (*op).cmp(id)) {
            Ok(i) => self.operations.get(i).map(|(_, r)| *r),
            Err(_) => self.default,
        }
    }
}

/// One security scheme.
#[derive(Debug, Clone, Copy)]
pub struct Scheme {
    /// Its key under `components/securitySchemes`.
    pub name: &'static str,
    /// What it sends.
    pub kind: SchemeKind,
}

/// What a scheme sends, and so which credentials satisfy it.
#[derive(Debug, Clone, Copy)]
pub enum SchemeKind {
    /// HTTP `basic`: `Authorization: Basic base64(user:password)`.
    Basic,
    /// HTTP `bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP `digest` (RFC 7616): the answer to the server's challenge.
    Digest,
    /// Another HTTP scheme: `Authorization: <scheme> <credentials>`, the credentials as
    /// given.
    Http {
        /// The scheme name, as the spec writes it (`Token`).
        scheme: &'static str,
    },
    /// An API key in a header, the query string or a cookie.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
    /// OAuth 2.0: `Authorization: Bearer <token>`, the token fetched with the client
    /// credentials flow when the scheme has one, else supplied by the user.
    OAuth2 {
        /// The client credentials flow, if the scheme offers it.
        client_credentials: Option<ClientCredentials>,
    },
    /// OpenID Connect: a bearer token the user obtained.
    OpenIdConnect,
    /// A scheme the client cannot send (`negotiate` and other challenge-response HTTP
    /// schemes): a requirement naming it is never satisfied.
    Unsupported,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter (never shown in errors or logs).
    Query,
    /// A cookie (in the `Cookie` header).
    Cookie,
}

/// The OAuth 2.0 client credentials flow of a scheme.
#[derive(Debug, Clone, Copy)]
pub struct ClientCredentials {
    /// The token endpoint.
    pub token_url: TokenUrl,
    /// The scopes requested unless the credentials name others: every scope an operation
    /// requires of this scheme (sorted). Empty: no `scope` field is sent.
    pub scopes: &'static [&'static str],
}

/// Where a token endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUrl {
    /// An absolute URL on another server than the API's.
    Absolute(&'static str),
    /// A path under the client's base URL (the spec's URL began with its default server
    /// URL, so a client pointed at another base URL fetches tokens there too).
    Base(&'static str),
    /// A relative reference, resolved against the base URL (RFC 3986).
    Relative(&'static str),
}
