package authz_test

import "fmt"

// matrix lists every operation of the authorization matrix with the
// expected outcome per role. Counts are of visible records; codes are
// extensions.code of the first error.
func matrix() []check {
	return append(readChecks(), writeChecks()...)
}

func readChecks() []check {
	return []check{
		{
			name:  "projects: concept projects only for their partnership's staff",
			query: fixed(`{ projects { totalCount } }`),
			want: with(map[string]string{"anonymous": "1", "memberA": "2", "editorA": "2", "coordX": "2",
				"secretariat": "3", "analyst": "3", "analystKey": "3"}),
			project: at("projects", "totalCount"),
		},
		{
			name: "node(id:) of a concept project looks missing to outsiders",
			query: func(w *world) (string, map[string]any) {
				return `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(w.draft1.ID)}
			},
			want: with(map[string]string{"memberA": "ok", "editorA": "ok", "coordX": "ok", "secretariat": "ok",
				"analyst": "ok", "analystKey": "ok"}),
			defaultWant: "NOT_FOUND",
		},
		{
			name: "node(id:) of a missing id",
			query: func(w *world) (string, map[string]any) {
				return `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": gid(w.draft2.ID + 1000)}
			},
			want: unauthenticated, defaultWant: "NOT_FOUND",
		},
		{
			name: "nodes(ids:) keeps only visible projects",
			query: func(w *world) (string, map[string]any) {
				return `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{gid(w.public1.ID)}}
			},
			want: unauthenticated, defaultWant: "ok",
		},
		{
			name: "nested edge: partnership.projects",
			query: func(w *world) (string, map[string]any) {
				return `query($id: ID!) { node(id: $id) { ... on Partnership { projects { totalCount } } } }`, map[string]any{"id": gid(w.p1.ID)}
			},
			want: with(map[string]string{"anonymous": "1", "memberA": "2", "editorA": "2", "coordX": "2",
				"secretariat": "2", "analyst": "2", "analystKey": "2"}),
			project: at("node", "projects", "totalCount"),
		},
		{
			name:  "where filter on an edge: projects of partnerships with Gamma",
			query: fixed(`{ projects(where: {hasPartnershipWith: [{hasUkrainianMunicipalityWith: [{name: "Gamma"}]}]}) { totalCount } }`),
			want: with(map[string]string{"anonymous": "0", "memberA": "0", "editorA": "0", "coordX": "0",
				"secretariat": "1", "analyst": "1", "analystKey": "1"}),
			project: at("projects", "totalCount"),
		},
		{
			name:  "no has-projects filter that could probe concept projects",
			query: fixed(`{ partnerships(where: {hasProjectsWith: [{status: CONCEPT}]}) { totalCount } }`),
			want:  unauthenticated, defaultWant: "GRAPHQL_VALIDATION_FAILED",
		},
		{
			name: "a user's e-mail: the user and the secretariat only",
			query: func(w *world) (string, map[string]any) {
				return `query($id: ID!) { node(id: $id) { ... on User { email } } }`, map[string]any{"id": gid(w.users["memberA"].ID)}
			},
			want: with(map[string]string{"anonymous": "NOT_FOUND", "memberA": "membera@example.org",
				"secretariat": "membera@example.org"}),
			defaultWant: "null",
			project:     at("node", "email"),
		},
		{
			name:  "audit log: secretariat only",
			query: fixed(`{ auditLogs(where: {entity: "APIKey"}) { totalCount } }`),
			want:  with(map[string]string{"secretariat": "3"}), defaultWant: "0",
			project: at("auditLogs", "totalCount"),
		},
		{
			name:  "page size: 1,000 only with the bulk scope",
			query: fixed(`{ municipalities(first: 1000) { totalCount } }`),
			want:  with(map[string]string{"analystKey": "ok"}), defaultWant: "PAGE_SIZE_EXCEEDED",
		},
	}
}

func writeChecks() []check {
	denied := func(more map[string]string) map[string]string {
		out := with(map[string]string{"anonymous": "UNAUTHENTICATED"})
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	return []check{
		{
			name: "createPartnership: secretariat only",
			query: func(w *world) (string, map[string]any) {
				return `mutation($ua: ID!, $eu: ID!, $ph: ID!) { createPartnership(input: {ukrainianMunicipalityID: $ua, europeanMunicipalityID: $eu, phaseID: $ph}) { id } }`,
					map[string]any{"ua": gid(w.alpha.ID), "eu": gid(w.delta.ID), "ph": gid(w.phase.ID)}
			},
			want: denied(map[string]string{"secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name: "updateMunicipality: its editors and the secretariat",
			query: func(w *world) (string, map[string]any) {
				return `mutation($id: ID!) { updateMunicipality(id: $id, input: {website: "https://alpha.example.org"}) { id } }`, map[string]any{"id": gid(w.alpha.ID)}
			},
			want: denied(map[string]string{"editorA": "ok", "secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name: "updateAssociation: its editors and the secretariat",
			query: func(w *world) (string, map[string]any) {
				return `mutation($id: ID!) { updateAssociation(id: $id, input: {website: "https://x.example.org"}) { id } }`, map[string]any{"id": gid(w.x.ID)}
			},
			want: denied(map[string]string{"coordX": "ok", "secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name:  "createProject in P1: its municipalities' editors, its facilitator, the secretariat",
			query: createProject(func(w *world) int { return w.p1.ID }),
			want:  denied(map[string]string{"editorA": "ok", "coordX": "ok", "secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name:  "createProject in P2: the secretariat only",
			query: createProject(func(w *world) int { return w.p2.ID }),
			want:  denied(map[string]string{"secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name: "updateProject of a concept project in P1",
			query: func(w *world) (string, map[string]any) {
				return `mutation($id: ID!) { updateProject(id: $id, input: {budgetEur: 1000}) { id } }`, map[string]any{"id": gid(w.draft1.ID)}
			},
			want: denied(map[string]string{"editorA": "ok", "coordX": "ok", "secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name: "createActivity for P1",
			query: func(w *world) (string, map[string]any) {
				return `mutation($p: ID!) { createActivity(input: {title: "visit", kind: STUDY_VISIT, partnershipIDs: [$p]}) { id } }`, map[string]any{"p": gid(w.p1.ID)}
			},
			want: denied(map[string]string{"editorA": "ok", "coordX": "ok", "secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name:  "createCountry: secretariat only",
			query: fixed(`mutation { createCountry(input: {code: "LV", name: "Latvia", euMember: true}) { id } }`),
			want:  denied(map[string]string{"secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name:  "createUser: secretariat only",
			query: fixed(`mutation { createUser(input: {email: "new@example.org", displayName: "New", password: "another long passphrase"}) { id } }`),
			want:  denied(map[string]string{"secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name: "createMembership: secretariat (editors are not admins)",
			query: func(w *world) (string, map[string]any) {
				return `mutation($u: ID!, $m: ID!) { createMembership(input: {userID: $u, municipalityID: $m, role: MEMBER}) { id } }`,
					map[string]any{"u": gid(w.users["analyst"].ID), "m": gid(w.alpha.ID)}
			},
			want: denied(map[string]string{"secretariat": "ok"}), defaultWant: "FORBIDDEN",
		},
		{
			name: "updateUser: nobody but the secretariat changes a role",
			query: func(w *world) (string, map[string]any) {
				return `mutation($id: ID!) { updateUser(id: $id, input: {role: SECRETARIAT}) { id } }`, map[string]any{"id": gid(w.users["memberA"].ID)}
			},
			want: denied(map[string]string{"secretariat": "ok", "anonymous": "UNAUTHENTICATED"}), defaultWant: "FORBIDDEN",
		},
	}
}

// fixed is a query without variables.
func fixed(q string) func(*world) (string, map[string]any) {
	return func(*world) (string, map[string]any) { return q, nil }
}

// createProject creates a concept project in the partnership p returns,
// titled with the prefix that assertNothingWrittenByDenials counts.
func createProject(p func(*world) int) func(*world) (string, map[string]any) {
	n := 0
	return func(w *world) (string, map[string]any) {
		n++
		return `mutation($p: ID!, $t: String!) { createProject(input: {title: $t, sector: WATER, partnershipID: $p}) { id } }`,
			map[string]any{"p": gid(p(w)), "t": fmt.Sprintf("matrix project %d", n)}
	}
}
