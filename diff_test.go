package smdomain

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// asSets is how the diff compared values before sameValue: go-cmp, lists
// sorted by their rendering. sameValue must agree with it everywhere.
var asSets = cmpopts.SortSlices(func(a, b any) bool { return render(a) < render(b) })

// decodeJSONForm decodes s into the JSON form internal/wire encodes to.
func decodeJSONForm(t testing.TB, s string) (any, bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

var sameValueSeeds = []struct{ a, b string }{
	{`"sg-1"`, `"sg-1"`},
	{`"sg-1"`, `"sg-2"`},
	{`"1"`, `1`},
	{`1`, `1.0`},
	{`true`, `"true"`},
	{`null`, `null`},
	{`null`, `{}`},
	{`null`, `[]`},
	{`[]`, `{}`},
	{`["a","b","c"]`, `["c","a","b"]`},
	{`["a","a","b"]`, `["a","b","b"]`},
	{`["a","b"]`, `["a","b","b"]`},
	{`["1",1]`, `[1,"1"]`},
	{`[null,"a"]`, `["a",null]`},
	{`{"A":"x","B":["p","q"]}`, `{"B":["q","p"],"A":"x"}`},
	{`{"A":"x"}`, `{"A":"x","B":null}`},
	{`{"A":null}`, `{"B":null}`},
	{`[{"K":"a","V":["1","2"]},{"K":"b"}]`, `[{"K":"b"},{"K":"a","V":["2","1"]}]`},
	// Lists of lists pair up by the rendering of the unsorted inner lists,
	// as go-cmp's SortSlices does: equal as nested sets, yet not equal here.
	{`[["b","a"],["a","z"]]`, `[["a","b"],["z","a"]]`},
	{`[["a","b"],["c"]]`, `[["c"],["b","a"]]`},
	{`[{"X":["b","a"]},{"X":["a","z"]}]`, `[{"X":["a","b"]},{"X":["z","a"]}]`},
}

func TestSameValueAgreesWithGoCmp(t *testing.T) {
	for _, tc := range sameValueSeeds {
		a, _ := decodeJSONForm(t, tc.a)
		b, _ := decodeJSONForm(t, tc.b)
		want := cmp.Equal(a, b, asSets)
		if got := sameValue(a, b); got != want {
			t.Errorf("sameValue(%s, %s) = %v, go-cmp says %v", tc.a, tc.b, got, want)
		}
		if got := sameValue(b, a); got != want {
			t.Errorf("sameValue(%s, %s) = %v, go-cmp says %v", tc.b, tc.a, got, want)
		}
	}
}

// FuzzSameValue checks sameValue against go-cmp on arbitrary documents.
func FuzzSameValue(f *testing.F) {
	for _, tc := range sameValueSeeds {
		f.Add(tc.a, tc.b)
	}
	f.Fuzz(func(t *testing.T, sa, sb string) {
		a, ok := decodeJSONForm(t, sa)
		if !ok {
			return
		}
		b, ok := decodeJSONForm(t, sb)
		if !ok {
			return
		}
		if got, want := sameValue(a, b), cmp.Equal(a, b, asSets); got != want {
			t.Fatalf("sameValue(%s, %s) = %v, go-cmp says %v", sa, sb, got, want)
		}
	})
}
