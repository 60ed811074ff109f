package schema

import (
	"entgo.io/ent"

	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/authz"
)

// Every policy below ends in a deny: a read that no rule allows is filtered
// to nothing, a write that no rule allows is refused. The rules themselves
// live in internal/authz.

// publicPolicy guards the open community graph: anyone reads; the
// secretariat writes, plus whoever the entity's own rules allow.
func publicPolicy(writeRules ...privacy.MutationRule) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowReads()},
		Mutation: authz.WritePolicy(writeRules...),
	}
}

func projectPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowReadsAll(), authz.ProjectVisibility()},
		Mutation: authz.WritePolicy(authz.AllowPartnerProjectWrites()),
	}
}

func userPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.UserVisibility()},
		Mutation: authz.WritePolicy(authz.AllowSelfUpdate()),
	}
}

func membershipPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.MembershipVisibility()},
		Mutation: authz.WritePolicy(authz.AllowOrganisationAdmins()),
	}
}

func apiKeyPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.OwnAPIKeys()},
		Mutation: authz.WritePolicy(authz.AllowOwnAPIKeyWrites()),
	}
}

// auditLogPolicy lets the secretariat read the audit log; nobody changes
// it (the audit hook writes in a system context).
func auditLogPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.NoReads()},
		Mutation: privacy.MutationPolicy{authz.DenyWrites()},
	}
}

// systemOnlyPolicy is for data only the Hub itself touches (sessions).
func systemOnlyPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.NoReads()},
		Mutation: privacy.MutationPolicy{authz.DenyWrites()},
	}
}
