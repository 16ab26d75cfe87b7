//! What only generated code calls: the rule checks of `Validate` impls and builders, the
//! serde helpers, the calls and types of the request interface, and the macros that write
//! the shared parts of generated types once (serde's `__private` is the model). Hidden from
//! the docs and not part of the public API: it changes with the generator.
//!
//! Everything generated code needs is reachable from here, so the compiler counts it used
//! in every generated crate, whichever parts of the runtime its spec needs: the runtime
//! needs no `#[allow(dead_code)]`.

use crate::multipart::Form;
use crate::{Client, Credentials, Error, Response};

pub use crate::auth::security::{
    ApiKeyLocation, ClientCredentials, Scheme, SchemeKind, Security, TokenUrl,
};
pub use crate::client::{Body, PathPart, RequestSpec};
pub use crate::codec::{double_option, json_body, serialize_tagged};
pub use crate::encode::{form_body, In, Param, Params, Style, ToParam, Value};
pub use crate::pagination::{paginate, Page, PageNumber};
pub use crate::validate::rules::{float_range, int_range, items, length, pattern};
pub use crate::{
    __new_default as new_default, __open_enum as open_enum, __send as send,
    __variant_doc as variant_doc,
};

/// A request builder's call: the client it was made from and what to send, its arguments
/// checked. `Err` is an argument the spec's rules reject, or one that cannot be encoded.
pub type Call = Result<(Client, RequestSpec), Error>;

/// Sends `spec` and decodes a 2xx JSON body into `T` (see `Client::execute`).
pub async fn execute<T: serde::de::DeserializeOwned>(
    client: &Client,
    spec: RequestSpec,
) -> Result<Response<T>, Error> {
    client.execute(spec).await
}

/// Sends `spec`; any 2xx body is ignored.
pub async fn execute_empty(client: &Client, spec: RequestSpec) -> Result<Response<()>, Error> {
    client.execute_empty(spec).await
}

/// Sends `spec` and returns the 2xx body as is.
pub async fn execute_bytes(
    client: &Client,
    spec: RequestSpec,
) -> Result<Response<bytes::Bytes>, Error> {
    client.execute_bytes(spec).await
}

/// Sends `spec` for a redirect answer (2xx or 3xx, not followed).
pub async fn execute_redirect(client: &Client, spec: RequestSpec) -> Result<Response<()>, Error> {
    client.execute_redirect(spec).await
}

/// `credentials`, for the security scheme named `scheme` only (what the generated
/// per-scheme constructors call).
pub fn for_scheme(credentials: Credentials, scheme: &'static str) -> Credentials {
    credentials.for_scheme(scheme)
}

/// The request body that sends `form` (encoded anew for each attempt).
pub fn multipart_body(form: Form) -> Body {
    form.into_body()
}

/// What every request builder implements; [`send!`](crate::__private::send) writes its
/// `send` and `send_with_response` over it. A trait method, so that no setter a spec
/// names (`request`…) can shadow it.
pub trait Operation {
    /// The call this builder describes.
    fn request(self) -> Call;
}

