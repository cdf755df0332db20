//go:build unix

package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A template that is a named pipe (or a folder) is refused at once rather
// than hanging the load, waiting for a writer.
func TestTemplateMustBeARegularFile(t *testing.T) {
	dir := exported(t)
	file := filepath.Join(dir, "r0.success.hbs")
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(file, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := LoadDir(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
			t.Errorf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("loading a catalog with a named pipe hangs")
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(file, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "not a regular file (a folder)") {
		t.Errorf("folder: got %v", err)
	}
}
