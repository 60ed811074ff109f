// Package backup copies a SQLite store to a file while the Hub serves, and
// restores a store from such a file. PostgreSQL stores are backed up with
// pg_dump and restored with pg_restore (docs/backups.md): the Hub adds
// nothing to them.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"entgo.io/ent/dialect"
	"modernc.org/sqlite"

	"github.com/bridgesoftrust/hub/internal/db"
)

// ErrPostgres is returned for a PostgreSQL store, which pg_dump and
// pg_restore back up and restore.
var ErrPostgres = errors.New("the store is PostgreSQL: back it up with pg_dump --format=custom and restore it with pg_restore (docs/backups.md)")

// Info describes a backup file.
type Info struct {
	// Bytes is the file's size.
	Bytes int64
	// Migration is the version of the last migration applied to it.
	Migration string
}

// Create writes a consistent copy of the SQLite store to path, while other
// connections and processes go on reading and writing: SQLite's VACUUM INTO
// copies one read transaction's snapshot (with write-ahead logging, writers
// do not wait for it), so the copy holds every transaction committed before
// it began and none after. The copy goes to a temporary file beside path,
// is checked (PRAGMA integrity_check) and synced, and then renamed to path,
// so path is never a partial backup.
func Create(ctx context.Context, store *db.Store, path string) (Info, error) {
	if store.Dialect != dialect.SQLite {
		return Info{}, ErrPostgres
	}
	tmp, err := tempPath(path)
	if err != nil {
		return Info{}, err
	}
	defer os.Remove(tmp)
	if _, err := store.DB.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return Info{}, fmt.Errorf("copying the store: %w", err)
	}
	info, err := Check(ctx, tmp)
	if err != nil {
		return Info{}, fmt.Errorf("checking the copy: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return Info{}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return Info{}, fmt.Errorf("moving the backup into place: %w", err)
	}
	return info, syncDir(filepath.Dir(path))
}

// Restore replaces the content of the SQLite store with the backup at
// path, after checking the backup. It copies through SQLite's online
// backup API, under the store's locks, so other connections see either
// the old content or the new one. The store is checked afterwards too.
func Restore(ctx context.Context, store *db.Store, path string) (Info, error) {
	if store.Dialect != dialect.SQLite {
		return Info{}, ErrPostgres
	}
	info, err := Check(ctx, path)
	if err != nil {
		return Info{}, err
	}
	conn, err := store.DB.Conn(ctx)
	if err != nil {
		return Info{}, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		r, ok := db.DriverConn(dc).(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("the SQLite driver's connection %T cannot restore", dc)
		}
		return copyAll(r.NewRestore(fileURI(path)))
	})
	if err != nil {
		return Info{}, fmt.Errorf("restoring %s: %w", path, err)
	}
	if err := integrity(ctx, conn); err != nil {
		return Info{}, fmt.Errorf("the restored store: %w", err)
	}
	return info, nil
}

// copyAll runs a backup (or restore) to its end in one step, so that it
// copies one consistent state.
func copyAll(b *sqlite.Backup, err error) error {
	if err != nil {
		return err
	}
	for {
		more, err := b.Step(-1)
		if err != nil {
			return errors.Join(err, b.Finish())
		}
		if !more {
			return b.Finish()
		}
	}
}

// Check opens the SQLite file at path read-only and checks that it is a
// sound Hub store: PRAGMA integrity_check and foreign_key_check find
// nothing, and it records the migrations applied to it.
func Check(ctx context.Context, path string) (Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Info{}, err
	}
	// Through the Hub's driver registration, which the indexes' collation
	// needs.
	sqlDB, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		return Info{}, err
	}
	defer sqlDB.Close()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return Info{}, err
	}
	defer conn.Close()
	if err := integrity(ctx, conn); err != nil {
		return Info{}, fmt.Errorf("%s: %w", path, err)
	}
	info := Info{Bytes: st.Size()}
	err = conn.QueryRowContext(ctx, "SELECT version FROM atlas_schema_revisions ORDER BY version DESC LIMIT 1").Scan(&info.Migration)
	if err != nil {
		return Info{}, fmt.Errorf("%s is not a Hub store (no migrations recorded): %w", path, err)
	}
	return info, nil
}

// integrity runs SQLite's integrity and foreign key checks on conn.
func integrity(ctx context.Context, conn *sql.Conn) error {
	var result string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("integrity check failed: %s", result)
	}
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return errors.New("foreign key check failed: rows refer to missing rows")
	}
	return rows.Err()
}

// tempPath returns a path for a file beside path that does not exist yet.
func tempPath(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("creating the backup file: %w", err)
	}
	name := f.Name()
	// VACUUM INTO writes only to a file that does not exist.
	return name, errors.Join(f.Close(), os.Remove(name))
}

// fileURI is the SQLite URI of a file path.
func fileURI(path string) string {
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
}

// syncFile flushes the file at path to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir flushes a directory, so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if err != nil && strings.Contains(err.Error(), "invalid argument") {
		err = nil // Some file systems cannot sync directories.
	}
	return errors.Join(err, d.Close())
}
