#!/usr/bin/env bash
# What the compiled build (mypyc, see setup.py) needs from the system: a C compiler and Python's headers.
# Installs them with apt-get when missing (CI machines); elsewhere says what is missing.
set -euo pipefail

PY="${1:-python3}"
need=()
command -v cc >/dev/null 2>&1 || need+=(build-essential)
"${PY}" -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || need+=(python3-dev)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "build_deps: installing ${need[*]} (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
    echo "build_deps: missing ${need[*]}: install them, or build pure Python with PANACEA_PURE_PYTHON=1" >&2
    exit 1
fi
