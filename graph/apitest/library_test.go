package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/documentfile"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/internal/authtest"
	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/dbtest"
	"github.com/bridgesoftrust/hub/internal/gqltest"
	"github.com/bridgesoftrust/hub/internal/server"
	"github.com/bridgesoftrust/hub/internal/storage"
)

// uploadLimit is the upload limit of the library tests' server.
const uploadLimit = 64 << 10

// libraryHub is a Hub whose library keeps its files on disk, with a small
// upload limit, and a Ukrainian municipality with an editor and a member.
type libraryHub struct {
	*hub
	files          storage.Store
	base           string
	municipality   int
	editor, member http.Header
}

func newLibraryHub(t *testing.T, store *db.Store) *libraryHub {
	t.Helper()
	files, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.MaxUploadBytes = uploadLimit
	srv := httptest.NewServer(server.New(cfg, store, quietLogger(), server.WithFiles(files)).Handler())
	t.Cleanup(srv.Close)
	ua := store.Client.Country.Create().SetCode("UA").SetName("Ukraine").SaveX(sys())
	m := store.Client.Municipality.Create().SetName("Chuhuiv").SetCountry(ua).SaveX(sys())
	staff := func(role string) http.Header {
		return authtest.Staff(t, store, membership.Role(role), func(c *ent.MembershipCreate) { c.SetMunicipalityID(m.ID) })
	}
	return &libraryHub{
		hub:   &hub{endpoint: srv.URL + "/graphql", store: store, admin: authtest.Secretariat(t, store)},
		files: files, base: srv.URL, municipality: m.ID, editor: staff("EDITOR"), member: staff("MEMBER"),
	}
}

// pdf is a small PDF file.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// as sends query as the caller of header and returns the string at path,
// failing on errors.
func (h *libraryHub) as(t *testing.T, header http.Header, query string, vars map[string]any, path ...string) string {
	t.Helper()
	resp := gqltest.Post(t, h.endpoint, query, vars, header)
	resp.NoErrors(t)
	return at(t, resp, path...)
}

// draft creates a draft about the municipality as the editor.
func (h *libraryHub) draft(t *testing.T, title, visibility string) string {
	t.Helper()
	return h.as(t, h.editor, `mutation($t: String!, $v: DocumentVisibility, $m: [ID!]) {
		createDocument(input: {kind: GOOD_PRACTICE, sector: WATER, title: $t, titleTranslations: {uk: "Водопостачання"},
			visibility: $v, municipalityIDs: $m}) { id status } }`,
		map[string]any{"t": title, "v": visibility, "m": []any{strconv.Itoa(h.municipality)}}, "createDocument", "id")
}

// upload attaches a file to document id as the caller of header.
func (h *libraryHub) upload(t *testing.T, header http.Header, id string, file gqltest.File) *gqltest.Response {
	t.Helper()
	return gqltest.Upload(t, h.endpoint, `mutation($d: ID!, $file: Upload!) {
		uploadDocumentFile(documentId: $d, file: $file, language: "uk") { id name contentType size checksum language downloadUrl } }`,
		map[string]any{"d": id}, "file", file, header)
}

// publish takes draft id through review to publication.
func (h *libraryHub) publish(t *testing.T, id string) {
	t.Helper()
	h.as(t, h.editor, `mutation($id: ID!) { submitDocument(id: $id) { status } }`, map[string]any{"id": id}, "submitDocument", "status")
	h.as(t, h.admin, `mutation($id: ID!) { publishDocument(id: $id) { status } }`, map[string]any{"id": id}, "publishDocument", "status")
}

// download GETs a file's download URL as the caller of header.
func (h *libraryHub) download(t *testing.T, header http.Header, url string) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.base+url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := gqltest.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header
}

