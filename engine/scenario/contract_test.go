package scenario

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/contract"
)

// TestContractCommand: contract.Command, the command the page builds, has
// exactly the fields the engine's Command reads (plus "at"), and what it
// writes parses back, a tombstone's null value included.
func TestContractCommand(t *testing.T) {
	names := func(v any) []string {
		var out []string
		ty := reflect.TypeOf(v)
		for i := 0; i < ty.NumField(); i++ {
			if tag := ty.Field(i).Tag.Get("json"); tag != "-" && tag != "" {
				out = append(out, strings.Split(tag, ",")[0])
			}
		}
		slices.Sort(out)
		return out
	}
	engine := append(names(Command{}), "at")
	slices.Sort(engine)
	if page := names(contract.Command{}); !slices.Equal(engine, page) {
		t.Errorf("contract.Command's fields %v, the engine's %v", page, engine)
	}
	b, err := contract.Command{Op: "produce", Producer: "p", Topic: "t", Key: contract.Ptr("k"), Tombstone: true, Rate: "10/s", Count: contract.Ptr(3)}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCommand(b)
	if err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if !c.NullValue || c.Value != nil || *c.Key != "k" || *c.Count != 3 || *c.Rate != 10 {
		t.Errorf("%s parsed as %+v", b, c)
	}
}
