package proto

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestCodesMatchKerr checks the engine's own table of error codes against
// franz-go's kerr (which the engine no longer links: its table of every
// Kafka error with descriptions weighs ~8 KB brotli in engine.wasm). Names
// differ only where Kafka 4.x renamed a code.
func TestCodesMatchKerr(t *testing.T) {
	renamed := map[ErrorCode]string{
		NotLeaderOrFollower:   "NOT_LEADER_FOR_PARTITION",
		InvalidTopicException: "INVALID_TOPIC_EXCEPTION",
	}
	for c, e := range codes {
		if c == None || c == ClientTimeout {
			continue
		}
		k, ok := kerr.ErrorForCode(int16(c)).(*kerr.Error)
		if !ok {
			t.Errorf("code %d (%s): kerr does not know it", c, e.name)
			continue
		}
		want := k.Message
		if old, ok := renamed[c]; ok {
			if old != k.Message {
				t.Errorf("code %d: kerr calls it %s, the test expected %s", c, k.Message, old)
			}
			want = e.name
		}
		if e.name != want {
			t.Errorf("code %d: String() = %s, kerr says %s", c, e.name, want)
		}
		if e.retriable != k.Retriable {
			t.Errorf("code %d (%s): Retriable() = %v, kerr says %v", c, e.name, e.retriable, k.Retriable)
		}
	}
	if got := ErrorCode(9999).String(); got != "UNKNOWN_SERVER_ERROR" {
		t.Errorf("an unknown code reads %s, want UNKNOWN_SERVER_ERROR", got)
	}
	if NetworkException.Retriable() != true || ClientTimeout.Retriable() != false {
		t.Error("NETWORK_EXCEPTION must be retriable and the client's TIMEOUT_EXCEPTION not")
	}
}

// TestEveryCodeNamed finds every ErrorCode constant declared in this
// package's source (`Name ErrorCode = N`) and checks the table names it.
func TestEveryCodeNamed(t *testing.T) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range pkgs["proto"].Files {
		ast.Inspect(f, func(x ast.Node) bool {
			v, ok := x.(*ast.ValueSpec)
			if !ok || len(v.Values) != 1 {
				return true
			}
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "ErrorCode" {
				return true
			}
			lit := types.ExprString(v.Values[0])
			c, err := strconv.Atoi(lit)
			if err != nil {
				t.Errorf("%s = %s: not a plain number", v.Names[0].Name, lit)
				return true
			}
			n++
			if _, ok := codes[ErrorCode(c)]; !ok {
				t.Errorf("%s (%d) has no entry in codes", v.Names[0].Name, c)
			}
			return true
		})
	}
	if n < 40 {
		t.Errorf("found %d ErrorCode constants; the source scan is broken", n)
	}
}
