//! Where the parts of a bundled document were written: a component imported from
//! `models/pet.yaml`, a path item written out from `paths/pets.yaml`, a schema hoisted out
//! of `#/paths/~1pets/get/…`. Later stages report problems at pointers into the bundled
//! document; [`Origins::relocate`] turns those back into the file and pointer the author
//! wrote.

use std::collections::BTreeMap;

use crate::error::{Error, Errors};
use crate::pointer::JsonPointer;

/// Bundled pointer → (file, pointer in that file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    root: String,
    moved: BTreeMap<JsonPointer, (String, JsonPointer)>,
}

impl Origins {
    /// No moves yet; errors about the bundled document name `root`.
    pub(crate) fn new(root: &str) -> Self {
        Self {
            root: root.to_owned(),
            moved: BTreeMap::new(),
        }
    }

    /// Records that the node at `at` (in the bundled document) came from `pointer` in
    /// `file`.
    pub(crate) fn insert(&mut self, at: JsonPointer, file: String, pointer: JsonPointer) {
        self.moved.insert(at, (file, pointer));
    }

    /// Adds `other`'s moves (made on a later version of the same document).
    pub(crate) fn extend(&mut self, other: Origins) {
        self.moved.extend(other.moved);
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }

    /// `(file, pointer)` of the bundled-document pointer `at`: the deepest recorded move at
    /// or above it, followed through moves of moves.
    pub fn locate(&self, file: &str, at: &JsonPointer) -> (String, JsonPointer) {
        let mut file = file.to_owned();
        let mut at = at.clone();
        // Each hop strictly leaves a recorded prefix; moves of moves are few.
        for _ in 0..8 {
            if file != self.root {
                break;
            }
            let Some((prefix, (to_file, to_at))) = self
                .moved
                .range(..=at.clone())
                .rev()
                .find(|(prefix, _)| at.starts_with(prefix))
            else {
                break;
            };
            let rest = at.tokens().get(prefix.tokens().len()..).unwrap_or_default();
            let moved = rest.iter().fold(to_at.clone(), |p, t| p.push(t.as_str()));
            if *to_file == file && moved == at {
                break;
            }
            file.clone_from(to_file);
            at = moved;
        }
        (file, at)
    }

    /// `e`, naming where its node was written.
    pub fn relocate(&self, mut e: Error) -> Error {
        if !self.moved.is_empty() {
            let (file, pointer) = self.locate(&e.file, &e.pointer);
            e.file = file;
            e.pointer = pointer;
        }
        e
    }

    /// Every error relocated (and sorted again).
    pub fn relocate_all(&self, errors: Errors) -> Errors {
        if self.moved.is_empty() {
            return errors;
        }
        let mut out = Errors(errors.into_iter().map(|e| self.relocate(e)).collect());
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

    #[test]
    fn relocates_through_the_deepest_move_and_moves_of_moves() {
        let mut o = Origins::new("api.yaml");
        o.insert(
            p("#/components/schemas/pet"),
            "models/pet.yaml".into(),
            p("#"),
        );
        o.insert(
            p("#/components/schemas/pet_tag"),
            "api.yaml".into(),
            p("#/components/schemas/pet/properties/tag"),
        );
        o.insert(p("#/paths/~1a"), "paths/a.yaml".into(), p("#/A"));
        assert_eq!(
            o.locate("api.yaml", &p("#/components/schemas/pet/properties/x/type")),
            ("models/pet.yaml".into(), p("#/properties/x/type"))
        );
        assert_eq!(
            o.locate("api.yaml", &p("#/components/schemas/pet_tag/type")),
            ("models/pet.yaml".into(), p("#/properties/tag/type"))
        );
        assert_eq!(
            o.locate("api.yaml", &p("#/paths/~1a/get")),
            ("paths/a.yaml".into(), p("#/A/get"))
        );
        // Not moved, or another file: as it was.
        assert_eq!(
            o.locate("api.yaml", &p("#/paths/~1b")),
            ("api.yaml".into(), p("#/paths/~1b"))
        );
        assert_eq!(
            o.locate("x.yaml", &p("#/paths/~1a")),
            ("x.yaml".into(), p("#/paths/~1a"))
        );
        // `#/components/schemas/petX` is not below `#/components/schemas/pet`.
        assert_eq!(
            o.locate("api.yaml", &p("#/components/schemas/petX")),
            ("api.yaml".into(), p("#/components/schemas/petX"))
        );
    }
}
