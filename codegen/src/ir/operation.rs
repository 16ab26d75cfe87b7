//! Operations of the IR: one per `operationId`, with parameters by location, body,
//! responses, media-type versions, pagination and deprecation.

use serde::Serialize;

use super::{
    Constraints, Docs, FieldName, MethodName, PathTemplate, Renamed, Requirement, TypeName,
    TypeRef, VariantName,
};
use crate::pointer::JsonPointer;

/// One API operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operation {
    /// The `operationId` as written; for an operation without one, its HTTP method and
    /// path template (`GET /pets/{petId}`). It labels the operation in docs and traces.
    pub id: String,
    /// `Client` method name: snake_case of the id (see `name_origin`).
    pub method_name: MethodName,
    /// Name of the request builder type: UpperCamel of the id.
    pub builder_name: TypeName,
    /// Why the names are not the plain conversion of the operationId, if they are not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_origin: Option<NameOrigin>,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// The path template (server base path not included).
    pub path: PathTemplate,
    /// Parameters: path ones in template order, then the others in spec order.
    /// `envelope`-style parameters the typed client must not offer are already removed.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The success response (lowest 2xx).
    pub ok: Response,
    /// Documented non-2xx responses, by status.
    pub errors: Vec<Response>,
    /// Versioned media types, oldest first. Empty when the operation only speaks
    /// `application/json`.
    pub media: Vec<MediaVersion>,
    /// The name of the generated version-selector enum when there are several versions.
    pub version_enum: Option<TypeName>,
    /// List operations with page number/size parameters and a results array.
    pub pagination: Option<Pagination>,
    /// `deprecated: true`.
    pub deprecated: Option<Deprecation>,
    /// summary (as title), description, external docs.
    pub docs: Docs,
    /// `tags`.
    pub tags: Vec<String>,
    /// The operation's own `security` (alternatives), `None` when it has none and the
    /// document's default applies. `security: []` is one empty requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<Vec<Requirement>>,
    /// `#/paths/~1…/post`.
    pub source: JsonPointer,
}

/// Where an operation's method and builder names come from, when not simply from its
/// operationId.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum NameOrigin {
    /// The spec gives no operationId: the names come from the HTTP method and path
    /// (`GET /pets/{petId}` → `get_pets_pet_id`, `GetPetsPetId`).
    Route,
    /// The operationId's plain method name is another operation's, so it has a suffix.
    Renamed(Renamed),
    /// No operationId, and the route's plain method name is another operation's.
    RenamedRoute(Renamed),
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl HttpMethod {
    /// Upper-case name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Trace => "TRACE",
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// OpenAPI's `style` of a parameter (or of a form body's property).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// What the runtime is handed as a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamValue {
    /// One primitive (scalar, enum, or a union of those), by its parameter text.
    Text,
    /// An array of primitives, each by its text.
    List,
    /// Any other value (an object, a map, a union, a free-form value, an array of
    /// those) by its JSON form, which the style lays out; members that are themselves
    /// arrays or objects are their JSON text (`deepObject` nests brackets instead).
    Json,
    /// A parameter described by `content` `application/json`: its JSON text, as one
    /// string.
    JsonText,
}

/// How a parameter is serialized: `style`, `explode`, `allowReserved`, and the shape of
/// its value. Decided by `lower::params`, with OpenAPI's defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParamEncoding {
    /// `style` (default: `form` in query and cookie, `simple` in path and header).
    pub style: ParamStyle,
    /// `explode` (default: true for `form`, false otherwise).
    pub explode: bool,
    /// `allowReserved` (query only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_reserved: bool,
    /// The value's shape.
    pub value: ParamValue,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (argument or setter), unique among the operation's parameters and `body`.
    pub rust: FieldName,
    /// Location.
    pub location: ParamLocation,
    /// Type (a scalar, a named enum, a list, a model, a map, a union…).
    pub ty: TypeRef,
    /// How it is serialized.
    pub encoding: ParamEncoding,
    /// Required parameters are positional arguments; optional ones are setters.
    pub required: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Docs.
    pub docs: Docs,
    /// Validation rules and default.
    pub rules: Constraints,
    /// Where it comes from (the parameter object, after `$ref` resolution: the pointer of
    /// the operation's `parameters[i]` entry).
    pub source: JsonPointer,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Body {
    /// Its type (`Scalar::Bytes` for a raw body).
    pub ty: TypeRef,
    /// A body that is not JSON (`text/plain`, `application/octet-stream`…): the
    /// `Content-Type` it is sent with, as raw bytes. `None` for JSON bodies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_media: Option<String>,
    /// An `application/x-www-form-urlencoded` body with a typed schema: its properties
    /// are encoded as form parameters (`None` for every other body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<FormBody>,
    /// `required: true` → positional argument; otherwise a `body(…)` setter.
    pub required: bool,
    /// Docs from the request body's description.
    pub docs: Docs,
    /// Where it comes from.
    pub source: JsonPointer,
    /// A `multipart/form-data` body: how it becomes parts. `None` for JSON and raw bodies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multipart: Option<Multipart>,
}

