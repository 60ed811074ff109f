package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/bridgesoftrust/hub/internal/npmtest"
)

// TestGraphQLOverHTTPAudit runs the npm graphql-http package's audit of
// GraphQL over HTTP (auditServer: every MUST, SHOULD and MAY of the spec
// that it checks) against the Hub and wants every audit to pass.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, dir := npmtest.Dir(t, "testdata/audit", "graphql-http")
	h := sqliteHub(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "audit.mjs", h.endpoint())
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("audit.mjs: %v\n%s", err, stderr.Bytes())
	}
	n := 0
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); n++ {
		var r struct {
			ID, Name, Status, Reason, Body string
			HTTPStatus                     int
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit.mjs printed %q: %v", sc.Text(), err)
		}
		if r.Status != "ok" {
			t.Errorf("%s %s (%s): %s; got %d %s", r.ID, r.Name, r.Status, r.Reason, r.HTTPStatus, r.Body)
		}
	}
	if n < 50 {
		t.Errorf("only %d audits ran:\n%s", n, out)
	}
}
