package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Disk keeps files in a directory of the local file system, each key a
// file beneath it. os.Root confines every access to the directory, so a
// key can never name a file outside it.
type Disk struct{ root *os.Root }

// NewDisk returns a store in dir, creating the directory if needed.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("storage: no directory given")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("storage: creating %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: opening %s: %w", dir, err)
	}
	return &Disk{root: root}, nil
}

// Put implements Store: it writes to a temporary file and renames it, so
// that a reader never sees a partial file.
func (d *Disk) Put(_ context.Context, key string, r io.Reader, _ int64, _ string) error {
	if dir := filepath.Dir(key); dir != "." {
		if err := d.root.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("storage: %w", err)
		}
	}
	tmp := key + ".part"
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.root.Rename(tmp, key)
	}
	if err != nil {
		_ = d.root.Remove(tmp)
		return fmt.Errorf("storage: writing %s: %w", key, err)
	}
	return nil
}

// Open implements Store.
func (d *Disk) Open(_ context.Context, key string) (io.ReadCloser, error) {
	f, err := d.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete implements Store.
func (d *Disk) Delete(_ context.Context, key string) error {
	if err := d.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}
