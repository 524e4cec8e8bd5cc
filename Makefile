# Targets for working on stance. `make check` is what CI runs (.ci/run).
GO ?= go

.PHONY: check fmt-check vet test corpus-check fuzz-smoke build model generate check-generate lint-proto breaking-proto bench

check: fmt-check vet lint-proto breaking-proto check-generate test corpus-check fuzz-smoke

# Regenerate the Go code of the protos with the pinned buf and protoc-gen-go.
generate:
	$(GO) tool buf generate

# Fail when the committed generated code differs from what the protos give.
check-generate: generate
	@git diff --exit-code -- api/ || { echo "generated code is stale: run make generate and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- api/)" || { git status --porcelain -- api/; echo "untracked generated files: run make generate and commit"; exit 1; }

lint-proto:
	$(GO) tool buf lint

# Compare the protos with the main branch: removing or renumbering a field
# breaks every client and every stored model file.
breaking-proto:
	@if git rev-parse --verify -q main >/dev/null; then \
		$(GO) tool buf breaking --against '.git#branch=main'; \
	else echo "no main branch yet: buf breaking skipped"; fi

build:
	$(GO) build -o bin/stance ./cmd/stance

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.pb\.go$$')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

test:
	$(GO) test ./...

corpus-check:
	$(GO) run ./cmd/stance corpus check testdata

# Every fuzz target briefly; the corpora live in each package's testdata/fuzz.
# The budget is a count of executions, not a duration: with -fuzztime 5s the
# Go fuzz coordinator sometimes reports its own deadline as a failure
# ("context deadline exceeded") on a busy 2-core machine, which failed CI.
FUZZTIME ?= 50000x
fuzz-smoke:
	$(GO) test ./segment -run XXX -fuzz FuzzSplit -fuzztime $(FUZZTIME)
	$(GO) test ./arabic -run XXX -fuzz FuzzTokenize -fuzztime $(FUZZTIME)
	$(GO) test ./arabic -run XXX -fuzz FuzzNormalize -fuzztime $(FUZZTIME)
	$(GO) test ./features -run XXX -fuzz FuzzExtract -fuzztime $(FUZZTIME)
	$(GO) test ./holder -run XXX -fuzz FuzzTrimSpace -fuzztime $(FUZZTIME)
	$(GO) test ./holder -run XXX -fuzz FuzzMayHoldQuotes -fuzztime $(FUZZTIME)
	$(GO) test ./lexicon -run XXX -fuzz FuzzFind -fuzztime $(FUZZTIME)
	$(GO) test ./model -run XXX -fuzz FuzzClassify -fuzztime $(FUZZTIME)
	$(GO) test ./model -run XXX -fuzz FuzzLoad -fuzztime $(FUZZTIME)
	$(GO) test ./model -run XXX -fuzz FuzzNew -fuzztime $(FUZZTIME)
	$(GO) test ./server -run XXX -fuzz FuzzValidate -fuzztime $(FUZZTIME)

# Retrain the embedded default model and its report from testdata/.
model:
	$(GO) run ./cmd/stance train --data testdata/corpus --out model/default.model --report model/REPORT.md

# Every figure of the README, in one run: quality against scikit-learn and
# fastText, the model benchmarks, training, batch scoring, and a ghz load on
# stance serve. Writes bench/results.json, bench/RESULTS.md and README.md.
bench:
	/usr/bin/python3 bench/bench.py
