#!/usr/bin/env bash
# Installs the pinned stripe-node (package-lock.json) beside receiver.js and
# flows.js, for webhook's and stripe's stripe-node tests. .ci/run calls it; the tests call it too when
# node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
