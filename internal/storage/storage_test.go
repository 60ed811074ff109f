package storage

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func TestDiskStoresReadsAndDeletes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "ab/cd", strings.NewReader("hello"), 5, "text/plain"); err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, "ab/cd")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	_ = r.Close()
	if string(b) != "hello" {
		t.Fatalf("read %q", b)
	}
	if err := s.Delete(ctx, "ab/cd"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "ab/cd"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.Put(ctx, "../escape", strings.NewReader("x"), 1, ""); err == nil {
		t.Fatal("a key outside the directory was written")
	}
}

func TestOpenRefusesUnknownSchemes(t *testing.T) {
	if _, err := Open(context.Background(), "ftp://host/x"); err == nil {
		t.Fatal("ftp accepted")
	}
	if _, err := Open(context.Background(), "s3://host"); err == nil {
		t.Fatal("s3 URL without a bucket accepted")
	}
}

// TestS3AgainstAFakeServer runs the S3 store against gofakes3, an
// in-process S3-compatible server.
func TestS3AgainstAFakeServer(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("files"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	ctx := context.Background()
	host := strings.TrimPrefix(srv.URL, "http://")
	if _, err := Open(ctx, "s3://key:secret@"+host+"/missing?insecure=true"); err == nil {
		t.Fatal("a missing bucket was accepted")
	}
	s, err := Open(ctx, "s3://key:secret@"+host+"/files?insecure=true")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "documents/1/abc", strings.NewReader("%PDF-1.4"), 8, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, "documents/1/abc")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	_ = r.Close()
	if string(b) != "%PDF-1.4" {
		t.Fatalf("read %q", b)
	}
	if err := s.Delete(ctx, "documents/1/abc"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "documents/1/abc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
