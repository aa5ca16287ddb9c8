// Package headless says how Brokerlab starts headless Chromium for its
// browser tests and benchmarks: one binary path and one set of flags, so the
// e2e tests and `make bench-speed` measure the same browser.
package headless

import "github.com/chromedp/chromedp"

// Chromium is Debian's chromium, which `make test` installs.
const Chromium = "/usr/bin/chromium"

// Options starts the Chromium at path headless on the profile directory
// profile, with the flags the developers' guide names (no sandbox, GPU,
// QUIC, first-run, background networking, component updates or sync) and a
// 1440×1000 window.
func Options(path, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1440, 1000),
	}
}
