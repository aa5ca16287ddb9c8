package ui

// Root is the app's top component: navigation, banners and the page.
type Root struct {
	App *App
}

func (c *Root) tab(page string) string {
	if c.App.Page == page || (page == PageLessons && c.App.Page == PageLesson) {
		return "tab active"
	}
	return "tab"
}
