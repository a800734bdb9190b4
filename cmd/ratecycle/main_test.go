package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real ratecycle command in a subprocess as
// "ratecycle", on the real embedded data, with exit codes checked by the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ratecycle": func() { os.Exit(run(context.Background(), os.Args[1:], systemIO())) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("RATECYCLE_HOME", env.WorkDir+"/home")
			return nil
		},
	})
}
