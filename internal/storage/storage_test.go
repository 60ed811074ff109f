package storage

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
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
