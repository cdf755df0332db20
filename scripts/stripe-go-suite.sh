#!/usr/bin/env bash
# stripe-go-suite.sh runs the test suite of Stripe's Go client (stripe-go),
# unchanged, against a freshly built routedeck, the way it runs against
# stripe-mock: HTTPS on STRIPE_MOCK_PORT. It prints "N passed, M failed" and
# the failing tests.
#
# Usage: scripts/stripe-go-suite.sh
# Environment:
#   STRIPE_GO_VERSION  the stripe-go release to test with (default v82.5.1)
#   SUITE_JSON         also keep `go test -json` output in this file
# Exit status: 0 when every failing test is listed (as "package TestName")
# in scripts/stripe-go-suite.allowed: tests that pin stripe-mock's
# placeholder bytes (the quote PDF). 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=${STRIPE_GO_VERSION:-v82.5.1}
allowed="$root/scripts/stripe-go-suite.allowed"
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

start=$(date +%s)
echo "building routedeck"
(cd "$root" && go build -o "$work/routedeck" .)

echo "fetching stripe-go $version and its test dependencies"
mkdir "$work/mod"
(cd "$work/mod" && go mod init stripegosuite >/dev/null 2>&1 &&
  go get -t "github.com/stripe/stripe-go/v82/...@$version" >/dev/null 2>&1) ||
  { echo "could not fetch github.com/stripe/stripe-go/v82@$version (is the Go module proxy reachable?)"; exit 1; }

# Free ports for both listeners; the first line names them.
"$work/routedeck" serve --port 0 --quiet >"$work/serve.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*https://[^ ]*:\([0-9][0-9]*\).*|\1|p' "$work/serve.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "routedeck did not start:"; cat "$work/serve.log"; exit 1
fi
echo "routedeck serving HTTPS on port $port; running stripe-go's tests"

(cd "$work/mod" && STRIPE_MOCK_PORT=$port go test -count=1 -json "github.com/stripe/stripe-go/v82/..." >"$work/test.json" 2>"$work/test.err") || true
[ -n "${SUITE_JSON:-}" ] && cp "$work/test.json" "$SUITE_JSON"

# Top-level tests only (no "/" in the name); the last verdict of each counts.
awk '
  /"Action":"(pass|fail|skip)"/ {
    if (!match($0, /"Test":"[^"]*"/)) {
      if ($0 ~ /"Action":"fail"/ && match($0, /"Package":"[^"]*"/)) pkgfail[substr($0, RSTART + 11, RLENGTH - 12)] = 1
      next
    }
    t = substr($0, RSTART + 8, RLENGTH - 9)
    if (t ~ /\//) next
    match($0, /"Package":"[^"]*"/); p = substr($0, RSTART + 11, RLENGTH - 12)
    match($0, /"Action":"[a-z]*"/); a = substr($0, RSTART + 10, RLENGTH - 11)
    verdict[p " " t] = a
  }
  END {
    for (k in verdict) { n[verdict[k]]++; if (verdict[k] == "fail") print "FAIL " k > "/dev/stderr" }
    for (p in pkgfail) { has = 0; for (k in verdict) if (index(k, p " ") == 1 && verdict[k] == "fail") has = 1; if (!has) print "FAILPKG " p > "/dev/stderr" }
    printf "%d passed, %d failed, %d skipped\n", n["pass"], n["fail"], n["skip"]
  }' "$work/test.json" 2>"$work/failures.txt" >"$work/summary.txt"

cat "$work/summary.txt"
if grep -q '^FAILPKG' "$work/failures.txt"; then
  echo "packages that failed outside any test (build or start-up):"
  sed -n 's/^FAILPKG /  /p' "$work/failures.txt" | sort
  head -20 "$work/test.err"
fi
unexpected=0
while read -r _ pkg test; do
  [ -n "$test" ] || continue
  if grep -qxF "$pkg $test" "$allowed" 2>/dev/null; then
    echo "  FAIL $pkg $test (allowed: pins stripe-mock's placeholder bytes)"
  else
    echo "  FAIL $pkg $test"
    unexpected=$((unexpected + 1))
  fi
done < <(grep '^FAIL ' "$work/failures.txt" | sort)
grep -q '^FAILPKG' "$work/failures.txt" && unexpected=$((unexpected + 1))
echo "took $(($(date +%s) - start)) s"
if [ "$unexpected" -gt 0 ]; then
  echo "$unexpected failures not listed in scripts/stripe-go-suite.allowed"
  exit 1
fi
