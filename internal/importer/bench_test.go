package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/importer"
)

// benchRows is the size of the generated file BenchmarkImportPartnerships
// imports.
const benchRows = 20000

// largeFile generates a partnerships file of n distinct pairs between
// n/2.5 hromadas and n/2 EU municipalities.
func largeFile(n int) []byte {
	oblasts := importer.Oblasts()[:24]
	var eu []string
	for _, code := range importer.KnownCountries() {
		if code != importer.Ukraine {
			eu = append(eu, code)
		}
	}
	nUA, nEU := max(1, n*2/5), max(1, n/2)
	var b bytes.Buffer
	b.WriteString("phase,ua_municipality,ua_oblast,eu_municipality,eu_country,association,themes,source\n")
	for i := range n {
		ua, e := i%nUA, (i*7+i/nUA)%nEU
		fmt.Fprintf(&b, "recovery,Hromada %d,%s,Town %d,%s,AUC,waste; water,https://example.org/p/%d\n",
			ua, oblasts[ua%len(oblasts)].Name, e, eu[e%len(eu)], i)
	}
	return b.Bytes()
}

// BenchmarkImportPartnerships imports a generated file of 20,000 rows into
// an empty PostgreSQL store and reports rows per second.
func BenchmarkImportPartnerships(b *testing.B) {
	if os.Getenv(dbtest.PostgresEnv) == "" {
		b.Skipf("%s is not set", dbtest.PostgresEnv)
	}
	file := largeFile(benchRows)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		store := dbtest.Open(b, "postgres")
		b.StartTimer()
		rep, err := importer.Partnerships(authz.SystemContext(context.Background()), store.Client, bytes.NewReader(file), importer.Options{CreateMissing: true})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Partnerships.Created != benchRows {
			b.Fatalf("created %d partnerships, want %d", rep.Partnerships.Created, benchRows)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
