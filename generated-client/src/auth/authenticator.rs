//! The per-client [`Authenticator`]: the user's [`Credentials`] bound, once, to the API's
//! security schemes; for each call the schemes to send (a [`Plan`], chosen from the
//! operation's requirement before anything is sent), and for each attempt the headers,
//! query parameters and cookies they put on the request.

use std::fmt;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use tokio::time::Instant;
use url::Url;

use super::credentials::{Entry, Kind};
use super::digest_auth::DigestAuth;
use super::oauth::{self, OAuth};
use super::security::{ApiKeyLocation, ClientCredentials, Scheme, SchemeKind, Security, TokenUrl};
use super::{Credentials, Secret};
use crate::redact::Redactor;
use crate::Error;

/// What one bound scheme does to a request.
enum Signer {
    /// A fixed header (`Authorization: Basic …`, `Authorization: Bearer …`, an API key).
    Header {
        name: HeaderName,
        value: HeaderValue,
        /// The secret parts of the value, for the redactor.
        secrets: Vec<Secret>,
    },
    /// An API key in the query string.
    Query { name: &'static str, key: Secret },
    /// An API key in the `Cookie` header.
    Cookie { name: &'static str, key: Secret },
    /// HTTP Digest: answers the last challenge.
    Digest(DigestAuth),
    /// OAuth 2.0 client credentials: a cached token.
    OAuth(Box<OAuth>),
}

impl Signer {
    /// Whether it writes the `Authorization` header.
    fn uses_authorization(&self) -> bool {
        match self {
            Self::Header { name, .. } => name == AUTHORIZATION,
            Self::Digest(_) | Self::OAuth(_) => true,
            Self::Query { .. } | Self::Cookie { .. } => false,
        }
    }

    fn add_secrets(&self, redactor: &mut Redactor) {
        match self {
            Self::Header { value, secrets, .. } => {
                redactor.add_authorization(value);
                for secret in secrets {
                    redactor.add(secret.expose());
                }
            }
            Self::Query { key, .. } | Self::Cookie { key, .. } => redactor.add(key.expose()),
            Self::Digest(d) => d.add_secrets(redactor),
            Self::OAuth(o) => o.add_secrets(redactor),
        }
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header { name, .. } => write!(f, "Header({name}: ***)"),
            Self::Query { name, .. } => write!(f, "Query({name}=***)"),
            Self::Cookie { name, .. } => write!(f, "Cookie({name}=***)"),
            Self::Digest(d) => f.debug_tuple("Digest").field(d).finish(),
            Self::OAuth(o) => f.debug_tuple("OAuth").field(o).finish(),
        }
    }
}

/// One scheme of the API (or, for a spec that declares none, one kind of the
/// credentials) and the signer the credentials give it, if any.
#[derive(Debug)]
struct Bound {
    name: &'static str,
    signer: Option<Signer>,
}

/// The schemes one call sends, by index into the authenticator's schemes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan(Vec<usize>);

/// Produces the credentials of every request of one client (shared by all its clones) and
/// reacts to 401 answers.
pub(crate) struct Authenticator {
    security: Security,
    schemes: Vec<Bound>,
    /// [`Credentials::none`]: nothing is ever sent.
    anonymous: bool,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("schemes", &self.schemes)
            .field("anonymous", &self.anonymous)
            .finish()
    }
}

/// What the authenticator needs besides the credentials.
pub(crate) struct Context<'a> {
    /// The API's schemes (`crate::generated::security::SECURITY`).
    pub(crate) security: Security,
    /// The HTTP client token requests go through.
    pub(crate) http: reqwest::Client,
    /// The client's base URL (token URLs are resolved against it).
    pub(crate) base_url: &'a Url,
    /// Sent by token requests.
    pub(crate) user_agent: String,
    /// Whether a plain `http://` token URL to a non-loopback host is accepted.
    pub(crate) allow_insecure_http: bool,
}

impl Authenticator {
    /// Binds `credentials` to the schemes of `ctx.security`: each scheme takes the secret
    /// bound to it by name, else the first one of a kind it accepts. A secret that no
    /// scheme accepts, a value that cannot be sent (a header value with a line break, …)
    /// or an insecure token URL is an [`Error::Config`].
    pub(crate) fn build(credentials: Credentials, ctx: Context<'_>) -> Result<Self, Error> {
        let anonymous = credentials.is_none();
        let schemes = if ctx.security.schemes.is_empty() {
            blanket(&credentials, &ctx)?
        } else {
            bind(&credentials, &ctx)?
        };
        Ok(Self {
            security: ctx.security,
            schemes,
            anonymous,
        })
    }

