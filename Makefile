# Two entry points a newcomer needs: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install install-dev test-deps demo test test-quick lint proto clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(PY)
	$(PIP) install -q -e .

install-dev: $(PY)
	$(PIP) install -q -e ".[dev]"

demo: install
	$(VENV)/bin/dep demo

lint: install-dev
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/mypy

# What the tests need beyond the venv: a real CometBFT 0.38.25 (go install, cached in the Go bin dir)
# and cosmpy in its own virtualenv (it pins an older protobuf).
test-deps:
	bash scripts/install_cometbft.sh
	bash scripts/cosmpy_venv.sh

# The whole suite: lint, types, every test (slow ones included).
test: lint test-deps
	$(VENV)/bin/pytest -q -n 2

# While iterating: skip tests marked slow.
test-quick: install-dev
	$(VENV)/bin/pytest -q -n 2 -m "not slow"

proto: install-dev
	$(PY) scripts/gen_proto.py

clean:
	rm -rf $(VENV) .venv-cosmpy build *.egg-info src/*.egg-info src/panacea/_native.json
	find src -name "*.so" -delete
