//! What the pipeline is handed: the spec's name and bytes (its own module, so `load`,
//! which reads it, does not depend on the crate root that calls `load`).

/// The document to generate from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// How errors and the generated header name the file (`spec/atlas-admin-v2.yaml`).
    pub file_name: &'a str,
    /// Its bytes (YAML or JSON).
    pub text: &'a [u8],
}