    /// Which schemes a call of `operation` sends: the first alternative of its requirement
    /// whose every scheme the credentials satisfy (an alternative that sends something is
    /// preferred over an empty one); with no requirement declared, the first scheme the
    /// credentials satisfy, if any. [`Credentials::none`] sends nothing. An operation the
    /// credentials cannot satisfy is [`Error::MissingCredentials`].
    pub(crate) fn plan(&self, operation: &str) -> Result<Plan, Error> {
        if self.anonymous {
            return Ok(Plan::default());
        }
        let Some(requirement) = self.security.requirement(operation) else {
            let first = self.schemes.iter().position(|s| s.signer.is_some());
            return Ok(Plan(first.into_iter().collect()));
        };
        let mut optional = false;
        for alternative in requirement {
            if alternative.is_empty() {
                optional = true;
            } else if self.satisfies(alternative) {
                return Ok(Plan(alternative.to_vec()));
            }
        }
        if optional {
            return Ok(Plan::default());
        }
        Err(Error::MissingCredentials {
            operation: operation.to_owned(),
            alternatives: requirement
                .iter()
                .map(|alt| alt.iter().map(|&i| self.name(i).to_owned()).collect())
                .collect(),
        })
    }

    /// Whether every scheme of `alternative` is bound, at most one of them writing the
    /// `Authorization` header.
    fn satisfies(&self, alternative: &[usize]) -> bool {
        let mut authorization = 0;
        for &i in alternative {
            match self.schemes.get(i).and_then(|s| s.signer.as_ref()) {
                None => return false,
                Some(signer) if signer.uses_authorization() => authorization += 1,
                Some(_) => {}
            }
        }
        authorization <= 1
    }

    fn name(&self, i: usize) -> &'static str {
        self.schemes.get(i).map_or("?", |s| s.name)
    }

    fn signers<'s>(&'s self, plan: &'s Plan) -> impl Iterator<Item = &'s Signer> + 's {
        plan.0
            .iter()
            .filter_map(|&i| self.schemes.get(i).and_then(|s| s.signer.as_ref()))
    }

    /// Puts the credentials of `plan` on `request`: fixed headers, query parameters and
    /// cookies first, then the `Authorization` answer of Digest (over the final URL) or
    /// OAuth (a token fetched when none is fresh, by `deadline`). Every value sent is added
    /// to `redactor`.
    pub(crate) async fn apply(
        &self,
        plan: &Plan,
        request: &mut reqwest::Request,
        deadline: Option<Instant>,
        redactor: &mut Redactor,
    ) -> Result<(), Error> {
        for signer in self.signers(plan) {
            match signer {
                Signer::Header { name, value, .. } => {
                    request.headers_mut().insert(name.clone(), value.clone());
                }
                Signer::Query { name, key } => {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(name, key.expose());
                }
                Signer::Cookie { name, key } => {
                    append_cookie(request.headers_mut(), name, key.expose())?;
                }
                Signer::Digest(_) | Signer::OAuth(_) => {}
            }
        }
        for signer in self.signers(plan) {
            let value = match signer {
                Signer::Digest(d) => d.authorization(request.method(), request.url())?,
                Signer::OAuth(o) => Some(o.authorization(deadline).await?),
                Signer::Header { .. } | Signer::Query { .. } | Signer::Cookie { .. } => None,
            };
            if let Some(value) = value {
                redactor.add_authorization(&value);
                request.headers_mut().insert(AUTHORIZATION, value);
            }
        }
        Ok(())
    }

    /// Reacts to a 401 to a request sent with `plan`. `Ok(true)`: replay it once with
    /// fresh credentials; `Ok(false)`: give up.
    ///
    /// Digest stores the new challenge (also on `stale=true`); a 401 without any
    /// `WWW-Authenticate` gives up, a malformed or unsupported challenge is a credentials
    /// error. OAuth drops the cached token so the next attempt refetches it (unless it was
    /// just replaced after an earlier 401). Fixed values give up.
    pub(crate) async fn handle_unauthorized_for(
        &self,
        plan: &Plan,
        headers: &HeaderMap,
    ) -> Result<bool, Error> {
        let mut replay = false;
        for signer in self.signers(plan) {
            replay |= match signer {
                Signer::Digest(d) => d.handle_unauthorized(headers)?,
                Signer::OAuth(o) => o.handle_unauthorized(),
                Signer::Header { .. } | Signer::Query { .. } | Signer::Cookie { .. } => false,
            };
        }
        Ok(replay)
    }

    /// Every secret these credentials hold right now, to scrub from what servers send
    /// back: passwords, private keys, API keys, bearer tokens, client secrets (and their
    /// Basic credential), the current and previous access tokens.
    pub(crate) fn redactor(&self) -> Redactor {
        let mut redactor = Redactor::none();
        for signer in self.schemes.iter().filter_map(|s| s.signer.as_ref()) {
            signer.add_secrets(&mut redactor);
        }
        redactor
    }
}

