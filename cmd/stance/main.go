// Command stance labels every sentence of Arabic news with its stance toward
// US–Russia military coordination, its sentiment and the evidence for both.
//
//	stance serve    run the gRPC service
//	stance score    score files or archives in batch
//	stance train    train a model from annotated sentences
//	stance eval     evaluate a model on annotated sentences
//	stance corpus   check annotated corpus files
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// errUsage marks a command-line mistake: exit code 2 instead of 1.
var errUsage = errors.New("usage")

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the gRPC service", runServe},
		{"score", "score files, folders or standard input in batch", runScore},
		{"train", "train a model from annotated sentences", runTrain},
		{"eval", "evaluate a model on annotated sentences", runEval},
		{"corpus", "check or export annotated files (stance corpus check|export PATH...)", runCorpus},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: stance <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'stance <command> -h' for a command's flags.")
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "stance %s: %v\n", c.name, err)
			return 2
		case errors.As(err, new(*exitError)):
			var ee *exitError
			errors.As(err, &ee)
			fmt.Fprintf(stderr, "stance %s: %v\n", c.name, err)
			return ee.code
		default:
			fmt.Fprintf(stderr, "stance %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "stance: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("stance "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// flagSet reports whether the command line set the named flag, as opposed
// to leaving it at its default.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
