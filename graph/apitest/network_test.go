package apitest

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
)

// chain is a small partnership graph of its own: the chain
// U1 – E1 – U2 – E2 – U3 and, apart from it, the pair U4 – E3.
type chain struct {
	towns map[string]int
	links map[string]int
}

// newChain writes the chain into store.
func newChain(t *testing.T, store *db.Store) chain {
	t.Helper()
	c := store.Client
	ua := c.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	pl := c.Country.Create().SetCode("PL").SetName("Poland").SetEuMember(true).SaveX(sys())
	phase := c.Phase.Create().SetName("pilot").SaveX(sys())
	ch := chain{towns: map[string]int{}, links: map[string]int{}}
	for _, name := range []string{"U1", "U2", "U3", "U4", "E1", "E2", "E3"} {
		country := ua
		if name[0] == 'E' {
			country = pl
		}
		ch.towns[name] = c.Municipality.Create().SetName(name).SetCountry(country).SaveX(sys()).ID
	}
	for _, pair := range [][2]string{{"U1", "E1"}, {"U2", "E1"}, {"U2", "E2"}, {"U3", "E2"}, {"U4", "E3"}} {
		p := c.Partnership.Create().SetUkrainianMunicipalityID(ch.towns[pair[0]]).
			SetEuropeanMunicipalityID(ch.towns[pair[1]]).SetPhase(phase).SaveX(sys())
		ch.links[pair[0]+pair[1]] = p.ID
	}
	return ch
}

// named is a node as the network queries return it.
type named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// names returns the names of nodes in order.
func names(nodes []named) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	return out
}

// TestNetworkQueries asks the network queries about the chain, through the
// real server on each database, anonymously and as the secretariat.
func TestNetworkQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		ch := newChain(t, store)
		h := serve(t, store)
		id := func(name string) string { return strconv.Itoa(ch.towns[name]) }
		t.Run("neighbourhood", func(t *testing.T) {
			for depth, want := range map[int][]string{1: {"U1", "E1"}, 2: {"U1", "E1", "U2"}, 3: {"U1", "E1", "U2", "E2"}} {
				var got struct {
					MunicipalityNetwork struct {
						Municipalities []named
						Partnerships   []named
						Truncated      bool
					}
				}
				h.data(t, `query($id: ID!, $d: Int!) { municipalityNetwork(id: $id, depth: $d) {
					municipalities { id name } partnerships { id } truncated } }`,
					map[string]any{"id": id("U1"), "d": depth}, &got)
				n := got.MunicipalityNetwork
				gotNames := names(n.Municipalities)
				if gotNames[0] != "U1" || !sameSet(gotNames, want) || len(n.Partnerships) != depth || n.Truncated {
					t.Errorf("depth %d: got %v with %d partnerships (truncated %v), want %v", depth, gotNames, len(n.Partnerships), n.Truncated, want)
				}
			}
		})
		t.Run("path", func(t *testing.T) {
			const q = `query($a: ID!, $b: ID!) { partnershipPath(fromId: $a, toId: $b) {
				municipalities { id name } partnerships { id } length } }`
			var got struct {
				PartnershipPath *struct {
					Municipalities []named
					Partnerships   []named
					Length         int
				}
			}
			h.data(t, q, map[string]any{"a": id("U3"), "b": id("U1")}, &got)
			p := got.PartnershipPath
			if p == nil || !slices.Equal(names(p.Municipalities), []string{"U3", "E2", "U2", "E1", "U1"}) || p.Length != 4 {
				t.Fatalf("path U3 to U1: %+v", p)
			}
			wantLinks := []int{ch.links["U3E2"], ch.links["U2E2"], ch.links["U2E1"], ch.links["U1E1"]}
			for i, l := range p.Partnerships {
				if l.ID != strconv.Itoa(wantLinks[i]) {
					t.Errorf("partnership %d of the path: %s, want %d", i, l.ID, wantLinks[i])
				}
			}
			got.PartnershipPath = nil
			h.data(t, q, map[string]any{"a": id("U1"), "b": id("U4")}, &got)
			if got.PartnershipPath != nil {
				t.Errorf("path between separate clusters: %+v", got.PartnershipPath)
			}
		})
		t.Run("degree", func(t *testing.T) {
			var got struct {
				MostConnectedMunicipalities []struct {
					Municipality named
					Degree       int
				}
			}
			h.data(t, `{ mostConnectedMunicipalities(first: 3, where: {nameHasPrefix: "E"}) { municipality { id name } degree } }`, nil, &got)
			var rows []string
			for _, d := range got.MostConnectedMunicipalities {
				rows = append(rows, d.Municipality.Name+":"+strconv.Itoa(d.Degree))
			}
			if !slices.Equal(rows, []string{"E1:2", "E2:2", "E3:1"}) {
				t.Errorf("most connected: %v", rows)
			}
		})
		t.Run("clusters", func(t *testing.T) {
			for _, header := range []http.Header{nil, h.admin} {
				var got struct {
					PartnershipClusters struct {
						Clusters []struct {
							Size           int
							Municipalities []named
							Partnerships   []named
						}
					}
				}
				h.dataAs(t, `{ partnershipClusters(where: {hasCountryWith: {code: "UA"}}) { clusters { size municipalities { name } partnerships { id } } } }`, nil, header, &got)
				var sizes []int
				for _, c := range got.PartnershipClusters.Clusters {
					sizes = append(sizes, c.Size, len(c.Municipalities), len(c.Partnerships))
				}
				if !slices.Equal(sizes, []int{5, 5, 4, 2, 2, 1}) {
					t.Errorf("clusters (size, towns, partnerships): %v", sizes)
				}
			}
		})
		t.Run("bad input", func(t *testing.T) {
			for _, depth := range []int{0, 4, -1} {
				resp := h.query(t, `query($id: ID!, $d: Int!) { municipalityNetwork(id: $id, depth: $d) { truncated } }`,
					map[string]any{"id": id("U1"), "d": depth})
				if resp.Code() != "BAD_USER_INPUT" {
					t.Errorf("depth %d: code %q", depth, resp.Code())
				}
			}
			unknown := strconv.Itoa(ch.towns["E3"] + 1000)
			if code := h.query(t, `query($id: ID!) { municipalityNetwork(id: $id, depth: 1) { truncated } }`,
				map[string]any{"id": unknown}).Code(); code != "NOT_FOUND" {
				t.Errorf("unknown town: code %q", code)
			}
			if code := h.query(t, `query($a: ID!, $b: ID!) { partnershipPath(fromId: $a, toId: $b) { length } }`,
				map[string]any{"a": id("U1"), "b": unknown}).Code(); code != "NOT_FOUND" {
				t.Errorf("path to an unknown town: code %q", code)
			}
		})
	})
}