/// Test helpers with the shape of the single-scheme authenticator the tests were written
/// against: the credentials of a call without a declared requirement.
#[cfg(test)]
impl Authenticator {
    /// For `credentials` and the generated scheme table (plain `http://` token URLs
    /// allowed); panics on a configuration error.
    pub(crate) fn new(
        credentials: Credentials,
        http: reqwest::Client,
        base_url: Url,
        user_agent: String,
    ) -> Self {
        Self::build(
            credentials,
            Context {
                security: crate::generated::security::SECURITY,
                http,
                base_url: &base_url,
                user_agent,
                allow_insecure_http: true,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The `Authorization` value of the first scheme the credentials satisfy (`None`
    /// for Digest before a challenge, and for schemes sent elsewhere).
    pub(crate) async fn authorization(
        &self,
        method: &reqwest::Method,
        url: &Url,
        deadline: Option<Instant>,
    ) -> Result<Option<HeaderValue>, Error> {
        let mut request = reqwest::Request::new(method.clone(), url.clone());
        let plan = self.unspecified_plan();
        self.apply(&plan, &mut request, deadline, &mut Redactor::none())
            .await?;
        Ok(request.headers().get(AUTHORIZATION).cloned())
    }

    /// [`handle_unauthorized_for`](Self::handle_unauthorized_for) the same plan.
    pub(crate) async fn handle_unauthorized(&self, headers: &HeaderMap) -> Result<bool, Error> {
        self.handle_unauthorized_for(&self.unspecified_plan(), headers)
            .await
    }

    fn unspecified_plan(&self) -> Plan {
        if self.anonymous {
            return Plan::default();
        }
        Plan(
            self.schemes
                .iter()
                .position(|s| s.signer.is_some())
                .into_iter()
                .collect(),
        )
    }
}

/// Binds the credentials to the schemes of the table.
fn bind(credentials: &Credentials, ctx: &Context<'_>) -> Result<Vec<Bound>, Error> {
    let mut used = vec![false; credentials.entries.len()];
    let mut bound = Vec::with_capacity(ctx.security.schemes.len());
    for scheme in ctx.security.schemes {
        let named = credentials
            .entries
            .iter()
            .position(|e| e.scheme == Some(scheme.name));
        let chosen = named.or_else(|| {
            credentials
                .entries
                .iter()
                .position(|e| e.scheme.is_none() && accepts(&scheme.kind, &e.kind))
        });
        let signer = match chosen.and_then(|i| credentials.entries.get(i).map(|e| (i, e))) {
            Some((i, entry)) => {
                if let Some(flag) = used.get_mut(i) {
                    *flag = true;
                }
                Some(signer(scheme, entry, credentials, ctx)?)
            }
            None => None,
        };
        bound.push(Bound {
            name: scheme.name,
            signer,
        });
    }
    // A secret no scheme could take (one shadowed by an earlier secret of its kind is
    // merely unused).
    let schemes = ctx.security.schemes;
    let unused = credentials.entries.iter().zip(&used).find(|(e, used)| {
        !**used
            && !schemes.iter().any(|s| match e.scheme {
                Some(name) => s.name == name,
                None => accepts(&s.kind, &e.kind),
            })
    });
    if let Some((entry, _)) = unused {
        let declared: Vec<String> = ctx
            .security
            .schemes
            .iter()
            .map(|s| format!("`{}` ({})", s.name, describe(&s.kind)))
            .collect();
        let what = match entry.scheme {
            Some(name) => format!("credentials for a scheme `{name}`"),
            None => format!(
                "{} (`Credentials::{}`)",
                entry.kind.describe(),
                constructor(&entry.kind)
            ),
        };
        return Err(Error::config(format!(
            "the API has no security scheme that takes {what}; its schemes: {}",
            declared.join(", ")
        )));
    }
    Ok(bound)
}

/// For a spec that declares no security scheme: each secret is sent the way its kind
/// says (bearer and Basic in `Authorization`, Digest answering challenges, client
/// credentials exchanged at `{base_url}/api/oauth/token`). An API key has nowhere to go.
fn blanket(credentials: &Credentials, ctx: &Context<'_>) -> Result<Vec<Bound>, Error> {
    let mut bound = Vec::with_capacity(credentials.entries.len());
    for entry in &credentials.entries {
        let (name, kind) = match &entry.kind {
            Kind::Token(_) => ("bearer", SchemeKind::Bearer),
            Kind::Basic { .. } => ("basic", SchemeKind::Basic),
            Kind::Digest { .. } => ("digest", SchemeKind::Digest),
            Kind::ClientCredentials { .. } => (
                "service account",
                SchemeKind::OAuth2 {
                    client_credentials: Some(ClientCredentials {
                        token_url: TokenUrl::Base(oauth::DEFAULT_TOKEN_PATH),
                        scopes: &[],
                    }),
                },
            ),
            Kind::ApiKey(_) => {
                return Err(Error::config(
                    "the API declares no apiKey security scheme, so there is nowhere to send \
                     an API key (Credentials::api_key)",
                ))
            }
        };
        let scheme = Scheme { name, kind };
        bound.push(Bound {
            name,
            signer: Some(signer(&scheme, entry, credentials, ctx)?),
        });
    }
    Ok(bound)
}

/// Whether a secret of kind `kind` (not bound to a scheme) serves `scheme`.
fn accepts(scheme: &SchemeKind, kind: &Kind) -> bool {
    matches!(
        (scheme, kind),
        (SchemeKind::Basic, Kind::Basic { .. })
            | (SchemeKind::Bearer, Kind::Token(_))
            | (SchemeKind::Digest, Kind::Digest { .. })
            | (SchemeKind::ApiKey { .. }, Kind::ApiKey(_))
            | (
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect,
                Kind::Token(_)
            )
            | (
                SchemeKind::OAuth2 {
                    client_credentials: Some(_)
                },
                Kind::ClientCredentials { .. }
            )
    )
}

/// The signer of `scheme` with the secret of `entry`.
fn signer(
    scheme: &Scheme,
    entry: &Entry,
    credentials: &Credentials,
    ctx: &Context<'_>,
) -> Result<Signer, Error> {
    let mismatch = || {
        Error::config(format!(
            "security scheme `{}` ({}) cannot use {}",
            scheme.name,
            describe(&scheme.kind),
            entry.kind.describe()
        ))
    };
    let header = |name: HeaderName, value: String, secrets: Vec<Secret>| {
        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            Error::config(format!(
                "the credentials of security scheme `{}` contain characters not allowed in a \
                 header (line breaks, control characters)",
                scheme.name
            ))
        })?;
        value.set_sensitive(true);
        Ok::<_, Error>(Signer::Header {
            name,
            value,
            secrets,
        })
    };
    Ok(match (&scheme.kind, &entry.kind) {
        (SchemeKind::Basic, Kind::Basic { username, password }) => {
            let encoded = base64::engine::general_purpose::STANDARD
                .encode(format!("{username}:{}", password.expose()));
            let value = format!("Basic {encoded}");
            header(
                AUTHORIZATION,
                value,
                vec![Secret::new(encoded), password.clone()],
            )?
        }
        (
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect,
            Kind::Token(token),
        ) => header(
            AUTHORIZATION,
            format!("Bearer {}", token.expose()),
            vec![token.clone()],
        )?,
        (SchemeKind::Http { scheme: name }, Kind::Token(token)) => header(
            AUTHORIZATION,
            format!("{name} {}", token.expose()),
            vec![token.clone()],
        )?,
        (SchemeKind::Digest, Kind::Digest { username, password }) => {
            Signer::Digest(DigestAuth::new(username.clone(), password.clone()))
        }
        (SchemeKind::ApiKey { location, name }, Kind::ApiKey(key)) => match location {
            ApiKeyLocation::Header => {
                let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::config(format!(
                        "security scheme `{}` names `{name}`, which is not a valid header name",
                        scheme.name
                    ))
                })?;
                header(header_name, key.expose().to_owned(), vec![key.clone()])?
            }
            ApiKeyLocation::Query => Signer::Query {
                name,
                key: key.clone(),
            },
            ApiKeyLocation::Cookie => {
                if !valid_cookie(name, key.expose()) {
                    return Err(Error::config(format!(
                        "the API key of security scheme `{}` cannot be sent in a cookie: it \
                         holds characters a cookie value cannot (spaces, `;`, `,`, quotes, \
                         control characters)",
                        scheme.name
                    )));
                }
                Signer::Cookie {
                    name,
                    key: key.clone(),
                }
            }
        },
        (
            SchemeKind::OAuth2 {
                client_credentials: Some(flow),
            },
            Kind::ClientCredentials {
                client_id,
                client_secret,
            },
        ) => {
            let token_url = token_url(flow.token_url, ctx)?;
            let scopes: Vec<String> = match &credentials.scopes {
                Some(scopes) => scopes.clone(),
                None => flow.scopes.iter().map(|s| (*s).to_owned()).collect(),
            };
            let scope = (!scopes.is_empty()).then(|| scopes.join(" "));
            Signer::OAuth(Box::new(OAuth::with_endpoint(
                client_id.clone(),
                client_secret.clone(),
                token_url,
                scope,
                ctx.http.clone(),
                ctx.user_agent.clone(),
            )))
        }
        _ => return Err(mismatch()),
    })
}

