package builder

import (
	lb "github.com/brokerlab/brokerlab/lessons/builder"
	"github.com/brokerlab/brokerlab/lessons/share"
	"github.com/brokerlab/brokerlab/lessons/share/flatecodec"
)

// ShareCode is the share link's text (after "#shared/") of a run that
// carries the draft's lesson: opened, it plays the lesson from its start.
func ShareCode(d *lb.Draft) (string, error) {
	b, err := d.Bundle()
	if err != nil {
		return "", err
	}
	return share.Encode(share.Run{Bundle: b, Journal: nil, View: share.View{Follow: true}}, flatecodec.Codec{})
}
