// Package storage keeps the bytes of the files attached to the Hub's
// records (library documents): on local disk by default, in an
// S3-compatible object store in production. Records name their bytes by a
// storage key; the Hub serves downloads itself, under the records' rules,
// so the store is never exposed to clients.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// ErrNotFound is returned by Open for a key the store does not hold.
var ErrNotFound = errors.New("storage: no such file")

// Store keeps files by key.
type Store interface {
	// Put stores size bytes read from r under key.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open returns the content of key; the caller closes it.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; removing a missing key is no error.
	Delete(ctx context.Context, key string) error
}

// Open returns the store a location names: a directory path (or
// file:///path) for local disk, or s3://ACCESS:SECRET@host[:port]/bucket
// for an S3-compatible store (?insecure=true for plain HTTP, ?region=...).
// When the s3 URL carries no credentials they come from the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, MINIO_*).
func Open(ctx context.Context, location string) (Store, error) {
	u, err := url.Parse(location)
	if err != nil || !strings.Contains(location, "://") {
		return NewDisk(location)
	}
	switch u.Scheme {
	case "file":
		return NewDisk(u.Path)
	case "s3":
		return NewS3(ctx, u)
	default:
		return nil, fmt.Errorf("storage: %q: use a directory, file:///path or s3://host/bucket", location)
	}
}
