package ui

import "fmt"

// LivePlot draws produce and consume rates and consumer lag over the last
// seconds of virtual time as SVG polylines.
type LivePlot struct {
	App *App
}

func (c *LivePlot) viewBox() string { return fmt.Sprintf("0 0 %d %d", PlotW, PlotH) }

func (c *LivePlot) scale() string {
	p := c.App.F.Plot
	return Tf("plot.scale", p.MaxRate, p.MaxLag)
}
