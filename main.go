// Command routedeck explores and mocks the Stripe API from a terminal: a
// full-screen catalog of Stripe's routes that also serves every one of them
// on 127.0.0.1:12111, with success and error variants switchable live.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests. It returns the exit code:
//
//	0    ok; serve stopped by Ctrl+C or SIGTERM once every open request finished
//	1    runtime error; serve's shutdown grace ran out (it says how many requests it cut off)
//	2    usage error
//	130  interrupted: Ctrl+C in the terminal UI, or a second Ctrl+C or SIGTERM to serve
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	finished := make(chan struct{})
	defer close(finished)
	// The first signal stops gracefully (ctx); a second one stops at once.
	now := make(chan struct{})
	go func() {
		defer cancel()
		select {
		case <-sigs:
			cancel()
		case <-finished:
			return
		}
		select {
		case <-sigs:
			close(now)
		case <-finished:
		}
	}()
	err := dispatch(ctx, now, args, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.Is(err, errVersion):
		fmt.Fprintln(stdout, versionString())
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "routedeck: %v\n", err)
		fmt.Fprintln(stderr, "Run 'routedeck --help' for usage.")
		return 2
	case errors.Is(err, tea.ErrInterrupted):
		return 130
	case errors.Is(err, errStoppedAtOnce):
		fmt.Fprintf(stderr, "routedeck: %v\n", err)
		return 130
	default:
		fmt.Fprintf(stderr, "routedeck: %v\n", err)
		return 1
	}
}

// dispatch runs one command. ctx ends at the first signal; now is closed
// at the second.
func dispatch(ctx context.Context, now <-chan struct{}, args []string, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
			fmt.Fprintln(stdout, versionString())
			return nil
		}
		return runTUI(ctx, args, stdout)
	case "serve":
		return runServe(ctx, now, args, stdout, stderr)
	case "list":
		return runList(args, stdout)
	case "show":
		return runShow(args, stdout)
	case "export":
		return runExport(args, stdout)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usageErrorf("unknown command %q (want serve, list, show, export or version)", cmd)
	}
}
