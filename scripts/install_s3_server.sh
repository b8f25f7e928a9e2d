#!/usr/bin/env bash
# Install the S3-compatible server the consumer service's S3 tests run against: MinIO at a pinned commit,
# into $(go env GOPATH)/bin, unless that build is already there (a stamp file records the pinned version).
# Why MinIO: SeaweedFS (the first choice) does not build with `go install` — its go.mod has replace directives.
# Usage: scripts/install_s3_server.sh   (prints the path of the binary on its last line)
set -euo pipefail

VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
MODULE="github.com/minio/minio"

# shellcheck source=scripts/go_bin.sh
source "$(dirname "$0")/go_bin.sh"
GOBIN_DIR="$(go_bin_dir install_s3_server)"
BIN="${GOBIN_DIR}/minio"
STAMP="${BIN}.version"

if [ -x "${BIN}" ] && [ "$(cat "${STAMP}" 2>/dev/null || true)" = "${MODULE}@${VERSION}" ]; then
    echo "install_s3_server: minio ${VERSION} already installed" >&2
    echo "${BIN}"
    exit 0
fi

echo "install_s3_server: building minio ${VERSION} (go install; about 2 minutes the first time)" >&2
GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 go install "${MODULE}@${VERSION}"
if [ ! -x "${BIN}" ]; then
    echo "install_s3_server: go install finished but ${BIN} is missing" >&2
    exit 1
fi
echo "${MODULE}@${VERSION}" > "${STAMP}"
echo "install_s3_server: installed minio ${VERSION}" >&2
echo "${BIN}"
