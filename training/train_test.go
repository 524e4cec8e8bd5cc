package training_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/training"
)

func corpusRecords(t *testing.T) []stance.Record {
	t.Helper()
	sets, err := training.LoadSets([]string{"../testdata/corpus"}, "")
	if err != nil {
		t.Fatal(err)
	}
	var recs []stance.Record
	for _, s := range sets {
		recs = append(recs, s.Records...)
	}
	return recs
}

// TestDefaultModelIsReproducible retrains the embedded model from testdata/
// as `make model` does and checks the bytes are identical: the committed
// model is exactly what the committed corpus and code produce.
func TestDefaultModelIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("retraining takes about half a minute")
	}
	res, err := training.Train(corpusRecords(t), nil, training.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := model.Encode(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../model/default.model")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("retrained model (%d bytes) differs from model/default.model (%d bytes): run `make model` and commit the result", len(got), len(want))
	}
}
