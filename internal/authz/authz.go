// Package authz holds the Hub's authorization rules. Ent privacy policies in
// ent/schema compose them, so that every path to the data (root lists,
// node(id:), nested edges, filters on edges, mutations, subscriptions) is
// guarded in one place. Reads of private records are filtered out, so a
// private record looks exactly like a missing one; writes that are not
// allowed are denied.
package authz

import (
	"context"

	"entgo.io/ent"

	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// DenyError is a denial with a reason the API may show the caller. It
// wraps privacy.Deny.
type DenyError struct{ Reason string }

// Error implements error.
func (e *DenyError) Error() string { return e.Reason }

// Unwrap makes errors.Is(err, privacy.Deny) hold.
func (e *DenyError) Unwrap() error { return privacy.Deny }

func deny(reason string) error { return &DenyError{Reason: reason} }

// SystemContext returns a context in which every policy allows: for the
// Hub's own work (migrations, seeding, import, authentication lookups,
// audit records), never for a request's viewer.
func SystemContext(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// DenyAnonymousWrites denies every change by a caller who is not signed in.
// The API answers it with UNAUTHENTICATED.
func DenyAnonymousWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if viewer.FromContext(ctx) == nil {
			return deny("sign in to change data")
		}
		return privacy.Skip
	})
}

// DenyWithoutWriteScope denies changes made with a credential that lacks the
// write scope, such as a read-only API key.
func DenyWithoutWriteScope() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if !viewer.FromContext(ctx).Has(viewer.ScopeWrite) {
			return deny("this credential is read-only (it lacks the write scope)")
		}
		return privacy.Skip
	})
}

// AllowSecretariat allows the Hub secretariat to read and change anything.
func AllowSecretariat() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).IsSecretariat() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowReadsAll allows the secretariat and analysts to read.
func AllowReadsAll() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
		if viewer.FromContext(ctx).ReadsAll() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// DenyWrites denies every change that an earlier rule did not allow. It
// ends every mutation policy.
func DenyWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(context.Context, ent.Mutation) error {
		return deny("you are not allowed to change this")
	})
}

// AllowReads allows anyone, signed in or not, to read: for the public
// community graph.
func AllowReads() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(context.Context, ent.Query) error { return privacy.Allow })
}

// WritePolicy is the common head of every mutation policy: anonymous
// callers and read-only credentials are denied, links to rows the viewer
// may not see or change are denied (GuardEdges), the secretariat allowed.
// Entity rules follow it, and DenyWrites ends it.
func WritePolicy(rules ...privacy.MutationRule) privacy.MutationPolicy {
	head := privacy.MutationPolicy{DenyAnonymousWrites(), DenyWithoutWriteScope(), GuardEdges(), AllowSecretariat()}
	return append(append(head, rules...), DenyWrites())
}
