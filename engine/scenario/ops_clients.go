package scenario

import "strings"

// The ops of outside Kafka clients (server/kafkawire): a session with
// real clients, exported as a scenario, replays as these steps. Each
// names its connection's network node ("client-c1"); client_request
// carries one engine request (engine/proto) as JSON, named by its API.
// Written by hosts, not by hand.

func validateClientNode(c *Command) error {
	if !strings.HasPrefix(c.Node, "client-") || len(c.Node) == len("client-") {
		return errorf("node must name an outside connection, \"client-NAME\", got %q", c.Node)
	}
	return nil
}

func validateClientRequest(c *Command) error {
	if err := validateClientNode(c); err != nil {
		return err
	}
	if c.API == "" || len(c.Request) == 0 {
		return errorf("give \"api\" (e.g. \"Produce\") and \"request\" (the engine's request as JSON)")
	}
	return nil
}
