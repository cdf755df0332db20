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

// run is main without os.Exit, for tests. It returns the exit code: 0 ok,
// 1 runtime error, 2 usage error, 130 interrupted.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := dispatch(ctx, args, stdout, stderr)
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
	default:
		fmt.Fprintf(stderr, "routedeck: %v\n", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
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
		return runServe(ctx, args, stdout, stderr)
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