// TestLibraryReviewAndDownload: an editor uploads a PDF to a draft and
// submits it; the secretariat sends it back, then publishes it; anyone
// finds it by sector and kind and downloads it.
func TestLibraryReviewAndDownload(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := newLibraryHub(t, store)
		id := h.draft(t, "Water safety plans", "PUBLIC")
		resp := h.upload(t, h.editor, id, gqltest.File{Name: "plan.pdf", Content: pdf})
		resp.NoErrors(t)
		if got := at(t, resp, "uploadDocumentFile", "contentType"); got != "application/pdf" {
			t.Fatalf("content type %q", got)
		}
		url := at(t, resp, "uploadDocumentFile", "downloadUrl")
		found := `query($w: DocumentWhereInput) { documents(where: $w) { totalCount edges { node { id title status files { name downloadUrl } } } } }`
		bySector := map[string]any{"w": map[string]any{"sector": "WATER", "kind": "GOOD_PRACTICE"}}
		if n := h.as(t, nil, found, bySector, "documents", "totalCount"); n != "0" {
			t.Fatalf("a draft is listed to anonymous callers (%s)", n)
		}
		if code, _, _ := h.download(t, nil, url); code != http.StatusNotFound {
			t.Fatalf("a draft's file downloads anonymously: %d", code)
		}
		h.as(t, h.editor, `mutation($id: ID!) { submitDocument(id: $id) { status } }`, map[string]any{"id": id}, "submitDocument", "status")
		if resp := gqltest.Post(t, h.endpoint, `mutation($id: ID!) { publishDocument(id: $id) { id } }`, map[string]any{"id": id}, h.editor); resp.Code() != "FORBIDDEN" {
			t.Fatalf("an editor published: %s", resp.Body)
		}
		note := h.as(t, h.admin, `mutation($id: ID!) { rejectDocument(id: $id, note: "add the Ukrainian summary") { status reviewNote } }`,
			map[string]any{"id": id}, "rejectDocument", "reviewNote")
		if note != "add the Ukrainian summary" {
			t.Fatalf("review note %q", note)
		}
		h.publish(t, id)
		if n := h.as(t, nil, found, bySector, "documents", "totalCount"); n != "1" {
			t.Fatalf("found %s published documents by sector, want 1", n)
		}
		if n := h.as(t, nil, found, map[string]any{"w": map[string]any{"sector": "ENERGY"}}, "documents", "totalCount"); n != "0" {
			t.Fatalf("found %s documents in another sector", n)
		}
		code, body, header := h.download(t, nil, url)
		if code != http.StatusOK || !bytes.Equal(body, pdf) || header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %q %v", code, body, header)
		}
		req, _ := http.NewRequest(http.MethodGet, h.base+url, nil)
		req.Header.Set("If-None-Match", header.Get("ETag"))
		if r, err := gqltest.Client.Do(req); err != nil || r.StatusCode != http.StatusNotModified {
			t.Fatalf("a download with the ETag: %v %v", r, err)
		}
		resp = h.upload(t, h.editor, id, gqltest.File{Name: "late.pdf", Content: pdf})
		if resp.Code() != "FORBIDDEN" {
			t.Fatalf("a file was added to a published document: %s", resp.Body)
		}
		h.as(t, h.admin, `mutation($id: ID!) { archiveDocument(id: $id) { status } }`, map[string]any{"id": id}, "archiveDocument", "status")
		if code, _, _ := h.download(t, nil, url); code != http.StatusOK {
			t.Fatalf("an archived document's file: %d", code)
		}
		fileID := at(t, gqltest.Post(t, h.endpoint, `query($id: ID!) { node(id: $id) { ... on Document { files { id } } } }`,
			map[string]any{"id": id}, nil), "node", "files")
		if fileID == "" {
			t.Fatal("no files listed")
		}
		keys := store.Client.DocumentFile.Query().Select(documentfile.FieldStorageKey).StringsX(sys())
		h.as(t, h.admin, `mutation($id: ID!) { deleteDocument(id: $id) }`, map[string]any{"id": id}, "deleteDocument")
		for _, key := range keys {
			if _, err := h.files.Open(context.Background(), key); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("the bytes of a deleted file stay: %v", err)
			}
		}
		if code, _, _ := h.download(t, h.admin, url); code != http.StatusNotFound {
			t.Fatalf("a deleted document's file: %d", code)
		}
	})
}

