package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/stance-project/stance/model"
)

// EmbeddedSource names the model built into the binary.
const EmbeddedSource = "embedded"

// Loaded is a model ready to serve, with what identifies it.
type Loaded struct {
	Model    *model.Model
	Version  string // first 16 hex digits of the file's SHA-256
	Source   string // path, or EmbeddedSource
	LoadedAt time.Time
}

// warmText exercises every part of the pipeline once before a model serves.
const warmText = `«البنتاغون» يرفض.. وموسكو تعرض
وقال المتحدث إن واشنطن لا تنسق مع روسيا عملياتها العسكرية في سوريا، لكنها قد تقبل العمل معها إذا أوقفت غاراتها. ورحب لافروف بالعرض.`

// Load reads, checks and warms a model: a file when path is set, else the
// embedded default model.
func Load(path string, now func() time.Time) (*Loaded, error) {
	var data []byte
	source := EmbeddedSource
	if path == "" {
		data = model.DefaultBytes()
	} else {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read model %s: %w", path, err)
		}
		data, source = b, path
	}
	m, err := model.Load(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", source, err)
	}
	if got := m.Classify(warmText, model.Options{}); len(got) == 0 {
		return nil, fmt.Errorf("load model %s: warm-up classified no sentence", source)
	}
	sum := sha256.Sum256(data)
	return &Loaded{Model: m, Version: hex.EncodeToString(sum[:8]), Source: source, LoadedAt: now()}, nil
}