/// An open string enum: one unit variant per known value (`Variant = "wire"`, in the
/// order given; its docs are the wire value as code, or the text after a `:`) plus
/// `Unknown(String)`, which keeps any other value
/// byte for byte, so it decodes and re-encodes unchanged. The wire table is written once,
/// here; the macro derives `as_str`, `Display`, `FromStr`, `From<&str>`, `From<String>`,
/// serde over the wire string (which serde's derive cannot express for the catch-all)
/// and `ToParam`.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $variant:ident = $wire:literal $(: $doc:literal)?, )*
        }
    ) => {
        $(#[$meta])*
        ///
        /// Values this client does not know decode as `Unknown` and re-encode unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( #[doc = $crate::__private::variant_doc!($wire $(, $doc)?)] $variant, )*
            /// A value this client does not know, kept verbatim (the server added it later).
            Unknown(String),
        }

        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value,
                }
            }

            /// The known variant `value` stands for.
            fn known(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some(Self::$variant), )*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(value.to_owned()))
            }
        }

        impl From<String> for $name {
            /// Reuses the allocation for an unknown value.
            fn from(value: String) -> Self {
                Self::known(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl $crate::encode::ToParam for $name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
}

/// The docs of an open enum's variant: its wire value as code, unless given.
#[doc(hidden)]
#[macro_export]
macro_rules! __variant_doc {
    ($wire:literal) => {
        concat!("`", $wire, "`")
    };
    ($wire:literal, $doc:literal) => {
        $doc
    };
}

/// `new()` for structs whose fields are all optional: `Self::default()`, documented.
#[doc(hidden)]
#[macro_export]
macro_rules! __new_default {
    ($name:ident) => {
        impl $name {
            /// Creates an empty value: every field is optional and starts as `None`.
            pub fn new() -> Self {
                Self::default()
            }
        }
    };
}

/// A request builder's `send` and `send_with_response`, over its
/// [`Operation`](crate::__private::Operation) impl, with their docs:
/// `Builder -> Output, mode "status"`, then `, checked` when the builder checks arguments,
/// after the impl's attributes. The mode says what the success answer is and which
/// `Client` method reads it: `json` (decoded), `bytes ("media/type")` (as is), `empty` (no
/// body) or `redirect` (a 3xx, not followed).
#[doc(hidden)]
#[macro_export]
macro_rules! __send {
    (@doc json $status:literal) => {
        concat!("Sends the request and returns the decoded ", $status, " body.")
    };
    (@doc bytes $status:literal ($media:literal)) => {
        concat!("Sends the request and returns the ", $status, " body as is (`", $media, "`).")
    };
    (@doc empty $status:literal) => {
        concat!("Sends the request; the ", $status, " response has no body.")
    };
    (@doc redirect $status:literal) => {
        concat!(
            "Sends the request; the ", $status, " redirect is not followed: its `Location` is ",
            "in the headers of `send_with_response`."
        )
    };
    (@execute json) => { $crate::__private::execute };
    (@execute bytes) => { $crate::__private::execute_bytes };
    (@execute empty) => { $crate::__private::execute_empty };
    (@execute redirect) => { $crate::__private::execute_redirect };
    (@checked checked) => {
        "Arguments are checked against the spec's rules first: a value they reject is an \
        error before anything is sent (unless the client was built with \
        `validate_arguments(false)`)."
    };
    (
        $(#[$attr:meta])*
        $builder:ident -> $out:ty, $mode:ident $status:literal $(($media:literal))?
        $(, $checked:ident)?
    ) => {
        $(#[$attr])*
        impl $builder {
            #[doc = $crate::__private::send!(@doc $mode $status $(($media))?)]
            pub async fn send(self) -> Result<$out, $crate::Error> {
                self.send_with_response().await.map($crate::client::Response::into_body)
            }

            /// Sends the request and returns the body with the response's status and headers.
            $(
                #[doc = ""]
                #[doc = $crate::__private::send!(@checked $checked)]
            )?
            pub async fn send_with_response(
                self,
            ) -> Result<$crate::client::Response<$out>, $crate::Error> {
                let (client, spec) = $crate::__private::Operation::request(self)?;
                $crate::__private::send!(@execute $mode)(&client, spec).await
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::encode::ToParam as _;

    crate::__private::open_enum! {
        /// A test enum.
        Color {
            Red = "red",
            Empty = "": "The empty string.",
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Empty {
        field: Option<u8>,
    }
    crate::__private::new_default!(Empty);

    #[test]
    fn open_enum_keeps_unknown_values_and_round_trips() {
        assert_eq!(Color::from("red"), Color::Red);
        assert_eq!(Color::from(String::new()), Color::Empty);
        assert_eq!(
            "blue".parse::<Color>(),
            Ok(Color::Unknown("blue".to_owned()))
        );
        let decoded: Vec<Color> = serde_json::from_str(r#"["red","","blue"]"#).unwrap();
        assert_eq!(
            decoded,
            [Color::Red, Color::Empty, Color::Unknown("blue".to_owned())]
        );
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            r#"["red","","blue"]"#
        );
        assert_eq!(Color::Unknown("blue".into()).to_string(), "blue");
        assert_eq!(Color::Red.to_param(), "red");
        assert_eq!(Color::Red.as_str(), "red");
    }

    #[test]
    fn new_default_is_default() {
        assert_eq!(Empty::new(), Empty::default());
        assert_eq!(Empty::new().field, None);
    }
}
