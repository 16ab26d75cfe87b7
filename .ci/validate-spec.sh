#!/usr/bin/env bash
# Validates spec/atlas-admin-v2.yaml with an independent OpenAPI validator from PyPI
# (openapi-spec-validator), installed into a venv under the cargo target dir and reused
# across runs. Exits non-zero when the spec is invalid or the validator cannot be installed.
#
# Why 0.7.2 and not the newest 0.8/0.9: those compile every `pattern` with Python's `re`,
# which rejects the Unicode classes \p{L} / \p{N} of the documented orgName/groupName pattern
# (valid in ECMA-262 with the u flag and in the Rust regex crate, which the codegen tests use
# to compile and apply every pattern of the spec). 0.7.2 validates the document against the
# OpenAPI 3.0 schema and checks $refs, path parameters, operationIds and defaults, without
# second-guessing the regex dialect.
#
# Usage: .ci/validate-spec.sh [SPEC]   (default: spec/atlas-admin-v2.yaml)
# With VALIDATE_SPEC_SWAGGER_CLI=1, @apidevtools/swagger-cli (npm registry) also validates the
# spec as a second opinion (off by default: it adds an npm download to every CI run).
set -euo pipefail

VALIDATOR_VERSION="0.7.2"
# The validator's dependencies, pinned to the set this script was last verified with, so that
# a new release of one of them cannot change the verdict behind our back. Bump together.
CONSTRAINTS="
attrs==26.1.0
certifi==2026.10.18
charset-normalizer==3.5.2
idna==3.20
jsonschema==4.26.0
jsonschema-path==0.3.4
jsonschema-specifications==2025.9.1
lazy-object-proxy==1.13.0
openapi-schema-validator==0.6.3
openapi-spec-validator==$VALIDATOR_VERSION
pathable==0.4.4
PyYAML==6.0.3
referencing==0.36.2
requests==2.34.2
rfc3339-validator==0.1.4
rpds-py==2026.9.1
six==1.17.0
typing_extensions==4.16.0
urllib3==2.8.0
"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$(realpath "${1:-$root/spec/atlas-admin-v2.yaml}")"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in
    /*) ;;
    *) target_dir="$root/$target_dir" ;;
esac
venv="$target_dir/ci-venv"

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
    echo "validate-spec: $python not found" >&2
    exit 1
fi

installed_version() {
    "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null || true
}

# Reuse the venv only when it holds exactly the pinned set.
stamp="$venv/.constraints"
if [ ! -x "$venv/bin/python" ] || [ "$(installed_version)" != "$VALIDATOR_VERSION" ] \
    || [ "$(cat "$stamp" 2>/dev/null)" != "$(printf '%s' "$CONSTRAINTS")" ]; then
    echo "validate-spec: installing openapi-spec-validator==$VALIDATOR_VERSION into $venv"
    rm -rf "$venv"
    mkdir -p "$target_dir"
    "$python" -m venv "$venv"
    constraints_file="$venv/constraints.txt"
    printf '%s\n' "$CONSTRAINTS" > "$constraints_file"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c "$constraints_file" "openapi-spec-validator==$VALIDATOR_VERSION"
    printf '%s' "$CONSTRAINTS" > "$stamp"
fi

echo "validate-spec: openapi-spec-validator $(installed_version) on $spec"
# The validator prints the whole document on some errors: keep the log readable.
set +e
output="$("$venv/bin/openapi-spec-validator" "$spec" 2>&1)"
status=$?
set -e
printf '%s\n' "$output" | cut -c1-2000 | head -n 60
if [ "$status" -ne 0 ]; then
    echo "validate-spec: $spec is NOT a valid OpenAPI document (exit $status)" >&2
    exit "$status"
fi
if [ "${VALIDATE_SPEC_SWAGGER_CLI:-0}" = "1" ]; then
    echo "validate-spec: second opinion: @apidevtools/swagger-cli 4.0.4"
    npx --yes @apidevtools/swagger-cli@4.0.4 validate "$spec"
fi
echo "validate-spec: OK"
