// Command embedded-mongo runs FerretDB (SQLite backend) in-process as the service's embedded
// MongoDB-compatible database. It listens on 127.0.0.1 (a free port unless -port is given),
// prints "READY mongodb://..." on stdout once it accepts connections, and stops on SIGTERM/SIGINT.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data-dir", "./data/db", "directory holding the SQLite files")
	port := flag.Int("port", 0, "TCP port on 127.0.0.1 (0 picks a free one)")
	logLevel := flag.String("log-level", "error", "FerretDB log level: debug, info, warn, error")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when stdin closes (the parent process died)")
	synchronous := flag.String("synchronous", "full", "SQLite synchronous mode: full (fsync every commit) or normal (fsync at WAL checkpoints)")
	flag.Parse()

	if *synchronous != "full" && *synchronous != "normal" {
		log.Fatalf("embedded-mongo: -synchronous must be full or normal, got %q", *synchronous)
	}

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatalf("embedded-mongo: bad data dir: %v", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		log.Fatalf("embedded-mongo: cannot create data dir: %v", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("embedded-mongo: bad log level: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: fmt.Sprintf("127.0.0.1:%d", *port)},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatalf("embedded-mongo: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if *watchStdin {
		// A parent killed without a chance to signal us closes our stdin; never outlive it.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	go maintainIDIndexes(ctx, abs, logger)

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			log.Printf("embedded-mongo: run: %v", err)
		}
	}()

	// MongoDBURI blocks until the listener is bound, so printing it announces readiness.
	fmt.Printf("READY %s\n", f.MongoDBURI())
	<-done
}
