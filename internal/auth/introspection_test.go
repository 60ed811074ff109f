package auth_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

const introspection = `{ __schema { types { name kind
  fields(includeDeprecated: true) { name args { name } }
  inputFields { name }
  enumValues(includeDeprecated: true) { name } } } }`

type schemaAnswer struct {
	Schema struct {
		Types []struct {
			Name, Kind string
			Fields     []struct {
				Name string
				Args []struct{ Name string }
			}
			InputFields []struct{ Name string }
			EnumValues  []struct{ Name string }
		}
	} `json:"__schema"`
}

// secretish matches names that suggest a credential.
var secretish = regexp.MustCompile(`(?i)password|hash|secret|token`)

// documentedSecrets are the credential names the API has on purpose: the
// token a login returns, the secret a new API key shows once, and the
// passwords one signs in, creates an account and changes a password with.
var documentedSecrets = []string{
	"LoginPayload.token",
	"CreateAPIKeyPayload.secret",
	"LoginInput.password",
	"CreateUserInput.password",
	"Mutation.changePassword",
	"Mutation.changePassword(currentPassword)",
	"Mutation.changePassword(newPassword)",
}

// schemaNames lists every field, argument, input field and enum value of
// the schema as Type.name, Type.field(arg) or Type.VALUE.
func schemaNames(s schemaAnswer) []string {
	var names []string
	for _, typ := range s.Schema.Types {
		for _, f := range typ.Fields {
			names = append(names, typ.Name+"."+f.Name)
			for _, a := range f.Args {
				names = append(names, typ.Name+"."+f.Name+"("+a.Name+")")
			}
		}
		for _, f := range typ.InputFields {
			names = append(names, typ.Name+"."+f.Name)
		}
		for _, v := range typ.EnumValues {
			if v.Name != "SECRETARIAT" { // the role, not a secret
				names = append(names, typ.Name+"."+v.Name)
			}
		}
	}
	return names
}

// TestIntrospectionShowsNoSecrets walks the whole schema: no field,
// argument, input field or enum value names a password, hash, secret or
// token except the documented ones, and sessions are not in the API.
func TestIntrospectionShowsNoSecrets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := serve(t, store, testConfig())
		resp := h.post(t, introspection, nil, nil)
		resp.NoErrors(t)
		var s schemaAnswer
		resp.Decode(t, &s)
		names := schemaNames(s)
		if len(names) < 1000 {
			t.Fatalf("introspection listed only %d names", len(names))
		}
		for _, n := range names {
			if secretish.MatchString(n[strings.Index(n, ".")+1:]) && !slices.Contains(documentedSecrets, n) {
				t.Errorf("%s looks like a credential and is not one of the documented ones", n)
			}
		}
		for _, n := range append(documentedSecrets, "User.email", "APIKey.prefix") {
			if !slices.Contains(names, n) {
				t.Errorf("%s is missing from the schema", n)
			}
		}
		for _, n := range []string{"User.passwordHash", "APIKey.secretHash", "User.sessions", "Query.sessions"} {
			if slices.Contains(names, n) {
				t.Errorf("the schema has %s", n)
			}
		}
		for _, typ := range s.Schema.Types {
			// Sign-in sessions; an event's sittings (EventSession) are public data.
			if strings.Contains(strings.ReplaceAll(typ.Name, "EventSession", ""), "Session") {
				t.Errorf("the schema has type %s: sessions must stay out of the API", typ.Name)
			}
		}
	})
}
