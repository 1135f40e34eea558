#!/usr/bin/env bash
# Proves the package works as an npm dependency, the way the README tells users to use it: pack it,
# install the tarball into a fresh infra repo beside cdk8s, cdk8s-plus-27 and constructs, then run
# `cdk8s synth` and a jest snapshot test there. The infra repo's files live in .ci/consumer/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pin() { node -p "require('$root/package.json').devDependencies['$1']"; }

(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/cdk8s-istio-release-*.tgz)"
cp -r "$root/.ci/consumer" "$work/infra"
cd "$work/infra"

npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact "$tarball" \
  "cdk8s@$(pin cdk8s)" "cdk8s-plus-27@$(pin cdk8s-plus-27)" "constructs@$(pin constructs)"
npm install --no-audit --no-fund --save-exact --save-dev "cdk8s-cli@$(pin cdk8s-cli)" \
  "typescript@$(pin typescript)" ts-node@10 "jest@$(pin jest)" "ts-jest@$(pin ts-jest)" "@types/jest@$(pin @types/jest)" \
  "@types/node@$(pin @types/node)"

# One copy of cdk8s and constructs, or `instanceof` and construct trees break across copies.
for dep in cdk8s constructs; do
  copies="$(find . -path "*/node_modules/$dep/package.json" | wc -l)"
  [ "$copies" -eq 1 ] || { echo "expected one copy of $dep, found $copies"; exit 1; }
done

npx tsc --noEmit -p .
# The installed bin answers, with the version of the tarball.
[ "$(npx cdk8s-istio-release --version)" = "$(node -p "require('$root/package.json').version")" ] || { echo "cdk8s-istio-release --version is wrong"; exit 1; }
npx cdk8s synth --no-check-upgrade
for kind in Deployment Service Gateway DestinationRule VirtualService; do
  grep -q "^kind: $kind\$" dist/shop.k8s.yaml || { echo "dist/shop.k8s.yaml has no $kind"; exit 1; }
done
# The first run writes the snapshot, as in a new infra repo; the second, in a new process, must match it.
npx jest --ci=false
npx jest --ci
echo "consumer install: ok"
