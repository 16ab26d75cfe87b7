//! [`Credentials`]: the secrets a user hands the client, by kind, each either for every
//! scheme of its kind or bound to one named scheme (the generated per-scheme
//! constructors bind them).

use std::fmt;

use super::Secret;

/// One secret and what it is.
#[derive(Clone)]
pub(crate) enum Kind {
    /// A token sent as is after the scheme name (`Bearer`, or another HTTP scheme's name).
    Token(Secret),
    /// A user name and password (HTTP Basic).
    Basic { username: String, password: Secret },
    /// A user name and password answering Digest challenges.
    Digest { username: String, password: Secret },
    /// An API key.
    ApiKey(Secret),
    /// OAuth 2.0 client credentials, exchanged for tokens.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
}

impl Kind {
    /// How `Debug` and error messages name this kind.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Self::Token(_) => "a bearer token",
            Self::Basic { .. } => "an HTTP Basic user name and password",
            Self::Digest { .. } => "an HTTP Digest key pair",
            Self::ApiKey(_) => "an API key",
            Self::ClientCredentials { .. } => "OAuth 2.0 client credentials",
        }
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token(token) => f.debug_tuple("Bearer").field(token).finish(),
            Self::Basic { username, password } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", password)
                .finish(),
            Self::Digest { username, password } => f
                .debug_struct("Digest")
                .field("public_key", username)
                .field("private_key", password)
                .finish(),
            Self::ApiKey(key) => f.debug_tuple("ApiKey").field(key).finish(),
            Self::ClientCredentials {
                client_id,
                client_secret,
            } => f
                .debug_struct("ServiceAccount")
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .finish(),
        }
    }
}

/// One secret, for every scheme of its kind (`scheme: None`) or for one scheme.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) scheme: Option<&'static str>,
    pub(crate) kind: Kind,
}

/// How the client authenticates its requests: one or more secrets, combined with
/// [`and`](Self::and).
///
/// The constructors here take a secret of one kind, for every security scheme of the API
/// that accepts it; the generated constructors below them (one per scheme of the API's
/// description, named after it) bind a secret to one scheme. For each call the client sends
/// the first alternative of the operation's security requirement that these credentials
/// satisfy in full (every scheme of it); an operation they cannot satisfy fails with
/// [`Error::MissingCredentials`](crate::Error::MissingCredentials) before anything is sent,
/// unless it accepts anonymous calls. [`Credentials::none`] sends every request without
/// credentials.
///
/// `Debug` shows the kind and the public part (user name, API public key, client id) but
/// prints `***` for every secret (password, private key, client secret, token, API key).
///
/// ```
/// use atlas_admin::Credentials;
///
/// let creds = Credentials::digest("abcdefgh", "0f0e0d0c-9a8b-s3cr3t");
/// let shown = format!("{creds:?}");
/// assert!(shown.contains("abcdefgh") && shown.contains("***"));
/// assert!(!shown.contains("s3cr3t"));
/// ```
#[derive(Clone, Default)]
pub struct Credentials {
    pub(crate) entries: Vec<Entry>,
    /// Scopes requested by the client-credentials entries instead of the scheme's default.
    pub(crate) scopes: Option<Vec<String>>,
}

impl Credentials {
    fn one(kind: Kind) -> Self {
        Self {
            entries: vec![Entry { scheme: None, kind }],
            scopes: None,
        }
    }

    /// No authentication: every request is sent without credentials.
    pub fn none() -> Self {
        Self::default()
    }

    /// A token obtained beforehand, sent as `Authorization: Bearer <token>`: for HTTP
    /// `bearer` schemes, OAuth 2.0 schemes (any flow) and OpenID Connect schemes.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::one(Kind::Token(Secret::new(token.into())))
    }

    /// A user name and password for HTTP Basic schemes, sent as
    /// `Authorization: Basic base64(username:password)`.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::one(Kind::Basic {
            username: username.into(),
            password: Secret::new(password.into()),
        })
    }

    /// A key pair for HTTP Digest schemes (RFC 7616; for Atlas, a programmatic API key:
    /// the public key is the user name, the private key the password).
    pub fn digest(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Self::one(Kind::Digest {
            username: public_key.into(),
            password: Secret::new(private_key.into()),
        })
    }

    /// An API key, for `apiKey` schemes: sent in the header, query parameter or cookie
    /// the scheme names (a key in the query string never shows in errors or logs).
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::one(Kind::ApiKey(Secret::new(key.into())))
    }

    /// OAuth 2.0 client credentials (for Atlas, a service account), for OAuth 2.0 schemes
    /// with a client credentials flow: the client exchanges them for a bearer token at the
    /// scheme's token URL (`POST`, form `grant_type=client_credentials` with the scopes,
    /// HTTP Basic `client_id:client_secret`), caches it, refreshes it shortly before it
    /// expires, fetches it once however many requests need it at the same moment, and
    /// fetches a new one once after a 401. A token URL on the API's default server follows
    /// the client's base URL. For Atlas: `{base_url}/api/oauth/token`.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::one(Kind::ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret.into()),
        })
    }

    /// These credentials and `other`'s: for an API with several schemes (an API key and
    /// a bearer token, say), so that each operation gets what it accepts, and operations
    /// that need two schemes at once get both. Where both hold a secret for the same
    /// scheme, `self`'s is used.
    pub fn and(mut self, other: Credentials) -> Self {
        self.entries.extend(other.entries);
        if self.scopes.is_none() {
            self.scopes = other.scopes;
        }
        self
    }

    /// The OAuth 2.0 scopes that client credentials request (the `scope` form field,
    /// space-separated), instead of the default: every scope the API's operations require
    /// of the scheme. An empty list sends no `scope` field.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// These credentials, for the scheme named `scheme` only (what the generated
    /// per-scheme constructors call).
    pub(crate) fn for_scheme(mut self, scheme: &'static str) -> Self {
        for entry in &mut self.entries {
            entry.scheme = Some(scheme);
        }
        self
    }

    /// Whether these are [`Credentials::none`].
    pub(crate) fn is_none(&self) -> bool {
        self.entries.is_empty()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries.is_empty() {
            return f.write_str("Credentials::None");
        }
        let mut list = f.debug_list();
        for entry in &self.entries {
            match entry.scheme {
                Some(scheme) => list.entry(&format_args!("{scheme}: {:?}", entry.kind)),
                None => list.entry(&entry.kind),
            };
        }
        list.finish()?;
        if let Some(scopes) = &self.scopes {
            write!(f, " scopes {scopes:?}")?;
        }
        Ok(())
    }
}
