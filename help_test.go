package main

import (
	"flag"
	"strings"
	"testing"
)

// TestEveryFlagIsInItsHelp keeps each command's --help honest: every flag
// the command accepts is named in the help it prints, and in the overview.
func TestEveryFlagIsInItsHelp(t *testing.T) {
	for cmd, extra := range commandFlags {
		fs, _ := newFlagSet(cmd, &options{}, extra)
		help := helpText(cmd)
		if cmd == "routedeck" {
			help = usage
		}
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name == "version" {
				return // --version is answered everywhere and listed once
			}
			if cmd == "export" && (f.Name == "variant" || f.Name == "set") {
				return // refused by export (TestExportRefusesVariantFlags)
			}
			if !strings.Contains(help, "--"+f.Name+" ") && !strings.Contains(help, "--"+f.Name+"\n") {
				t.Errorf("%s --help does not mention --%s", cmd, f.Name)
			}
			if !strings.Contains(usage, "--"+f.Name) {
				t.Errorf("routedeck --help does not mention --%s (a flag of %s)", f.Name, cmd)
			}
		})
	}
}

func TestExportRefusesVariantFlags(t *testing.T) {
	for _, args := range [][]string{
		{"export", t.TempDir() + "/a", "--variant", "error"},
		{"export", t.TempDir() + "/b", "--set", "GET /v1/customers/:customer=error"},
	} {
		var stdout, stderr strings.Builder
		if code := run(args, strings.NewReader(""), &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d; want 2 (stderr %q)", args, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "export: --variant and --set") {
			t.Errorf("%q: stderr %q does not say why", args, stderr.String())
		}
	}
}
