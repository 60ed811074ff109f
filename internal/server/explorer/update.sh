#!/usr/bin/env bash
# Replaces the explorer's third-party files with the versions named below,
# fetched from the npm registry with npm. Run from any directory, then
# update the versions and checksums in README.md (this script prints them)
# and check the explorer in a browser (go test ./internal/server/explorer/...
# with chromium installed loads it headless).
set -euo pipefail
GRAPHIQL=4.1.2
REACT=18.3.1

dest="$(cd "$(dirname "$0")" && pwd)/assets"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for pkg in "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT"; do
  npm pack --silent "$pkg" >/dev/null
done
for tgz in *.tgz; do mkdir "${tgz%.tgz}" && tar xzf "$tgz" -C "${tgz%.tgz}"; done
cp "graphiql-$GRAPHIQL/package/graphiql.min.js" "graphiql-$GRAPHIQL/package/graphiql.min.css" "$dest/"
cp "graphiql-$GRAPHIQL/package/LICENSE" "$dest/LICENSE.graphiql"
cp "react-$REACT/package/umd/react.production.min.js" "$dest/"
cp "react-$REACT/package/LICENSE" "$dest/LICENSE.react"
cp "react-dom-$REACT/package/umd/react-dom.production.min.js" "$dest/"
cp "react-dom-$REACT/package/LICENSE" "$dest/LICENSE.react-dom"
cd "$dest" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js
