#!/usr/bin/env bash
# Installs Apache httpd (with mod_auth_digest) for the Digest-auth integration test.
# Idempotent: does nothing when /usr/sbin/apache2 already exists. Never starts a service;
# the test launches its own foreground instance on a free loopback port.
set -euo pipefail

if [ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_auth_digest.so ]; then
    echo "apache2 already installed: $(/usr/sbin/apache2 -v | head -n1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are missing or don't know apache2 yet.
if ! apt-cache show apache2 >/dev/null 2>&1; then
    $SUDO apt-get update
fi
if ! $SUDO apt-get install -y --no-install-recommends apache2; then
    # The lists may be stale (old versions gone from the mirror): refresh once and retry.
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends apache2
fi

# Debian's postinst may start the service (e.g. where a service manager runs); the test
# wants the default port and no stray instance, so stop one if it was started.
if command -v apache2ctl >/dev/null 2>&1 && [ -f /var/run/apache2/apache2.pid ]; then
    $SUDO apache2ctl stop >/dev/null 2>&1 || true
fi

/usr/sbin/apache2 -v | head -n1
