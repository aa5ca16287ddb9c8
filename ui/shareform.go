package ui

import (
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// The new-share-consumer form (KIP-932): a share consumer in a share
// group with an application — processing time per record, the
// acknowledgement mode, and a poison value it cannot process, which it
// rejects or releases. Crash and close are the consumers' own controls.

// PanelShare is the share-consumer form's panel (a key of App.FormErr).
const PanelShare = "share"

// ShareForm holds what the learner typed into the share-consumer form.
type ShareForm struct {
	Name, Group, Topics string
	Mode                string // share.acknowledgement.mode: implicit|explicit
	Process             string // ms per record
	Poison              string // a value the application cannot process ("" = none)
	OnPoison            string // reject|release
}

func defaultShareForm() ShareForm {
	return ShareForm{Name: "s1", Group: "workers", Mode: "implicit", Process: "100", OnPoison: "release"}
}

// ShareAckModes and ShareOnPoison are the form's choices.
var (
	ShareAckModes = []string{"implicit", "explicit"}
	ShareOnPoison = []string{"release", "reject"}
)

// ShareField is one field of the share-consumer form: the page draws
// them all from one template (fewer Vugu nodes, a smaller ui.wasm).
type ShareField struct {
	ID, Label, Title, Hint string
	Val                    *string
	Options                []string // a select's choices; nil for a text input
}

// ShareFields are the share-consumer form's fields, in order.
func (a *App) ShareFields() []ShareField {
	f := &a.More.Share
	return []ShareField{
		{ID: "share-name", Label: T("consumer.name"), Val: &f.Name},
		{ID: "share-group", Label: T("consumer.group"), Val: &f.Group},
		{ID: "share-topics", Label: T("consumer.topics"), Hint: a.FormTopic(), Val: &f.Topics},
		{ID: "share-mode", Label: T("sharec.mode"), Title: T("sharec.mode.title"), Val: &f.Mode, Options: ShareAckModes},
		{ID: "share-process", Label: T("consumer.process"), Title: T("consumer.process.title"), Val: &f.Process},
		{ID: "share-poison", Label: T("sharec.poison"), Title: T("sharec.poison.title"), Val: &f.Poison},
		{ID: "share-onpoison", Label: T("sharec.onpoison"), Title: T("sharec.onpoison.title"), Val: &f.OnPoison, Options: ShareOnPoison},
	}
}

// ShareCommand builds the form's share_consumer_start.
func (a *App) ShareCommand() (Cmd, error) {
	f := a.More.Share
	topics := splitTopics(f.Topics)
	if len(topics) == 0 {
		if t := a.FormTopic(); t != "" {
			topics = []string{t}
		}
	}
	if len(topics) == 0 {
		return Cmd{}, errf("produce.notopic")
	}
	name, group := strings.TrimSpace(f.Name), strings.TrimSpace(f.Group)
	if name == "" {
		return Cmd{}, errf("form.consumername")
	}
	c := Cmd{Op: "share_consumer_start", Consumer: name, Group: group, Topics: topics}
	if p := strings.TrimSpace(f.Process); p != "" && p != "0" {
		ms, err := strconv.Atoi(p)
		if err != nil || ms < 0 {
			return Cmd{}, errf("form.process", p)
		}
		c.Process = p + "ms"
	}
	if f.Mode == "explicit" {
		c.Configs = map[string]string{"share.acknowledgement.mode": "explicit"}
	}
	if v := f.Poison; v != "" {
		c.Poison, c.OnPoison = v, f.OnPoison
	}
	return c, nil
}

// StartShareConsumer sends the form; the name field then proposes the
// next free name (s1 → s2).
func (a *App) StartShareConsumer() {
	c, err := a.ShareCommand()
	if err != nil {
		a.formError(PanelShare, err.Error())
		return
	}
	name := c.Consumer
	undo := a.resetForms(func() {
		a.More.Share.Name = nextFreeName(name, func(n string) bool { return n == name || a.consumerKnown(n) })
	})
	a.applyForm(PanelShare, undo, c)
}

// consumerKnown reports whether a consumer or share consumer has name n.
func (a *App) consumerKnown(n string) bool {
	for _, c := range a.F.Snap.Consumers {
		if c.Name == n {
			return true
		}
	}
	for _, c := range a.F.Snap.ShareConsumers {
		if c.Name == n {
			return true
		}
	}
	return false
}

// shareStats is a share consumer's line in the clients panel.
func shareStats(k view.ShareConsumerSnapshot) string {
	s := Tf("sharec.stats", k.Delivered, k.Accepted, k.Released, k.Rejected, k.Redeliveries)
	if k.Processing && k.State == "running" {
		s += " · " + T("sharec.working")
	}
	return s
}
