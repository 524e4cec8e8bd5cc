package model

import (
	"bytes"
	_ "embed"
	"fmt"
)

// defaultModel is the model trained from testdata/ by `make model`,
// committed so that the binary works with no files around it.
//
//go:embed default.model
var defaultModel []byte

// Default loads the embedded default model. Each call returns a new Model.
func Default() (*Model, error) {
	m, err := Load(defaultModel)
	if err != nil {
		return nil, fmt.Errorf("load embedded default model: %w", err)
	}
	return m, nil
}

// DefaultBytes returns the embedded model file, for callers that identify a
// model by the hash of its bytes.
func DefaultBytes() []byte { return bytes.Clone(defaultModel) }
