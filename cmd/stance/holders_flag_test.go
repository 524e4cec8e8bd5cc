package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScoreHoldersFlags checks that stance score names holders by default,
// that --no-holders and --holders=false leave them out, and that asking
// for both is a usage error.
func TestScoreHoldersFlags(t *testing.T) {
	in := filepath.Join(t.TempDir(), "doc.txt")
	text := "وقال المتحدث باسم البنتاغون بيتر كوك إن الولايات المتحدة لن تتعاون مع روسيا في سوريا."
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		flags   []string
		code    int
		holders bool
	}{
		{"Default", nil, 0, true},
		{"Holders", []string{"--holders"}, 0, true},
		{"NoHolders", []string{"--no-holders"}, 0, false},
		{"HoldersFalse", []string{"--holders=false"}, 0, false},
		{"Both", []string{"--holders", "--no-holders"}, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append(append([]string{"score", "--progress", "never"}, tc.flags...), in)
			if code := run(context.Background(), args, &stdout, &stderr); code != tc.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if got := strings.Contains(stdout.String(), `"holder":`); got != tc.holders {
				t.Errorf("holder in output: %v, want %v; output:\n%s", got, tc.holders, stdout.String())
			}
		})
	}
}
