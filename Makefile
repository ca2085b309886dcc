# Countersign: `make run` runs the service on the embedded default; `make test` runs every test.
# Both install what they need first (Debian packages through apt-get, Python packages through pip).

SWIFT ?= swift
PYTHON ?= python3
DEB_PACKAGES := pkg-config libssl-dev openssl libidn2-dev libsqlite3-dev libcurl4-openssl-dev postgresql sqlite3 faketime chromium chromium-driver
# NAME==VERSION pins a module: Tests/e2e/test_openapi.py's expectations were checked with that schemathesis.
PY_MODULES := cryptography idna aiosmtpd requests pytest altcha selenium schemathesis==4.32.5
KEYS ?= Keys/local
# axe-core for the browser test (Tests/e2e/test_browser.py), from PyPI: the axe-selenium-python 3.0.0 wheel carries
# axe-core 4.10.2. pip on Python 3.11 would pick 2.1.6, whose axe-core 3.1.1 misreports autocomplete="off" as serious.
AXE_WHEEL := axe-selenium-python==3.0.0
AXE_CORE := .build/axe-core/axe.min.js

.PHONY: run test fuzz deps build build-tests bench-crypto bench-store bench-export bench-instructions bench-http bench-surge bench-pow clean

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
	@for m in $(PY_MODULES); do \
		$(PYTHON) -c "import sys, importlib.metadata as md; name, _, pin = sys.argv[1].partition('=='); \
			sys.exit(bool(pin) and md.version(name) != pin or not md.version(name))" $$m 2>/dev/null || $(PYTHON) -m pip install -q $$m; \
	done
	@[ -f $(AXE_CORE) ] || { mkdir -p $(dir $(AXE_CORE)) && \
		$(PYTHON) -m pip download -q --no-deps --python-version 3.12 --only-binary=:all: -d $(dir $(AXE_CORE)) $(AXE_WHEEL) && \
		$(PYTHON) -c "import sys, zipfile; open(sys.argv[2], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[3]))" \
			$(dir $(AXE_CORE))axe_selenium_python-3.0.0-py3-none-any.whl $(AXE_CORE) axe_selenium_python/node_modules/axe-core/axe.min.js; }

build: deps
	$(SWIFT) build --product countersign

build-tests: deps
	$(SWIFT) build --build-tests
	$(SWIFT) build --product countersign

run: build
	.build/debug/countersign serve --keys $(KEYS)

test: build-tests
	# The PostgreSQL crash test kills the shared test server, so it runs after the other suites.
	Tests/support/with-postgres.sh sh -c '$(SWIFT) test --skip-build --skip PostgresCrashTests && $(SWIFT) test --skip-build --filter PostgresCrashTests && $(PYTHON) -m pytest -q -p no:cacheprovider Tests/e2e'
	$(PYTHON) Tests/vectors/vectors.py check
	bash Tests/cli/keys-cli.sh .build/debug/countersign
	Tests/fuzz/run.sh 20

# Each libFuzzer harness (Tests/fuzz/harnesses/) for 10 minutes; Docs/fuzzing.md.
fuzz: deps
	Tests/fuzz/run.sh 600

bench-crypto: deps
	Benchmarks/crypto.sh

bench-http: deps
	Benchmarks/http.sh

bench-surge: deps
	Benchmarks/surge.sh

bench-pow: deps
	$(SWIFT) build -c release --product countersign
	$(PYTHON) Benchmarks/pow.py

bench-store: deps
	Benchmarks/store.sh

bench-export: deps
	Benchmarks/export.sh

bench-instructions: deps
	Benchmarks/instructions.sh

clean:
	rm -rf .build
