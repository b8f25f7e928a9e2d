#!/usr/bin/env bash
# Create .venv-cosmpy/ (a separate virtualenv; cosmpy pins protobuf<6, so it must not share the project venv)
# with the cosmpy set known to work (spec/cosmos-rest.md §0), unless it is already there.
# Usage: scripts/cosmpy_venv.sh [VENV_DIR]   (prints the venv's python on its last line)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${1:-${ROOT}/.venv-cosmpy}"
PINS=(cosmpy==0.12.2 protobuf==5.29.6 grpcio==1.71.0 grpcio-tools==1.71.0)
STAMP="${VENV}/.pins"
PY="${VENV}/bin/python"

if [ -x "${PY}" ] && [ -f "${STAMP}" ] && [ "$(cat "${STAMP}")" = "${PINS[*]}" ] \
        && "${PY}" -c "import cosmpy.aerial.client, grpc_tools.protoc" >/dev/null 2>&1; then
    echo "cosmpy_venv: ${VENV} is ready" >&2
    echo "${PY}"
    exit 0
fi

BASE_PY="${COSMPY_BASE_PYTHON:-}"
if [ -z "${BASE_PY}" ]; then
    for candidate in python3.11 python3.12 python3.10 python3; do
        if command -v "${candidate}" >/dev/null 2>&1; then BASE_PY="${candidate}"; break; fi
    done
fi
if [ -z "${BASE_PY}" ]; then
    echo "cosmpy_venv: no python3 on PATH" >&2
    exit 1
fi

echo "cosmpy_venv: creating ${VENV} with ${PINS[*]}" >&2
rm -rf "${VENV}"
"${BASE_PY}" -m venv "${VENV}"
"${PY}" -m pip install --quiet --disable-pip-version-check "${PINS[@]}" >&2
"${PY}" -m pip check >&2
"${PY}" -c "import cosmpy.aerial.client, grpc_tools.protoc"
echo "${PINS[*]}" > "${STAMP}"
echo "cosmpy_venv: ready" >&2
echo "${PY}"
