package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/training"
)

// testSeedsDir finds the seed articles from this package's folder.
func testSeedsDir(t *testing.T) string {
	t.Helper()
	dir, err := training.LocateSeeds(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDataCardMatchesValidator(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"corpus", "check", "--seeds", testSeedsDir(t), "../../testdata"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("stance corpus check exited %d: %s%s", code, out.String(), errOut.String())
	}
	card, err := os.ReadFile("../../testdata/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(card), "<!-- counts:begin -->\n```\n")
	table, _, ok2 := strings.Cut(rest, "```\n<!-- counts:end -->")
	if !ok || !ok2 {
		t.Fatal("testdata/README.md has no counts block between <!-- counts:begin --> and <!-- counts:end -->")
	}
	if table != out.String() {
		t.Errorf("the data card's counts differ from the validator's; regenerate the block with `go run ./cmd/stance corpus check testdata`.\ncard:\n%s\nvalidator:\n%s", table, out.String())
	}
}