// TestLibraryRefusesBadFiles: an executable named .pdf, an archive and a
// file over the limit are refused, and nothing is recorded.
func TestLibraryRefusesBadFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := newLibraryHub(t, store)
		id := h.draft(t, "Templates", "PUBLIC")
		exe := make([]byte, 1024)
		copy(exe, "MZ")
		exe[0x3c] = 0x80
		copy(exe[0x80:], "PE\x00\x00")
		elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), make([]byte, 100)...)
		for name, content := range map[string][]byte{"report.pdf": exe, "tool.pdf": elf} {
			resp := h.upload(t, h.editor, id, gqltest.File{Name: name, Content: content})
			if resp.Code() != "BAD_USER_INPUT" || !strings.Contains(resp.Errors[0].Message, "not accepted") {
				t.Fatalf("%s was not refused: %s", name, resp.Body)
			}
		}
		big := append(append([]byte{}, pdf...), make([]byte, uploadLimit)...)
		resp := h.upload(t, h.editor, id, gqltest.File{Name: "big.pdf", Content: big})
		if resp.Status != http.StatusRequestEntityTooLarge || resp.Code() != "REQUEST_TOO_LARGE" {
			t.Fatalf("an oversized file: %d %s", resp.Status, resp.Body)
		}
		if n := store.Client.DocumentFile.Query().CountX(sys()); n != 0 {
			t.Fatalf("%d files recorded", n)
		}
		resp = h.upload(t, h.member, id, gqltest.File{Name: "plan.pdf", Content: pdf})
		if resp.Code() != "NOT_FOUND" {
			t.Fatalf("a member attached a file to another's draft: %s", resp.Body)
		}
	})
}

// TestLibraryMembersOnlyOnEveryPath: a published document for members is
// hidden from anonymous callers in the list, through node(id:), through a
// municipality's documents and at its download URL; a member reads it.
func TestLibraryMembersOnlyOnEveryPath(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *db.Store) {
		h := newLibraryHub(t, store)
		id := h.draft(t, "Energy audit of schools", "MEMBERS")
		resp := h.upload(t, h.editor, id, gqltest.File{Name: "audit.pdf", Content: pdf})
		resp.NoErrors(t)
		url := at(t, resp, "uploadDocumentFile", "downloadUrl")
		fileID := at(t, resp, "uploadDocumentFile", "id")
		h.publish(t, id)
		paths := map[string]struct {
			query string
			vars  map[string]any
			path  []string
		}{
			"list":   {`{ documents { totalCount } }`, nil, []string{"documents", "totalCount"}},
			"node":   {`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, []string{"node"}},
			"file":   {`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": fileID}, []string{"node"}},
			"nested": {`query($m: ID!) { node(id: $m) { ... on Municipality { documents { totalCount } } } }`, map[string]any{"m": strconv.Itoa(h.municipality)}, []string{"node", "documents", "totalCount"}},
			"filter": {`{ documents(where: {visibility: MEMBERS}) { totalCount } }`, nil, []string{"documents", "totalCount"}},
		}
		hidden := map[string]string{"list": "0", "node": "", "file": "", "nested": "0", "filter": "0"}
		for name, p := range paths {
			resp := gqltest.Post(t, h.endpoint, p.query, p.vars, nil)
			if got := at(t, resp, p.path...); got != hidden[name] || (len(resp.Errors) > 0 && resp.Code() != "NOT_FOUND") {
				t.Errorf("anonymous, %s: %q %s", name, got, resp.Body)
			}
			if got := h.as(t, h.member, p.query, p.vars, p.path...); got == hidden[name] {
				t.Errorf("member, %s: %q", name, got)
			}
		}
		if code, _, _ := h.download(t, nil, url); code != http.StatusNotFound {
			t.Errorf("anonymous download: %d", code)
		}
		if code, body, _ := h.download(t, h.member, url); code != http.StatusOK || !bytes.Equal(body, pdf) {
			t.Errorf("member download: %d", code)
		}
	})
}

// at returns the value at path of a response's data as a string: "" for
// null or missing, numbers and booleans as printed.
func at(t *testing.T, resp *gqltest.Response, path ...string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(resp.Data, &v); err != nil {
		t.Fatalf("decoding %s: %v", resp.Body, err)
	}
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
