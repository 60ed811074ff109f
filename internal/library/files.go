package library

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"

	"github.com/gabriel-vasile/mimetype"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/storage"
)

// DefaultMaxFileBytes is the default size limit of one file: 20 MiB.
const DefaultMaxFileBytes = 20 << 20

// AcceptedTypes are the media types the library accepts, as detected from
// the content: documents, spreadsheets, presentations, images and plain
// text. Executables and archives are refused whatever their name.
var AcceptedTypes = []string{
	"application/pdf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
	"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"image/png", "image/jpeg", "image/webp",
	"text/plain", "text/csv",
}

// Files stores the files of library documents.
type Files struct {
	Store    storage.Store
	MaxBytes int64
}

// Upload is a file as a client sent it.
type Upload struct {
	Name     string
	Size     int64
	Content  io.ReadSeeker
	Language string
}

// Attach checks upload (size, type detected from the content), records it
// as a file of document docID (the Ent policy decides whether the viewer
// may) and stores its bytes. If the surrounding transaction fails after
// the bytes are stored they stay unreferenced in the store.
func (f *Files) Attach(ctx context.Context, client *ent.Client, docID int, up Upload) (*ent.DocumentFile, error) {
	doc, err := client.Document.Get(ctx, docID)
	if err != nil {
		return nil, err
	}
	if up.Size == 0 {
		return nil, apierr.Input("file", "the file is empty")
	}
	if up.Size > f.MaxBytes {
		return nil, apierr.Input("file", "the file is %d bytes; the limit is %d", up.Size, f.MaxBytes)
	}
	kind, err := detect(up.Content)
	if err != nil {
		return nil, err
	}
	sum, size, err := digest(up.Content, f.MaxBytes)
	if err != nil {
		return nil, err
	}
	if up.Language == "" {
		up.Language = doc.Language
	}
	key := fmt.Sprintf("documents/%d/%s", docID, randomName())
	file, err := client.DocumentFile.Create().SetDocumentID(docID).SetName(up.Name).SetLanguage(up.Language).
		SetContentType(kind).SetSize(size).SetChecksum(sum).SetStorageKey(key).Save(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := up.Content.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := f.Store.Put(ctx, key, up.Content, size, kind); err != nil {
		return nil, fmt.Errorf("storing the file: %w", err)
	}
	return file, nil
}

// Remove deletes file id (the Ent policy decides whether the viewer may)
// and, once the transaction of ctx commits (at once outside one), its
// bytes.
func (f *Files) Remove(ctx context.Context, client *ent.Client, id int) error {
	file, err := client.DocumentFile.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := client.DocumentFile.DeleteOne(file).Exec(ctx); err != nil {
		return err
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		return f.Store.Delete(ctx, file.StorageKey)
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(cctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(cctx, tx); err != nil {
				return err
			}
			// The row is gone; bytes left behind only cost space.
			_ = f.Store.Delete(context.WithoutCancel(cctx), file.StorageKey)
			return nil
		})
	})
	return nil
}

// detect returns the media type of the content (without parameters) if
// the library accepts it.
func detect(r io.ReadSeeker) (string, error) {
	mt, err := mimetype.DetectReader(r)
	if err != nil {
		return "", fmt.Errorf("reading the file: %w", err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	// The detected type itself must be accepted, not a parent of it: a
	// shell script or an HTML page is also text/plain by descent.
	if slices.ContainsFunc(AcceptedTypes, mt.Is) {
		return baseType(mt.String()), nil
	}
	return "", apierr.Input("file", "files of type %s are not accepted; send a PDF, office document, image or plain text", baseType(mt.String()))
}

// baseType drops the parameters of a media type (text/plain; charset=utf-8).
func baseType(t string) string {
	for i, c := range t {
		if c == ';' {
			return t[:i]
		}
	}
	return t
}

// digest returns the SHA-256 and the size of the content, refusing more
// than limit bytes whatever the declared size said.
func digest(r io.ReadSeeker, limit int64) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, fmt.Errorf("reading the file: %w", err)
	}
	if n > limit {
		return "", 0, apierr.Input("file", "the file is larger than the limit of %d bytes", limit)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// randomName returns an unguessable storage name.
func randomName() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RemoveDocument deletes document id (the Ent policy decides whether the
// viewer may) with its files and their bytes.
func (f *Files) RemoveDocument(ctx context.Context, client *ent.Client, id int) error {
	doc, err := client.Document.Get(ctx, id)
	if err != nil {
		return err
	}
	files, err := doc.QueryFiles().All(ctx)
	if err != nil {
		return err
	}
	for _, file := range files {
		if err := f.Remove(ctx, client, file.ID); err != nil {
			return err
		}
	}
	return client.Document.DeleteOne(doc).Exec(ctx)
}
