//go:build !(js && wasm)

// Command server serves the Brokerlab playground on this machine:
//
//	go run ./server                 # http://127.0.0.1:8080/, files from dist/
//	go run ./server -addr 127.0.0.1:0 -dist path/to/dist
//	go run ./server -cf-headers     # print the Cloudflare _headers file
//	go run ./server -kafka 127.0.0.1:9092 [-scenario file.json] [-journal session.jsonl]
//	                                # also a simulated Kafka cluster for real clients
//	go run ./server -replay session.jsonl [-export session.json]
//	                                # replay a journal headless, print its trace hash
//
// It binds to a loopback address unless -public is given. The Cloudflare
// Worker build of the same handler is main_worker.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/brokerlab/brokerlab/server/handler"
	"github.com/brokerlab/brokerlab/static"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (host:port)")
	dist := flag.String("dist", "dist", "folder with the built wasm files")
	public := flag.Bool("public", false, "allow listening on a non-loopback address")
	cfHeaders := flag.Bool("cf-headers", false, "print the Cloudflare _headers file for the Worker build and exit")
	var kafka kafkaOptions
	flag.StringVar(&kafka.addr, "kafka", "", "also serve a simulated Kafka cluster: broker 1's loopback address (host:port), the others on the next ports")
	flag.StringVar(&kafka.scenario, "scenario", "", "with -kafka: the scenario file to start from (default: 3 brokers, Kafka's defaults, auto.create.topics.enable=true)")
	flag.StringVar(&kafka.journal, "journal", "", "with -kafka: record every client connection and request into this file, for a replay")
	flag.Float64Var(&kafka.speed, "speed", 1, "with -kafka: virtual seconds per wall-clock second")
	replay := flag.String("replay", "", "replay a -journal file headless, print its trace hash and exit")
	export := flag.String("export", "", "with -replay: also write the session as a scenario file (client_* steps)")
	flag.Parse()
	if *replay != "" {
		if err := replayJournal(*replay, *export); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *cfHeaders {
		fmt.Print(handler.CloudflareHeaders())
		return
	}
	var engine http.Handler
	if kafka.addr != "" {
		h, stop, err := startKafka(kafka)
		if err != nil {
			log.Fatal(err)
		}
		defer stop()
		engine = h
	}
	if err := run(*addr, *dist, *public, engine); err != nil {
		log.Fatal(err)
	}
}

// run serves the page; engine, when not nil, is the -kafka engine's API,
// served at /engine (POST) for a page attached to it.
func run(addr, dist string, public bool, engine http.Handler) error {
	if err := checkLoopback(addr, public); err != nil {
		return err
	}
	cfg := handler.Config{Static: static.FS, Logf: log.Printf}
	if st, err := os.Stat(dist); err == nil && st.IsDir() {
		cfg.Dist = os.DirFS(dist)
		if _, err := fs.Stat(cfg.Dist, "engine.wasm"); err != nil {
			log.Printf("server: %s has no engine.wasm yet: run make first", dist)
		}
	} else {
		log.Printf("server: no %s folder: serving the page only (run make to build the wasm)", dist)
	}
	h := handler.New(cfg)
	if engine != nil {
		mux := http.NewServeMux()
		mux.Handle("/engine", engine)
		mux.Handle("/", h)
		h = mux
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("Brokerlab playground: http://%s/\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// checkLoopback refuses an address that would listen beyond this machine
// (an empty host means every interface) unless public is set.
func checkLoopback(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("server: -addr %q: %w", addr, err)
	}
	if public || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("server: -addr %q is not a loopback address; pass -public to listen on it", addr)
}
