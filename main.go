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
//	0    ok: the terminal UI quit (q, Ctrl+C, a signal); serve stopped by Ctrl+C or
//	     SIGTERM once every open request finished
//	1    runtime error; serve's shutdown grace ran out (it says how many requests it cut off)
//	2    usage error
//	130  interrupted: a second Ctrl+C or SIGTERM to serve, which stops at once
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
	var he helpError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &he):
		fmt.Fprint(stdout, helpText(he.cmd))
		return 0
	case errors.Is(err, errVersion):
		fmt.Fprintln(stdout, versionString())
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "routedeck: %v\n", err)
		if ue.cmd != "" {
			fmt.Fprintf(stderr, "Run 'routedeck %s --help' for usage.\n", ue.cmd)
		} else {
			fmt.Fprintln(stderr, "Run 'routedeck --help' for usage.")
		}
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
// at the second. Usage errors and --help name the command they are about.
func dispatch(ctx context.Context, now <-chan struct{}, args []string, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	err := runCommand(ctx, now, cmd, args, stdout, stderr)
	if _, known := commandHelp[cmd]; known {
		var ue usageError
		if errors.As(err, &ue) && ue.cmd == "" {
			ue.cmd = cmd
			return ue
		}
		if isHelp(err) {
			return helpError{cmd: cmd}
		}
	}
	return err
}

func runCommand(ctx context.Context, now <-chan struct{}, cmd string, args []string, stdout, stderr io.Writer) error {
	switch cmd {
	case "":
		if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
			fmt.Fprintln(stdout, versionString())
			return nil
		}
		return runTUI(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, now, args, stdout, stderr)
	case "list":
		return runList(args, stdout, stderr)
	case "show":
		return runShow(args, stdout, stderr)
	case "export":
		return runExport(args, stdout, stderr)
	case "trigger":
		return runTrigger(ctx, args, stdout)
	case "version":
		for _, a := range args {
			if a == "-h" || a == "-help" || a == "--help" {
				return errHelp
			}
		}
		fmt.Fprintln(stdout, versionString())
		return nil
	case "help":
		// routedeck help serve: the command's --help.
		if len(args) > 0 {
			if _, ok := commandHelp[args[0]]; ok {
				return helpError{cmd: args[0]}
			}
		}
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usageErrorf("unknown command %q (want serve, list, show, export, trigger or version)", cmd)
	}
}
