//go:build js

package lessons

import "embed"

// embedded holds every lesson's lesson.json and its English text: the rest
// of the locales come with ui's text/<locale>.json, fetched when a learner
// picks one (SetTexts, SetDetails). Other builds embed them all (embed.go).
//
//go:embed */lesson.json */text.en.json
var embedded embed.FS
