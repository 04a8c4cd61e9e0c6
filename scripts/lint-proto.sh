#!/usr/bin/env bash
# Lints the proto contract with buf and checks it for breaking changes
# against the newest released snapshot in proto-released/.
#
# buf comes from npm (@bufbuild/buf, pinned in scripts/buf/package-lock.json)
# and is installed into scripts/buf/node_modules on first use.
#
# Exit status: 0 clean; 1 lint or breaking-change findings; 77 buf cannot be
# installed (no node/npm or no network) — ctest reports that as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

buf=scripts/buf/node_modules/.bin/buf
if [ ! -x "$buf" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "lint-proto: SKIPPED: npm is not installed (scripts/install-deps.sh installs nodejs and npm)" >&2
    exit 77
  fi
  echo "lint-proto: installing buf from npm into scripts/buf/node_modules" >&2
  if ! (cd scripts/buf && npm ci --no-audit --no-fund --loglevel=error >&2); then
    # Offline is a reason to skip; a broken lock file with the registry
    # answering is an error.
    if npm ping >/dev/null 2>&1; then
      echo "lint-proto: 'npm ci' in scripts/buf failed although the npm registry answers" >&2
      exit 1
    fi
    echo "lint-proto: SKIPPED: 'npm ci' of @bufbuild/buf failed and the npm registry does not answer (offline?)" >&2
    exit 77
  fi
fi
if ! "$buf" --version >/dev/null 2>&1; then
  echo "lint-proto: SKIPPED: $buf does not run on this platform" >&2
  exit 77
fi

baseline=$(ls -d proto-released/v*/ 2>/dev/null | sort -V | tail -n 1)
baseline=${baseline%/}
[ -n "$baseline" ] || { echo "lint-proto: no released snapshot in proto-released/" >&2; exit 1; }

status=0
echo "buf lint (buf.yaml: STANDARD + COMMENTS)"
"$buf" lint || status=1
echo "buf breaking --against $baseline (FILE)"
"$buf" breaking --against "$baseline" || status=1
[ $status -eq 0 ] && echo "lint-proto: OK"
exit $status