/// How a `multipart/form-data` body becomes parts (decided in `lower::multipart`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Multipart {
    /// The body schema is an object (a `$ref` to one, an `allOf` of objects): the body is
    /// that struct ([`Body::ty`]) and each of its fields, in order, is a part (or, for an
    /// array, one part per item) named after the property.
    Fields(Vec<FormPart>),
    /// The spec names no parts (no schema, or a schema that is not an object: a lone
    /// binary string, an array, a union): the body is the runtime's
    /// `crate::multipart::Form`, filled by the caller, who knows the part names.
    Free,
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormPart {
    /// The part name (the property name on the wire).
    pub wire: String,
    /// The struct field holding it.
    pub field: FieldName,
    /// How its value is encoded.
    pub kind: PartKind,
    /// An array: one part per item, all with this name.
    pub each: bool,
    /// The `Content-Type` the media type's `encoding` gives the part, when it names exactly
    /// one concrete media type (for a file, the default when the file names none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

/// How a part's value is encoded (OpenAPI 3.0.3, Encoding Object `contentType` defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PartKind {
    /// A primitive (string, number, boolean, enum): its text, `text/plain`.
    Text,
    /// An object or an array of arrays/objects: its JSON, `application/json`.
    Json,
    /// `type: string, format: binary` or `byte`: a `crate::FilePart` (bytes, file name,
    /// content type), sent as given.
    File,
}

/// A typed `application/x-www-form-urlencoded` body: each property of the body's object
/// is a `form` parameter, exploded, unless the media type's `encoding` says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormBody {
    /// The properties `encoding` gives a style other than `form` + explode (or
    /// `allowReserved`), by wire name, sorted.
    pub fields: Vec<FormField>,
}

/// One property of a form body that `encoding` names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormField {
    /// The property's wire name.
    pub wire: String,
    /// Its encoding (`value` is `Json`: the runtime lays out whatever it holds).
    pub encoding: ParamEncoding,
}

/// A status code key of `responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StatusSpec {
    /// `200`.
    Code(u16),
    /// `4XX` (the first digit).
    Range(u8),
    /// `default`.
    Default,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    /// Status key.
    pub status: StatusSpec,
    /// Body type; `None` when the response has no content (or no JSON content).
    pub ty: Option<TypeRef>,
    /// A success response whose content is not JSON (`text/html`,
    /// `application/octet-stream`…): the media type requested in `Accept`. `send()` then
    /// returns the body's bytes. `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_media: Option<String>,
    /// Content types listed for it (sorted).
    pub content_types: Vec<String>,
    /// The response description.
    pub docs: Docs,
}

/// One versioned media type (`application/vnd.atlas.2024-08-05+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaVersion {
    /// The full media type.
    pub media_type: String,
    /// The version label (`2024-08-05`), taken from the media type.
    pub version: String,
    /// Variant name in the version enum (`V2024_08_05`).
    pub rust: VariantName,
    /// Marked deprecated/sunset in the spec (`x-sunset` or `x-deprecated: true` on the
    /// media type object).
    pub deprecated: bool,
    /// The one the builder uses unless told otherwise (newest non-deprecated, else newest):
    /// exactly one version of an operation has it.
    pub default: bool,
}

/// Page-number pagination: `pageNum` + `itemsPerPage` query parameters and a response
/// object with a `results` array (and usually `totalCount`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// The page number parameter (Rust name of the setter).
    pub page_param: FieldName,
    /// The page size parameter.
    pub size_param: FieldName,
    /// The results array field of the response struct.
    pub items_field: FieldName,
    /// Whether that field is required in the response struct.
    pub items_required: bool,
    /// Element type of the results array.
    pub item_ty: TypeRef,
    /// The total count field of the response struct, if it has one.
    pub total_field: Option<FieldName>,
    /// Whether that field is required.
    pub total_required: bool,
    /// The response struct.
    pub page_ty: TypeName,
    /// The page `into_stream` starts at unless the builder sets one: the page parameter's
    /// default, else 1.
    pub first_page: i64,
    /// The page size `into_stream` counts pages with: the size parameter's default (what
    /// the server uses when none is sent), else the size it asks for (`sets_page_size`).
    pub page_size: i64,
    /// The size parameter is optional and has no default: `into_stream` sends `page_size`
    /// (the smaller of 100 and its maximum), since it must know the size to recognise a
    /// short page.
    pub sets_page_size: bool,
}

/// Deprecation of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deprecation {
    /// The note for `#[deprecated(note = …)]`: names the replacement when the spec's
    /// description does (`x-replacement` or prose).
    pub note: String,
}
