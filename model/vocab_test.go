package model

import (
	"testing"

	"github.com/stance-project/stance/features"
)

// TestVocabTableFindsEveryKey: every vocabulary key of the default model
// comes back at its own column through the eight-byte fingerprint slots,
// and keys outside it are not found.
func TestVocabTableFindsEveryKey(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	vocab := m.Proto().GetVocabulary()
	if len(vocab) < 1000 {
		t.Fatalf("default model has %d features", len(vocab))
	}
	for i, key := range vocab {
		col, ok := m.vocab.lookup(features.HashString(key))
		if !ok || col != int32(i) {
			t.Fatalf("key %q: column %d, %t; want %d", key, col, ok, i)
		}
	}
	for _, key := range []string{"w|not-a-feature", "s|", "x|تنسيق-مزيف"} {
		if _, ok := m.vocab.lookup(features.HashString(key)); ok {
			t.Errorf("key %q found, but it is not in the vocabulary", key)
		}
	}
}

// TestVocabTableRejectsDuplicates: a key inserted twice is reported.
func TestVocabTableRejectsDuplicates(t *testing.T) {
	tab := newVocabTable(4)
	h := features.HashString("w|تنسيق")
	if !tab.insert(h, 0) {
		t.Fatal("first insert refused")
	}
	if tab.insert(h, 1) {
		t.Error("second insert of the same key accepted")
	}
	if col, ok := tab.lookup(h); !ok || col != 0 {
		t.Errorf("lookup: column %d, %t; want 0, true", col, ok)
	}
}
