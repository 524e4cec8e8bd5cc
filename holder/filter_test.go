package holder

import (
	"fmt"
	"testing"
)

func TestWordFilter(t *testing.T) {
	var f WordFilter
	if f.MayHave("x") {
		t.Fatal("the zero filter has a word")
	}
	const n = 4000
	for i := range n {
		f.Add(fmt.Sprint("in", i))
	}
	for i := range n {
		if w := fmt.Sprint("in", i); !f.MayHave(w) {
			t.Fatalf("%q was added but is not in the filter", w)
		}
	}
	fp := 0
	for i := range n {
		if f.MayHave(fmt.Sprint("out", i)) {
			fp++
		}
	}
	t.Logf("%d of %d words never added may be in it", fp, n)
	if fp > n/20 {
		t.Errorf("%d of %d words never added may be in the filter", fp, n)
	}
}