/// The token endpoint of a client-credentials flow, checked like the base URL: `https`,
/// or plain `http` to a loopback host unless insecure HTTP is allowed.
fn token_url(url: TokenUrl, ctx: &Context<'_>) -> Result<Url, Error> {
    let resolved = match url {
        TokenUrl::Base(path) => Ok(oauth::under_base(ctx.base_url, path)),
        TokenUrl::Absolute(url) => Url::parse(url),
        TokenUrl::Relative(reference) => ctx.base_url.join(reference),
    }
    .map_err(|e| Error::config(format!("the token URL of the API is not a valid URL: {e}")))?;
    let loopback = resolved
        .host()
        .is_some_and(|h| crate::client::is_loopback(&h));
    match resolved.scheme() {
        "https" => Ok(resolved),
        "http" if loopback || ctx.allow_insecure_http => Ok(resolved),
        other => Err(Error::config(format!(
            "the token URL `{}://{}{}` would send the client secret over `{other}`; expected \
             https (or http to a loopback host, or allow_insecure_http(true))",
            resolved.scheme(),
            resolved.host_str().unwrap_or_default(),
            resolved.path()
        ))),
    }
}

/// Adds `name=value` to the request's `Cookie` header (one header, pairs joined by `; `,
/// after any cookie already there).
fn append_cookie(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), Error> {
    let pair = format!("{name}={value}");
    let joined = match headers.get(COOKIE).map(HeaderValue::to_str) {
        Some(Ok(existing)) if !existing.is_empty() => format!("{existing}; {pair}"),
        _ => pair,
    };
    let mut value = HeaderValue::from_str(&joined)
        .map_err(|_| Error::config("a cookie value is not valid in a header"))?;
    value.set_sensitive(true);
    headers.insert(COOKIE, value);
    Ok(())
}

