# Two entry points a newcomer needs: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install install-dev test-deps demo test test-quick lint proto clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# The chain modules are compiled with mypyc at install (setup.py); reinstalled when one of them changes.
NATIVE_SRC := $(shell python3 -c "import runpy; print(' '.join(str(p) for p in runpy.run_path('src/panacea/_native.py')['compiled_files']()))")

$(VENV)/.installed: $(PY) pyproject.toml setup.py src/panacea/_native.py $(NATIVE_SRC)
	bash scripts/build_deps.sh
	$(PIP) install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed

demo: install
	$(VENV)/bin/dep demo

lint: install-dev
	$(VENV)/bin/ruff check src tests benchmarks scripts setup.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# What the tests need beyond the venv: a real CometBFT 0.38.25 (go install, cached in the Go bin dir),
# cosmpy in its own virtualenv (it pins an older protobuf), cosmjs (npm ci from a pinned lock file) and MinIO
# for the consumer service's S3 backend (go install, cached in the Go bin dir).
test-deps:
	bash scripts/install_cometbft.sh
	bash scripts/install_s3_server.sh >/dev/null
	bash scripts/cosmpy_venv.sh
	bash scripts/cosmjs_deps.sh

# The whole suite: lint, types, every test (slow ones included), on the compiled build.
test: lint test-deps
	PANACEA_REQUIRE_NATIVE=1 $(VENV)/bin/pytest -q -n 2

# While iterating: skip tests marked slow.
test-quick: install-dev
	$(VENV)/bin/pytest -q -n 2 -m "not slow"

proto: install-dev
	$(PY) scripts/gen_proto.py

clean:
	rm -rf $(VENV) .venv-cosmpy tests/node/rest/cosmjs/node_modules build *.egg-info src/*.egg-info src/panacea/_native.json
	find src -name "*.so" -delete
