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