/// RFC 6265: a token for the name, cookie-octets for the value.
fn valid_cookie(name: &str, value: &str) -> bool {
    let token = |c: u8| c.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&c);
    let octet = |c: u8| c.is_ascii_graphic() && !b"\",;\\".contains(&c);
    !name.is_empty() && name.bytes().all(token) && value.bytes().all(octet)
}

/// How error messages name a scheme kind.
fn describe(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Basic => "HTTP Basic".to_owned(),
        SchemeKind::Bearer => "HTTP bearer token".to_owned(),
        SchemeKind::Digest => "HTTP Digest".to_owned(),
        SchemeKind::Http { scheme } => format!("HTTP `{scheme}`"),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("API key in {place} `{name}`")
        }
        SchemeKind::OAuth2 {
            client_credentials: Some(_),
        } => "OAuth 2.0 client credentials or token".to_owned(),
        SchemeKind::OAuth2 { .. } => "OAuth 2.0 token".to_owned(),
        SchemeKind::OpenIdConnect => "OpenID Connect token".to_owned(),
        SchemeKind::Unsupported => "not supported by this client".to_owned(),
    }
}

/// The runtime constructor of a kind, for error messages.
fn constructor(kind: &Kind) -> &'static str {
    match kind {
        Kind::Token(_) => "bearer",
        Kind::Basic { .. } => "basic",
        Kind::Digest { .. } => "digest",
        Kind::ApiKey(_) => "api_key",
        Kind::ClientCredentials { .. } => "service_account",
    }
}
