package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps files as objects of a bucket in an S3-compatible store (AWS
// S3, MinIO, Ceph, ...), through the MinIO client.
type S3 struct {
	client *minio.Client
	bucket string
}

// NewS3 returns the store an s3:// URL names (see Open). It checks that
// the bucket exists.
func NewS3(ctx context.Context, u *url.URL) (*S3, error) {
	bucket := strings.Trim(u.Path, "/")
	if u.Host == "" || bucket == "" || strings.Contains(bucket, "/") {
		return nil, fmt.Errorf("storage: %q: use s3://host[:port]/bucket", u.Redacted())
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{}})
	if u.User != nil {
		secret, _ := u.User.Password()
		creds = credentials.NewStaticV4(u.User.Username(), secret, "")
	}
	q := u.Query()
	client, err := minio.New(u.Host, &minio.Options{Creds: creds, Secure: q.Get("insecure") != "true", Region: q.Get("region")})
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	ok, err := client.BucketExists(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("storage: checking bucket %s: %w", bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("storage: bucket %s does not exist", bucket)
	}
	return &S3{client: client, bucket: bucket}, nil
}

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("storage: putting %s: %w", key, err)
	}
	return nil
}

// Open implements Store. The object is fetched as it is read; a missing
// one is reported at once.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("storage: getting %s: %w", key, err)
	}
	if _, err := obj.Stat(); err != nil {
		_ = obj.Close()
		var resp minio.ErrorResponse
		if errors.As(err, &resp) && resp.Code == "NoSuchKey" {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("storage: getting %s: %w", key, err)
	}
	return obj, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("storage: deleting %s: %w", key, err)
	}
	return nil
}
