//! Doc text carried from the spec into the IR: trimmed, and `None` when blank.

use openapiv3::SchemaData;

use crate::ir::Docs;

/// Docs of a schema: `title`, `description`, `externalDocs.url`.
pub(crate) fn schema_docs(data: &SchemaData) -> Docs {
    Docs {
        title: text(data.title.as_deref()),
        description: text(data.description.as_deref()),
        external_url: data.external_docs.as_ref().map(|d| d.url.clone()),
    }
}

/// Fills what `docs` lacks (title, description, link) from `more`.
pub(crate) fn fill_docs(docs: &mut Docs, more: Docs) {
    docs.title = docs.title.take().or(more.title);
    docs.description = docs.description.take().or(more.description);
    docs.external_url = docs.external_url.take().or(more.external_url);
}

/// Doc text without trailing whitespace (YAML block scalars end in `\n`); `None` if blank.
pub(crate) fn text(s: Option<&str>) -> Option<String> {
    s.map(str::trim_end)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}
