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

func (c *Controls) maxMS() int64 { return max(c.App.F.NowUS/1000, 1) }

func (c *Controls) valueMS() string { return strconv.FormatInt(c.App.F.NowUS/1000, 10) }

func (c *Controls) rewindTo(v string) {
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms*1000 >= c.App.F.NowUS {
		return
	}
	c.App.Rewind(ms * 1000)
}
