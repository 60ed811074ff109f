package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent/auditlog"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// TestNobodyChangesTheAuditLog tries to forge, change and delete audit
// entries through Ent as the secretariat: every attempt is denied and the
// log stays as it was. The API has no mutation for it either.
func TestNobodyChangesTheAuditLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		w := newWorld(t, store)
		c := store.Client
		ctx := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: w.users["secretariat"].ID,
			Role: viewer.RoleSecretariat, DisplayName: "The secretariat", Scopes: []viewer.Scope{viewer.ScopeRead, viewer.ScopeWrite}})
		first, err := c.AuditLog.Query().Order(auditlog.ByID()).First(ctx)
		if err != nil {
			t.Fatalf("the secretariat reads the audit log: %v", err)
		}
		before := w.auditCount(t)
		forge := func(u *entsql.UpdateBuilder) { u.Set(auditlog.FieldActorLabel, "forged") }
		attempts := map[string]error{
			"create": c.AuditLog.Create().SetActorLabel("forged").SetEntity("User").SetEntityID(1).
				SetOperation(auditlog.OperationDELETE).Exec(ctx),
			"update one": c.AuditLog.UpdateOneID(first.ID).Modify(forge).Exec(ctx),
			"update all": c.AuditLog.Update().Modify(forge).Exec(ctx),
			"delete one": c.AuditLog.DeleteOneID(first.ID).Exec(ctx),
		}
		_, attempts["delete all"] = c.AuditLog.Delete().Exec(ctx)
		for name, err := range attempts {
			if !errors.Is(err, privacy.Deny) {
				t.Errorf("%s: %v, want a privacy denial", name, err)
			}
		}
		if after := w.auditCount(t); after != before {
			t.Errorf("%d audit entries, want %d", after, before)
		}
		if got := c.AuditLog.GetX(sys(), first.ID); got.ActorLabel != first.ActorLabel {
			t.Errorf("the first entry's actor is now %q, was %q", got.ActorLabel, first.ActorLabel)
		}
		checkNoAuditMutation(t, w)
	})
}

// checkNoAuditMutation introspects the API: no mutation names the audit log.
func checkNoAuditMutation(t *testing.T, w *world) {
	t.Helper()
	resp := w.post(t, "secretariat", `{ __type(name: "Mutation") { fields { name } } }`, nil)
	resp.NoErrors(t)
	var data struct {
		Type struct{ Fields []struct{ Name string } } `json:"__type"`
	}
	resp.Decode(t, &data)
	if len(data.Type.Fields) == 0 {
		t.Fatalf("no mutations in %s", resp.Data)
	}
	for _, f := range data.Type.Fields {
		if strings.Contains(strings.ToLower(f.Name), "audit") {
			t.Errorf("mutation %s touches the audit log", f.Name)
		}
	}
}
