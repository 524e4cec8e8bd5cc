package stance_test

import (
	"testing"

	"github.com/stance-project/stance"
)

func TestSliceRunes(t *testing.T) {
	const text = "قال كيري: نعم."
	tests := []struct {
		name       string
		start, end int
		want       string
		wantErr    bool
	}{
		{"Prefix", 0, 3, "قال", false},
		{"Middle", 4, 8, "كيري", false},
		{"WholeText", 0, 14, text, false},
		{"EmptyAtEnd", 14, 14, "", false},
		{"PastEnd", 10, 15, "", true},
		{"Negative", -1, 2, "", true},
		{"Reversed", 5, 4, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := stance.SliceRunes(text, tt.start, tt.end)
			if (err != nil) != tt.wantErr {
				t.Fatalf("SliceRunes(%d,%d) error = %v, want error %v", tt.start, tt.end, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("SliceRunes(%d,%d) = %q, want %q", tt.start, tt.end, got, tt.want)
			}
		})
	}
}

func TestLabelIndexFollowsModelOrder(t *testing.T) {
	for i, s := range stance.Stances {
		if s.Index() != i || !s.Valid() {
			t.Errorf("%s: Index %d Valid %v, want %d true", s, s.Index(), s.Valid(), i)
		}
	}
	for i, s := range stance.Sentiments {
		if s.Index() != i || !s.Valid() {
			t.Errorf("%s: Index %d Valid %v, want %d true", s, s.Index(), s.Valid(), i)
		}
	}
	if stance.Stance("support").Valid() || stance.Sentiment("").Valid() {
		t.Error("labels outside the guide are reported valid")
	}
}
