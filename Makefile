# Countersign: `make run` runs the service on the embedded default; `make test` runs every test.
# Both install what they need first (Debian packages through apt-get, Python packages through pip).

SWIFT ?= swift
PYTHON ?= python3
DEB_PACKAGES := pkg-config libssl-dev openssl libidn2-dev libsqlite3-dev libcurl4-openssl-dev postgresql sqlite3
PY_MODULES := cryptography idna aiosmtpd requests pytest
KEYS ?= Keys/local

.PHONY: run test fuzz deps build build-tests bench-crypto bench-store bench-export bench-instructions bench-http bench-surge clean

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
	@for m in $(PY_MODULES); do $(PYTHON) -c "import $$m" 2>/dev/null || $(PYTHON) -m pip install -q $$m; done

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

bench-store: deps
	Benchmarks/store.sh

bench-export: deps
	Benchmarks/export.sh

bench-instructions: deps
	Benchmarks/instructions.sh

clean:
	rm -rf .build
