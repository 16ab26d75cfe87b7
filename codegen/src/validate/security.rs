//! Security checks: every scheme a security requirement names (the document's `security`,
//! an operation's) is declared under `components/securitySchemes`.

use openapiv3::SecurityRequirement;

use super::operations::ValidOperation;
use super::problems::Problems;
use crate::document::Document;
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// Reports each undeclared scheme at `…/security/{i}/{name}`.
pub(super) fn check(
    document: Document<'_>,
    operations: &[ValidOperation<'_>],
    problems: &mut Problems,
) {
    let api = document.api();
    let declared = |name: &str| {
        api.components
            .as_ref()
            .is_some_and(|c| c.security_schemes.contains_key(name))
    };
    let lists = std::iter::once((JsonPointer::root(), api.security.as_ref())).chain(
        operations
            .iter()
            .map(|op| (op.at.clone(), op.op.security.as_ref())),
    );
    for (at, list) in lists {
        for (i, requirement) in list.into_iter().flatten().enumerate() {
            check_one(
                &at.push("security").push(i.to_string().as_str()),
                requirement,
                &declared,
                problems,
            );
        }
    }
}

fn check_one(
    at: &JsonPointer,
    requirement: &SecurityRequirement,
    declared: &impl Fn(&str) -> bool,
    problems: &mut Problems,
) {
    for name in requirement.keys().filter(|name| !declared(name)) {
        problems.push((
            at.push(name.as_str()),
            ErrorKind::UnknownSecurityScheme { name: name.clone() },
        ));
    }
}
