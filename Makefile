# Targets for working on stance. `make check` is what CI runs (.ci/run).
GO ?= go

.PHONY: check fmt-check vet test corpus-check build model

check: fmt-check vet test corpus-check

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

# Retrain the embedded default model and its report from testdata/.
model:
	$(GO) run ./cmd/stance train --data testdata/corpus --out model/default.model --report model/REPORT.md
