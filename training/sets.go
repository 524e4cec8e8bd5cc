package training

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/corpus"
)

// StandoffSuffix marks files of standoff seed annotations.
const StandoffSuffix = ".standoff.jsonl"

// RoleOf tells a file's role from its place in the testdata layout.
func RoleOf(path string) corpus.Role {
	slash := filepath.ToSlash(path)
	switch {
	case strings.HasSuffix(slash, StandoffSuffix):
		return corpus.RoleSeeds
	case filepath.Base(slash) == "challenge.jsonl":
		return corpus.RoleChallenge
	case strings.Contains("/"+slash, "/corpus/"):
		return corpus.RoleCorpus
	}
	return corpus.RoleOther
}

// LoadSets reads every .jsonl file under the given files and folders
// (folders recursively, in name order). Standoff seed annotations are
// joined with the articles in seedsDir.
func LoadSets(paths []string, seedsDir string) ([]corpus.Set, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".jsonl") && !strings.Contains(filepath.ToSlash(path), "/fuzz/") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	sets := make([]corpus.Set, 0, len(files))
	for _, f := range files {
		role := RoleOf(f)
		var recs []stance.Record
		var err error
		if role == corpus.RoleSeeds {
			recs, err = LoadSeeds(f, seedsDir)
		} else {
			recs, err = corpus.ReadFile(f)
		}
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		sets = append(sets, corpus.Set{Path: f, Role: role, Records: recs})
	}
	return sets, nil
}
