package ui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/atotto/clipboard"
	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// copyMsg reports a clipboard write: where the text went, or why it
// went nowhere.
type copyMsg struct {
	what  string
	bytes int
	where string
	err   error
}

// copyCmd writes text with fn off the UI goroutine.
func copyCmd(fn func(string) (string, error), text, what string) tea.Cmd {
	return func() tea.Msg {
		where, err := fn(text)
		return copyMsg{what: what, bytes: len(text), where: where, err: err}
	}
}

// systemClipboard copies text everywhere it can be delivered and says
// where that was: the system clipboard (when there is one), tmux's paste
// buffer (inside tmux, which also passes it on to the outer terminal when
// its set-clipboard option allows), or the terminal itself through OSC 52
// (outside tmux; it works over ssh, though the terminal may ignore it).
// It fails only when the text reached none of them.
func systemClipboard(text string) (string, error) {
	var where []string
	var errs []error
	if clipboard.Unsupported {
		errs = append(errs, errors.New("no system clipboard"))
	} else if err := clipboard.WriteAll(text); err != nil {
		errs = append(errs, fmt.Errorf("system clipboard: %w", err))
	} else {
		where = append(where, "the system clipboard")
	}
	if os.Getenv("TMUX") != "" {
		if err := tmuxBuffer(text); err != nil {
			errs = append(errs, fmt.Errorf("tmux: %w", err))
		} else {
			where = append(where, "tmux's paste buffer")
		}
	} else {
		seq := osc52.New(text)
		if strings.HasPrefix(os.Getenv("TERM"), "screen") {
			seq = seq.Screen()
		}
		if _, err := seq.WriteTo(os.Stdout); err != nil {
			errs = append(errs, fmt.Errorf("terminal: %w", err))
		} else {
			where = append(where, "the terminal (OSC 52)")
		}
	}
	if len(where) == 0 {
		return "", errors.Join(errs...)
	}
	return strings.Join(where, " and "), nil
}

// tmuxBuffer loads text into tmux's paste buffer; -w also hands it to the
// outer terminal's clipboard where tmux's set-clipboard option allows.
func tmuxBuffer(text string) error {
	load := func(args ...string) error {
		cmd := exec.Command("tmux", append([]string{"load-buffer"}, append(args, "-")...)...)
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("load-buffer: %w: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	if err := load("-w"); err != nil {
		return load() // tmux before 3.2 has no -w
	}
	return nil
}

func (m Model) copyBody() (Model, tea.Cmd) {
	what := "preview body"
	if m.detail.fired != nil {
		what = "response body"
	}
	if m.detail.plain == "" {
		return m, m.setNotice("nothing to copy: the "+what+" is empty", true)
	}
	return m, copyCmd(m.copyFn, m.detail.plain, what)
}

func (m Model) copyCurl() (Model, tea.Cmd) {
	c := m.detail.curl()
	if c == "" {
		return m, nil
	}
	return m, copyCmd(m.copyFn, c, "curl command")
}

func (m *Model) copied(msg copyMsg) tea.Cmd {
	if msg.err != nil {
		return m.setNotice("could not copy the "+msg.what+": "+msg.err.Error(), true)
	}
	return m.setNotice(fmt.Sprintf("copied %s bytes (%s) to %s", commas(msg.bytes), msg.what, msg.where), false)
}
