#!/usr/bin/env bash
# Proves the package works as an npm dependency, following the README's infra-repo guide word for
# word: pack it, write the files the guide shows into an empty folder, run the guide's commands there
# with the tarball in place of the package name, and check what the guide promises.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/cdk8s-istio-release-*.tgz)"
node "$root/.ci/readme-guide.js" "$root/README.md" "$work/infra" "$tarball" > "$work/guide.sh"
cd "$work/infra"
echo "--- the README's commands:"; cat "$work/guide.sh"
# As on a developer's machine: jest writes a new repo's first snapshot only outside CI.
env -u CI bash -euo pipefail "$work/guide.sh"

# One copy of cdk8s and constructs, or `instanceof` and construct trees break across copies.
for dep in cdk8s constructs; do
  copies="$(find . -path "*/node_modules/$dep/package.json" | wc -l)"
  [ "$copies" -eq 1 ] || { echo "expected one copy of $dep, found $copies"; exit 1; }
done
# TypeScript 5 (7.x breaks ts-node and ts-jest), and the guide's code type-checks under strict.
[[ "$(npx tsc --version)" == "Version 5."* ]] || { echo "the guide installs $(npx tsc --version)"; exit 1; }
npx tsc --noEmit -p .
for kind in Deployment Service DestinationRule VirtualService; do
  grep -q "^kind: $kind\$" dist/shop.k8s.yaml || { echo "dist/shop.k8s.yaml has no $kind"; exit 1; }
done
# The installed bin answers, with the version of the tarball.
[ "$(npx cdk8s-istio-release --version)" = "$(node -p "require('$root/package.json').version")" ] || { echo "cdk8s-istio-release --version is wrong"; exit 1; }
# The snapshot written by the guide's first jest run must match in a new process.
npx jest --ci
# cdk8s's own synth works on the same repo too, to the same files.
cp dist/shop.k8s.yaml "$work/ours.yaml"
npx cdk8s synth --no-check-upgrade
cmp -s dist/shop.k8s.yaml "$work/ours.yaml" || { echo "cdk8s synth and cdk8s-istio-release synth wrote different files"; exit 1; }
# A refused prop leaves the last good dist/ as it was.
good="$(cat dist/shop.k8s.yaml)"
sed -i 's/canaryWeight: 10/canaryWeight: 150/' main.ts
if npx cdk8s-istio-release synth 2> "$work/refused.txt"; then echo "a canaryWeight of 150 was synthesized"; exit 1; fi
grep -q "^error: shop/Reviews: canaryWeight must be a whole percentage from 0 to 100, got 150" "$work/refused.txt" || { cat "$work/refused.txt"; exit 1; }
! grep -q "    at " "$work/refused.txt" || { echo "the refusal printed a stack trace:"; cat "$work/refused.txt"; exit 1; }
[ "$(cat dist/shop.k8s.yaml)" = "$good" ] || { echo "a failed synth changed dist/"; exit 1; }
# Under cdk8s's own synth, the refusal is the library's message alone: no frame or stack of ours.
if npx cdk8s synth --no-check-upgrade 2> "$work/refused.txt"; then echo "cdk8s synth took a canaryWeight of 150"; exit 1; fi
grep -q "^error: shop/Reviews: canaryWeight must be a whole percentage from 0 to 100, got 150" "$work/refused.txt" || { cat "$work/refused.txt"; exit 1; }
! grep -q "cdk8s-istio-release/lib" "$work/refused.txt" || { echo "cdk8s synth printed the library's internals:"; cat "$work/refused.txt"; exit 1; }
echo "consumer install: ok"
