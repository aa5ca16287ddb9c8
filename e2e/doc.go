// Package e2e is Brokerlab's browser test: it serves static/ and dist/
// through the real handler, drives Debian's Chromium with chromedp through
// lesson 1 and the sandbox by clicking, reloads with the same profile, and
// saves screenshots under dist/screens/. It builds and installs nothing:
// `make e2e` does both.
package e2e
