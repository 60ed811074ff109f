// Package viewer carries who is making a request through its context: the
// signed-in user with their global role, memberships and credential scopes,
// or nobody. Privacy policies and resolvers read it; internal/auth sets it.
package viewer

import (
	"context"
	"maps"
	"slices"
	"sync/atomic"
	"time"
)

// Role is a user's global role in the Hub.
type Role string

// Global roles.
const (
	RoleNone        Role = ""
	RoleSecretariat Role = "SECRETARIAT"
	RoleAnalyst     Role = "ANALYST"
)

// MemberRole is a user's role in a municipality or association.
type MemberRole string

// Membership roles, from most to least powerful.
const (
	MemberAdmin  MemberRole = "ADMIN"
	MemberEditor MemberRole = "EDITOR"
	MemberMember MemberRole = "MEMBER"
)

// CanEdit reports whether the membership role may change the
// organisation's data (ADMIN and EDITOR may; MEMBER reads only).
func (r MemberRole) CanEdit() bool { return r == MemberAdmin || r == MemberEditor }

// Scope is what a credential allows.
type Scope string

// Credential scopes. Sessions carry read and write; API keys carry the
// scopes they were created with.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
	ScopeBulk  Scope = "bulk"
)

// Viewer is the authenticated caller of a request.
type Viewer struct {
	UserID      int
	Role        Role
	DisplayName string
	// Municipalities and Associations map an organisation's id to the
	// viewer's role in it.
	Municipalities map[int]MemberRole
	Associations   map[int]MemberRole
	// Scopes are what the credential allows.
	Scopes []Scope
	// SessionID or APIKeyID says which credential authenticated the viewer.
	SessionID int
	APIKeyID  int
	// Expires is when the credential ends unless it is renewed (a
	// session's sliding expiry); zero for a key without an end.
	Expires time.Time
}

// SameAccess reports whether v and o are the same credential of the same
// user with the same role, memberships and scopes: everything rules read,
// not the display name or the expiry.
func (v *Viewer) SameAccess(o *Viewer) bool {
	if v == nil || o == nil {
		return v == o
	}
	return v.UserID == o.UserID && v.SessionID == o.SessionID && v.APIKeyID == o.APIKeyID &&
		v.Role == o.Role && slices.Equal(v.Scopes, o.Scopes) &&
		maps.Equal(v.Municipalities, o.Municipalities) && maps.Equal(v.Associations, o.Associations)
}

// IsSecretariat reports whether the viewer administers the Hub. Whether
// the credential may write is a separate check (Has(ScopeWrite)).
func (v *Viewer) IsSecretariat() bool { return v != nil && v.Role == RoleSecretariat }

// ReadsAll reports whether the viewer may read every non-personal record:
// the secretariat and analysts.
func (v *Viewer) ReadsAll() bool {
	return v != nil && (v.Role == RoleSecretariat || v.Role == RoleAnalyst)
}

// Has reports whether the credential carries scope.
func (v *Viewer) Has(scope Scope) bool { return v != nil && slices.Contains(v.Scopes, scope) }

// EditableMunicipalities returns the ids of municipalities whose data the
// viewer may change.
func (v *Viewer) EditableMunicipalities() []int {
	return editable(v, func(v *Viewer) map[int]MemberRole { return v.Municipalities })
}

// EditableAssociations returns the ids of associations whose data the
// viewer may change.
func (v *Viewer) EditableAssociations() []int {
	return editable(v, func(v *Viewer) map[int]MemberRole { return v.Associations })
}

// MunicipalityIDs returns the ids of every municipality the viewer is staff of.
func (v *Viewer) MunicipalityIDs() []int {
	return ids(v, func(v *Viewer) map[int]MemberRole { return v.Municipalities })
}

// AssociationIDs returns the ids of every association the viewer is staff of.
func (v *Viewer) AssociationIDs() []int {
	return ids(v, func(v *Viewer) map[int]MemberRole { return v.Associations })
}

func editable(v *Viewer, of func(*Viewer) map[int]MemberRole) []int {
	if v == nil || !v.Has(ScopeWrite) {
		return nil
	}
	var out []int
	for id, role := range of(v) {
		if role.CanEdit() {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func ids(v *Viewer, of func(*Viewer) map[int]MemberRole) []int {
	if v == nil {
		return nil
	}
	out := make([]int, 0, len(of(v)))
	for id := range of(v) {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

type contextKey struct{}

// ID returns the id of the signed-in user of ctx, or 0 (no user has it).
func ID(ctx context.Context) int {
	if v := FromContext(ctx); v != nil {
		return v.UserID
	}
	return 0
}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, contextKey{}, v)
}

// FromContext returns the viewer of ctx, or nil for an anonymous caller.
// Under WithProbe it records that the viewer was read.
func FromContext(ctx context.Context) *Viewer {
	switch v := ctx.Value(contextKey{}).(type) {
	case *Viewer:
		return v
	case *probed:
		v.probe.read.Store(true)
		return v.viewer
	case *switchable:
		return v.current.Load()
	}
	return nil
}

// switchable is the viewer of an operation that may change who its viewer
// is (see WithSwitch).
type switchable struct{ current atomic.Pointer[Viewer] }

// WithSwitch returns ctx, with the same viewer, in which Switch may
// replace the viewer: for a mutation operation, whose fields run one after
// another, so that after login (or logout) the rest of the operation,
// the fields selected in the payload included, sees the new viewer.
// (gqlgen resolves a field's selections with the operation's context, not
// one that its resolver could return.)
func WithSwitch(ctx context.Context) context.Context {
	s := &switchable{}
	s.current.Store(FromContext(ctx))
	return context.WithValue(ctx, contextKey{}, s)
}

// Switch makes v the viewer of ctx's operation, and reports whether it
// could: only under WithSwitch.
func Switch(ctx context.Context, v *Viewer) bool {
	s, ok := ctx.Value(contextKey{}).(*switchable)
	if ok {
		s.current.Store(v)
	}
	return ok
}

// Probe records whether anything read the viewer of a context (see
// WithProbe).
type Probe struct{ read atomic.Bool }

// Read reports whether the viewer was read.
func (p *Probe) Read() bool { return p.read.Load() }

// probed is the viewer of a context under WithProbe.
type probed struct {
	viewer *Viewer
	probe  *Probe
}

// WithProbe returns ctx, with the same viewer, and a Probe that records
// every read of the viewer through it: a computation that read nothing of
// it came out the same for every viewer (the live subscriptions share such
// results; see wstransport.Config.Probe). Every rule and resolver reads the
// viewer through FromContext.
func WithProbe(ctx context.Context) (context.Context, *Probe) {
	var v *Viewer
	switch x := ctx.Value(contextKey{}).(type) {
	case *Viewer:
		v = x
	case *probed:
		v = x.viewer // not a read that the outer probe should record
	case *switchable:
		v = x.current.Load()
	}
	probe := &Probe{}
	return context.WithValue(ctx, contextKey{}, &probed{viewer: v, probe: probe}), probe
}
