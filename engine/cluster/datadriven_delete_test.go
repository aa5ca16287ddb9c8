package cluster

import (
	"fmt"
	"strings"
)

// ddFiles lists a broker's files in the Store with their sizes: what topic
// deletion leaves on its disk.
func ddFiles(g *goldenState, c goldenCase) string {
	root := "broker-" + c.args["broker"]
	names, err := g.c.store.List(root)
	if err != nil {
		return "error: " + err.Error()
	}
	var sb strings.Builder
	for _, n := range names {
		f, err := g.c.store.Open(n)
		if err != nil {
			return "error: " + err.Error()
		}
		size, _ := f.Size()
		f.Close()
		fmt.Fprintf(&sb, "%s %d\n", strings.TrimPrefix(n, root+"/"), size)
	}
	if sb.Len() == 0 {
		return "(no files)"
	}
	return strings.TrimSuffix(sb.String(), "\n")
}
