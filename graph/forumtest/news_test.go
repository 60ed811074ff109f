package forumtest

import (
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/ent/membership"
)

// places are a partnership between a Ukrainian and a Polish municipality,
// a third municipality and an association, made behind the API's back.
type places struct {
	ua, pl, other, association, partnership int
}

func newPlaces(h *hub) places {
	h.t.Helper()
	c := h.entClient()
	ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
	muni := func(name string, country int) int {
		return c.Municipality.Create().SetName(name).SetCountryID(country).SaveX(sys()).ID
	}
	p := places{ua: muni("Chuhuiv", ua.ID), pl: muni("Zgierz", pl.ID), other: muni("Kuldiga", pl.ID)}
	p.association = c.Association.Create().SetAcronym("ZMP").SetName("Association of Polish Cities").SaveX(sys()).ID
	phase := c.Phase.Create().SetName("pilot").SaveX(sys())
	p.partnership = c.Partnership.Create().SetUkrainianMunicipalityID(p.ua).SetEuropeanMunicipalityID(p.pl).
		SetPhaseID(phase.ID).SaveX(sys()).ID
	return p
}

func gid(id int) string { return strconv.Itoa(id) }

const createNews = `mutation($t: String!, $m: [ID!], $p: [ID!]) {
	createNewsItem(input: {title: $t, body: "Read **this**", municipalityIDs: $m, partnershipIDs: $p}) { id status bodyHTML } }`

const publishNews = `mutation($id: ID!) { publishNewsItem(id: $id) { status publishedAt } }`

func TestNewsDraftsAndPublishing(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		pl := newPlaces(h)
		admin, editor, member, outsider := h.secretariat(), h.user(""), h.user(""), h.user("")
		h.member(editor, membership.RoleEDITOR, nil, &pl.association)
		h.member(member, membership.RoleMEMBER, nil, &pl.association)
		h.refused(anonymous, "UNAUTHENTICATED", createNews, vars{"t": "x"})
		h.refused(outsider, "FORBIDDEN", createNews, vars{"t": "x"})
		h.refused(member, "FORBIDDEN", createNews, vars{"t": "x"})
		resp := h.refused(editor, "BAD_USER_INPUT", `mutation { createNewsItem(input: {title: "x", body: "y", language: "not a language"}) { id } }`, nil)
		if resp.Errors[0].Field() != "language" {
			t.Errorf("field = %q, want language", resp.Errors[0].Field())
		}
		id := h.value(editor, createNews, vars{"t": "Draft", "p": []string{gid(pl.partnership)}}, "createNewsItem", "id")
		if html := h.value(editor, `query($id: ID!) { node(id: $id) { ... on NewsItem { bodyHTML } } }`, vars{"id": id}, "node", "bodyHTML"); html != "<p>Read <strong>this</strong></p>\n" {
			t.Errorf("bodyHTML = %q", html)
		}
		seen := map[string]int{"anonymous": 0, "outsider": 0, "editor": 1, "secretariat": 1}
		for name, c := range map[string]caller{"anonymous": anonymous, "outsider": outsider, "editor": editor, "secretariat": admin} {
			if n := h.count(c, "newsItems", ""); n != seen[name] {
				t.Errorf("draft: %s sees %d news items, want %d", name, n, seen[name])
			}
			if n := partnershipNews(h, c, pl.partnership); n != seen[name] {
				t.Errorf("draft: %s sees %d news items of the partnership, want %d", name, n, seen[name])
			}
		}
		h.refused(outsider, "NOT_FOUND", publishNews, vars{"id": id})
		other := h.user("")
		h.member(other, membership.RoleADMIN, nil, &pl.association)
		h.refused(other, "NOT_FOUND", `mutation($id: ID!) { updateNewsItem(id: $id, input: {title: "mine"}) { id } }`, vars{"id": id})
		h.ok(editor, `mutation($id: ID!) { updateNewsItem(id: $id, input: {title: "Final"}) { id } }`, vars{"id": id}, nil)
		published := h.value(editor, publishNews, vars{"id": id}, "publishNewsItem", "publishedAt")
		for name, c := range map[string]caller{"anonymous": anonymous, "outsider": outsider} {
			if n := h.count(c, "newsItems", `(where: {status: PUBLISHED})`); n != 1 {
				t.Errorf("published: %s sees %d news items, want 1", name, n)
			}
		}
		h.refused(other, "FORBIDDEN", `mutation($id: ID!) { updateNewsItem(id: $id, input: {title: "mine"}) { id } }`, vars{"id": id})
		if again := h.value(admin, publishNews, vars{"id": id}, "publishNewsItem", "publishedAt"); again != published {
			t.Errorf("publishing again moved publishedAt from %s to %s", published, again)
		}
	})
}

// partnershipNews counts the news items of a partnership c sees through
// the nested edge.
func partnershipNews(h *hub, c caller, partnership int) int {
	h.t.Helper()
	n, _ := strconv.Atoi(h.value(c, `query($id: ID!) { node(id: $id) { ... on Partnership { newsItems { totalCount } } } }`,
		vars{"id": gid(partnership)}, "node", "newsItems", "totalCount"))
	return n
}
