package main

import (
	"reflect"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/bridgesoftrust/hub/internal/server"
)

// TestServeDefaults checks that the flag defaults of hub serve are those
// of server.DefaultConfig.
func TestServeDefaults(t *testing.T) {
	var cli CLI
	parser, err := kong.New(&cli, kong.Vars{"default_db": "sqlite://:memory:"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.Parse([]string{"serve"}); err != nil {
		t.Fatal(err)
	}
	if got, want := cli.Serve.config(), server.DefaultConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("flag defaults\n got %+v\nwant %+v", got, want)
	}
}
