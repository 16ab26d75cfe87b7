//! Skip mode's side of lowering (see [`crate::skip`]): one [`Round`] lowers everything not
//! yet skipped and collects the problems of each operation and schema instead of stopping
//! at the first; [`Skips`] takes a round's problems, leaves those items out, and — through
//! the `$ref`s each item was seen to use — what needs them, for the next round. A round
//! without a problem is the result, so no half-lowered item and no name it claimed is
//! left behind.
//!
//! In strict mode a round passes the first problem on, exactly as before.

use std::collections::{BTreeMap, BTreeSet};

use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;
use crate::skip::{items_at, schema_pointer, Item, Warning};

/// One `$ref` to a schema component seen while lowering an item.
#[derive(Debug)]
pub(crate) struct Use {
    /// The component key.
    pub key: String,
    /// The item being lowered.
    pub by: Item,
    /// Where the `$ref` is written.
    pub at: JsonPointer,
}

/// One lowering pass over the items not yet skipped.
pub(crate) struct Round {
    skipping: bool,
    /// The problems of this round, each with the items it leaves out.
    failures: Vec<Warning>,
}

impl Round {
    /// A round; `skipping` is [`crate::Options::skip_unsupported`].
    pub fn new(skipping: bool) -> Self {
        Self {
            skipping,
            failures: Vec::new(),
        }
    }

    /// Whether this is skip mode.
    pub fn skipping(&self) -> bool {
        self.skipping
    }

    /// Whether a problem was found in this round.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    /// The result of lowering `item`: strict mode passes a problem on; skip mode records
    /// it, leaving the item out (`None`).
    pub fn item<T>(&mut self, item: Item, result: Result<T, Error>) -> Result<Option<T>, Error> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(problem) if self.skipping => {
                self.failures.push(Warning {
                    problem,
                    skipped: vec![item],
                });
                Ok(None)
            }
            Err(problem) => Err(problem),
        }
    }

    /// The result of a pass over the whole IR: in skip mode a problem inside an item is
    /// recorded against it (`None`); any other problem is passed on.
    pub fn pass<T>(
        &mut self,
        doc: Document<'_>,
        result: Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(problem) if self.skipping => match items_at(doc, &problem.pointer, &problem.kind) {
                Some(skipped) if !skipped.is_empty() => {
                    self.failures.push(Warning { problem, skipped });
                    Ok(None)
                }
                _ => Err(problem),
            },
            Err(problem) => Err(problem),
        }
    }
}

/// What skip mode has left out so far, and why.
#[derive(Default)]
pub(crate) struct Skips {
    /// Schema component keys.
    pub schemas: BTreeSet<String>,
    /// Operation pointers.
    pub operations: BTreeSet<JsonPointer>,
    /// One per problem, in the order found.
    pub warnings: Vec<Warning>,
}

impl Skips {
    /// The schemas `validate` already left out.
    pub fn new(schemas: &BTreeSet<String>) -> Self {
        Self {
            schemas: schemas.clone(),
            ..Self::default()
        }
    }

    fn insert(&mut self, item: &Item) -> bool {
        match item.schema_key() {
            Some(key) => self.schemas.insert(key.to_owned()),
            None => self.operations.insert(item.at.clone()),
        }
    }

    /// Takes a failed round's problems and `uses`: leaves out the items with a problem,
    /// then every item that used a schema left out (its warning names the `$ref`), to a
    /// fixed point. A round that leaves nothing new out ends skipping with its first
    /// problem (so rounds always end).
    pub fn absorb(&mut self, file: &str, round: Round, uses: Vec<Use>) -> Result<(), Error> {
        let mut by_key: BTreeMap<String, Vec<Use>> = BTreeMap::new();
        for u in uses {
            by_key.entry(u.key.clone()).or_default().push(u);
        }
        let mut new_schemas = Vec::new();
        // The first problem that leaves nothing new out: if none does, it would come back
        // every round.
        let mut stuck = None;
        let mut progress = false;
        for warning in round.failures {
            let fresh: Vec<Item> = warning
                .skipped
                .iter()
                .filter(|item| self.insert(item))
                .cloned()
                .collect();
            if fresh.is_empty() {
                stuck.get_or_insert(warning.problem);
                continue;
            }
            progress = true;
            new_schemas.extend(
                fresh
                    .iter()
                    .filter_map(|i| i.schema_key().map(str::to_owned)),
            );
            self.warnings.push(Warning {
                problem: warning.problem,
                skipped: fresh,
            });
        }
        if let Some(problem) = stuck.filter(|_| !progress) {
            return Err(problem);
        }
        while let Some(key) = new_schemas.pop() {
            for u in by_key.remove(&key).into_iter().flatten() {
                if !self.insert(&u.by) {
                    continue;
                }
                if let Some(dependent) = u.by.schema_key() {
                    new_schemas.push(dependent.to_owned());
                }
                let kind = ErrorKind::SkippedDependency {
                    target: schema_pointer(&key),
                };
                self.warnings.push(Warning {
                    problem: Error::new(file, u.at, kind),
                    skipped: vec![u.by],
                });
            }
        }
        Ok(())
    }
}
