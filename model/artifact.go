package model

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/google/renameio/v2"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	modelv1 "github.com/stance-project/stance/api/stance/model/v1"
)

// Magic identifies a model file.
const Magic = "stance-model"

// FormatVersion is the Model layout this code reads and writes.
const FormatVersion = 1

// Bounds on what a trained model can contain. An L2-regularised fit stays
// far inside them; values outside could overflow float32 sums into NaN.
const (
	maxWeight      = 1e4
	minTemperature = 1e-3
	maxTemperature = 1e3
)

// ErrInvalidModel is wrapped by every error about a model file's contents.
var ErrInvalidModel = errors.New("invalid model")

// Encode wraps a model in its checksummed envelope.
func Encode(m *modelv1.Model) ([]byte, error) {
	opts := proto.MarshalOptions{Deterministic: true}
	payload, err := opts.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode model: %w", err)
	}
	sum := sha256.Sum256(payload)
	return opts.Marshal(&modelv1.ModelFile{Magic: Magic, FormatVersion: FormatVersion, Payload: payload, PayloadSha256: sum[:]})
}

// Decode unwraps and checks a model file.
func Decode(data []byte) (*modelv1.Model, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrInvalidModel)
	}
	var f modelv1.ModelFile
	if err := proto.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: not a model file or truncated (%v)", ErrInvalidModel, err)
	}
	if f.Magic != Magic {
		return nil, fmt.Errorf("%w: not a stance model file (magic %q, want %q)", ErrInvalidModel, f.Magic, Magic)
	}
	if f.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("%w: format version %d, this build reads version %d", ErrInvalidModel, f.FormatVersion, FormatVersion)
	}
	sum := sha256.Sum256(f.Payload)
	if !bytes.Equal(sum[:], f.PayloadSha256) {
		return nil, fmt.Errorf("%w: checksum mismatch: the file is truncated or corrupted", ErrInvalidModel)
	}
	var m modelv1.Model
	if err := proto.Unmarshal(f.Payload, &m); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrInvalidModel, err)
	}
	if path := unknownField(m.ProtoReflect(), string(m.ProtoReflect().Descriptor().Name())); path != "" {
		return nil, fmt.Errorf("%w: %s holds a field this build does not know: the model was trained by a newer build of stance", ErrInvalidModel, path)
	}
	return &m, nil
}

// unknownField returns the path of the first message under m, m included,
// that carries fields this build has no name for, or "". A newer build adds
// fields for what it extracts and scores; ignored, as protobuf would, they
// leave a model that loads and scores its sentences differently from how it
// was trained. TrainingInfo only describes how the model was made, so a
// newer build may record more there.
func unknownField(m protoreflect.Message, path string) string {
	if len(m.GetUnknown()) > 0 {
		return path
	}
	found := ""
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Message() == nil || fd.Message().FullName() == (*modelv1.TrainingInfo)(nil).ProtoReflect().Descriptor().FullName() {
			return true
		}
		sub := path + "." + string(fd.Name())
		switch {
		case fd.IsList():
			for i := range v.List().Len() {
				if found = unknownField(v.List().Get(i).Message(), fmt.Sprintf("%s[%d]", sub, i)); found != "" {
					return false
				}
			}
		case fd.IsMap():
			if fd.MapValue().Message() == nil {
				return true
			}
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				found = unknownField(mv.Message(), fmt.Sprintf("%s[%v]", sub, k.Interface()))
				return found == ""
			})
		default:
			found = unknownField(v.Message(), sub)
		}
		return found == ""
	})
	return found
}

// WriteFile writes a model file atomically (renameio: a temporary file on
// the same filesystem, synced, then renamed over path), so a failed write
// never leaves a half-written model where a good one was.
func WriteFile(path string, m *modelv1.Model) error {
	data, err := Encode(m)
	if err != nil {
		return err
	}
	if err := renameio.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write model %s: %w", path, err)
	}
	return nil
}

func checkHead(name string, h *modelv1.Head, want []string, features int) error {
	if h == nil {
		return fmt.Errorf("%w: no %s head", ErrInvalidModel, name)
	}
	if len(h.Labels) != len(want) {
		return fmt.Errorf("%w: %s head has labels %v, this build expects %v", ErrInvalidModel, name, h.Labels, want)
	}
	for i := range want {
		if h.Labels[i] != want[i] {
			return fmt.Errorf("%w: %s head has labels %v, this build expects %v", ErrInvalidModel, name, h.Labels, want)
		}
	}
	if len(h.Bias) != len(want) {
		return fmt.Errorf("%w: %s head has %d biases for %d labels", ErrInvalidModel, name, len(h.Bias), len(want))
	}
	if len(h.Weights) != features*len(want) {
		return fmt.Errorf("%w: %s head has %d weights, want %d features × %d labels", ErrInvalidModel, name, len(h.Weights), features, len(want))
	}
	if !(h.Temperature >= minTemperature && h.Temperature <= maxTemperature) {
		return fmt.Errorf("%w: %s head temperature %v, want %g to %g", ErrInvalidModel, name, h.Temperature, minTemperature, maxTemperature)
	}
	return finiteWeights(name+" head", h.Weights, h.Bias)
}
