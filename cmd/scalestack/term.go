package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// palette colours human output. The zero palette prints plain text: it is used whenever
// stdout is not a terminal, when CI or NO_COLOR is set, or when TERM is "dumb", so CI logs and
// redirected output never carry ANSI escapes.
type palette struct{ on bool }

// colorFor decides colour from the output file and the environment.
func colorFor(w io.Writer, getenv func(string) string) palette {
	if getenv("NO_COLOR") != "" || getenv("CI") != "" || getenv("TERM") == "dumb" {
		return palette{}
	}
	f, ok := w.(*os.File)
	if !ok {
		return palette{}
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return palette{}
	}
	return palette{on: true}
}

func (p palette) wrap(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) bold(s string) string   { return p.wrap("1", s) }
func (p palette) red(s string) string    { return p.wrap("31", s) }
func (p palette) green(s string) string  { return p.wrap("32", s) }
func (p palette) yellow(s string) string { return p.wrap("33", s) }
func (p palette) dim(s string) string    { return p.wrap("2", s) }

// progress writes one-line progress messages to stderr ("scalestack: ..."), never to stdout,
// so --json and --diagram output stays clean.
type progress struct{ w io.Writer }

func (p progress) printf(format string, args ...any) {
	fmt.Fprintf(p.w, "scalestack: "+format+"\n", args...)
}

// took formats an elapsed time for progress lines (milliseconds, no decimals below 10 s).
func took(since time.Time) string {
	d := time.Since(since)
	if d < 10*time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return d.Round(100 * time.Millisecond).String()
}
