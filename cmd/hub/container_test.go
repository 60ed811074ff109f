package main

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestContainerBuild runs the Dockerfile's build command (its line
// "RUN CGO_ENABLED=0 ... go build ... -o /out/hub ./cmd/hub") with the
// same environment and flags, as CI has no container builder, and checks
// that it makes a static binary that runs on the image's empty base: no
// dynamic loader, no shared libraries.
func TestContainerBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary: skipped in -short mode")
	}
	line := buildLine(t)
	out := filepath.Join(t.TempDir(), "hub")
	cmd := exec.Command("sh", "-c", strings.Replace(line, "-o /out/hub", "-o "+out, 1))
	cmd.Dir = "../.."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary needs a dynamic loader: not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v", libs)
	}
	if b, err := exec.Command(out, "serve", "--help").CombinedOutput(); err != nil || !strings.Contains(string(b), "--metrics-addr") {
		t.Errorf("hub serve --help: %v\n%s", err, b)
	}
}

// buildLine returns the Dockerfile's go build command, without RUN.
func buildLine(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if rest, ok := strings.CutPrefix(sc.Text(), "RUN CGO_ENABLED=0 "); ok && strings.Contains(rest, "go build") {
			return "CGO_ENABLED=0 " + rest
		}
	}
	t.Fatal(`the Dockerfile has no "RUN CGO_ENABLED=0 ... go build" line`)
	return ""
}
