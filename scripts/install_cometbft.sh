#!/usr/bin/env bash
# Install the pinned CometBFT binary (v0.38.25) into $(go env GOPATH)/bin, unless it is already there.
# Usage: scripts/install_cometbft.sh   (prints the path of the binary on its last line)
set -euo pipefail

VERSION="0.38.25"
MODULE="github.com/cometbft/cometbft/cmd/cometbft"

# shellcheck source=scripts/go_bin.sh
source "$(dirname "$0")/go_bin.sh"
GOBIN_DIR="$(go_bin_dir install_cometbft)"
BIN="${GOBIN_DIR}/cometbft"

if [ -x "${BIN}" ] && [ "$("${BIN}" version 2>/dev/null || true)" = "${VERSION}" ]; then
    echo "install_cometbft: cometbft ${VERSION} already installed"
    echo "${BIN}"
    exit 0
fi

echo "install_cometbft: building cometbft v${VERSION} (go install; a few minutes the first time)" >&2
GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 go install "${MODULE}@v${VERSION}"

GOT="$("${BIN}" version 2>/dev/null || true)"
if [ "${GOT}" != "${VERSION}" ]; then
    echo "install_cometbft: expected cometbft ${VERSION} at ${BIN}, got '${GOT}'" >&2
    exit 1
fi
echo "install_cometbft: installed cometbft ${VERSION}"
echo "${BIN}"
