package apitest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/storage"
)

// BenchmarkLibraryUploadDownload uploads a 4 MiB PDF to a draft through
// the real server (multipart request, type detection, SHA-256, local
// disk) and downloads it again, on SQLite:
//
//	go test ./graph/apitest -run '^$' -bench BenchmarkLibraryUploadDownload -benchtime 20x
func BenchmarkLibraryUploadDownload(b *testing.B) {
	store := dbtest.Open(b, "sqlite")
	files, err := storage.NewDisk(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.DefaultConfig(), store, quietLogger(), server.WithFiles(files)).Handler())
	defer srv.Close()
	ua := store.Client.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	m := store.Client.Municipality.Create().SetName("Chuhuiv").SetCountry(ua).SaveX(sys())
	editor := authtest.Staff(b, store, membership.RoleEDITOR, func(c *ent.MembershipCreate) { c.SetMunicipalityID(m.ID) })
	resp := gqltest.Post(b, srv.URL+"/graphql", `mutation { createDocument(input: {kind: REPORT, sector: WATER, title: "Annual report"}) { id } }`, nil, editor)
	resp.NoErrors(b)
	var created struct{ CreateDocument struct{ ID string } }
	resp.Decode(b, &created)
	content := append(append([]byte{}, pdf...), bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)...)
	b.SetBytes(int64(len(content)))
	b.ResetTimer()
	for b.Loop() {
		resp := gqltest.Upload(b, srv.URL+"/graphql", `mutation($d: ID!, $file: Upload!) { uploadDocumentFile(documentId: $d, file: $file) { downloadUrl } }`,
			map[string]any{"d": created.CreateDocument.ID}, "file", gqltest.File{Name: "report.pdf", Content: content}, editor)
		resp.NoErrors(b)
		var up struct{ UploadDocumentFile struct{ DownloadURL string } }
		resp.Decode(b, &up)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+up.UploadDocumentFile.DownloadURL, nil)
		req.Header = editor.Clone()
		got := gqltest.Do(b, req, nil)
		if got.Status != http.StatusOK || len(got.Body) != len(content) {
			b.Fatalf("download: %d, %d bytes", got.Status, len(got.Body))
		}
	}
}
