package ui

// The components' Go code is generated from the .vugu files and committed;
// TestGeneratedUpToDate fails when it is stale.
//go:generate go tool vugugen -s -skip-go-mod -skip-main .
//go:generate gofmt -w 0_components_gen.go
