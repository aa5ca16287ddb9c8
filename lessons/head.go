package lessons

import "encoding/json"

// HeadKeys are the English text keys ui.wasm builds in for every lesson:
// what the lesson list shows. The rest of the English text arrives with
// text/en.json when a lesson first opens (ui's lesson text), as a locale's
// text does when it is picked.
var HeadKeys = []string{"title", "objective"}

// TextHead is the part of a text.<locale>.json that HeadKeys name, as
// compact JSON.
func TextHead(text []byte) (string, error) {
	var all map[string]string
	if err := json.Unmarshal(text, &all); err != nil {
		return "", err
	}
	head := map[string]string{}
	for _, k := range HeadKeys {
		if v, ok := all[k]; ok {
			head[k] = v
		}
	}
	out, err := json.Marshal(head)
	return string(out), err
}
