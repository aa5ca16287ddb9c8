package ui

import (
	"strconv"
)

// Controls are play/pause, step, speed, the clock and rewind.
type Controls struct {
	App *App
}

func (c *Controls) playText() string {
	if c.App.Playing {
		return "❚❚ " + T("ctl.pause")
	}
	return "▶ " + T("ctl.play")
}

func (c *Controls) playClass() string {
	if c.App.Playing {
		return "secondary"
	}
	return "primary"
}

func (c *Controls) nextTitle() string {
	if c.App.F.NextUS < 0 {
		return ""
	}
	return Tf("ctl.next", fmtUS(c.App.F.NextUS))
}

// endUS is the slider's end: now, or the time the run had reached before
// a rewind while its future is kept (the redo).
func (c *Controls) endUS() int64 { return max(c.App.F.NowUS, c.App.F.RedoEndUS) }

func (c *Controls) maxMS() int64 { return max(c.endUS()/1000, 1) }

func (c *Controls) valueMS() string { return strconv.FormatInt(c.App.F.NowUS/1000, 10) }

// rewindTitle names the slider, and the future it keeps after a rewind.
func (c *Controls) rewindTitle() string {
	if c.App.F.RedoEndUS <= c.App.F.NowUS {
		return T("ctl.rewind")
	}
	return T("ctl.rewind") + " — " + Tf(one("redo.ahead", c.App.F.Redo), c.App.F.Redo, fmtSec(c.App.F.RedoEndUS))
}

// redoText is the short line beside the slider while a redo is kept.
func (c *Controls) redoText() string {
	if c.App.F.RedoEndUS <= c.App.F.NowUS {
		return ""
	}
	return Tf(one("redo.ahead", c.App.F.Redo), c.App.F.Redo, fmtSec(c.App.F.RedoEndUS))
}

// rewindTo moves the run to the slider's time: back (a rewind) or forward
// into the part a rewind kept.
func (c *Controls) rewindTo(v string) {
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return
	}
	switch us := ms * 1000; {
	case us < c.App.F.NowUS:
		c.App.Rewind(us)
	case us > c.App.F.NowUS && us <= c.endUS():
		c.App.Forward(us)
	}
}

// copyText is the share panel's copy button: "Copy", then "Copied".
func (c *Controls) copyText() string {
	if c.App.Share.Copied {
		return T("share.copied")
	}
	return T("share.copy")
}

// branchText names a branch: where it forked and how many commands it has.
func (c *Controls) branchText(b BranchInfo) string {
	return Tf(one("branch.other", b.Commands), fmtSec(b.ForkUS), b.Commands)
}
