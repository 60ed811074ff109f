package library

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/internal/storage"
)

// DownloadPath is the path pattern of a file's download; {id} is the
// file's global id (DocumentFile.id).
const DownloadPath = "/files/{id}"

// DownloadURL returns the path at which file id is downloaded.
func DownloadURL(id int) string { return "/files/" + strconv.Itoa(id) }

// Download serves the files of library documents at DownloadPath to the
// viewer of the request (set by the authentication middleware), under the
// same rules as the document: a file the viewer may not read answers 404,
// exactly like a missing one.
func Download(client *ent.Client, store storage.Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		file, err := client.DocumentFile.Get(r.Context(), id)
		if ent.IsNotFound(err) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			logger.ErrorContext(r.Context(), "loading a file", "file", id, "error", err)
			http.Error(w, "the file could not be loaded", http.StatusInternalServerError)
			return
		}
		serve(w, r, store, file, logger)
	})
}

// serve writes the bytes of file, with headers that make browsers save it
// rather than render it in the Hub's origin.
func serve(w http.ResponseWriter, r *http.Request, store storage.Store, file *ent.DocumentFile, logger *slog.Logger) {
	etag := `"` + file.Checksum + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, err := store.Open(r.Context(), file.StorageKey)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, storage.ErrNotFound) {
			status = http.StatusNotFound
		}
		logger.ErrorContext(r.Context(), "opening a stored file", "file", file.ID, "error", err)
		http.Error(w, "the file could not be read", status)
		return
	}
	defer body.Close()
	h.Set("Content-Type", file.ContentType)
	h.Set("Content-Length", fmt.Sprint(file.Size))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file.Name}))
	h.Set("Content-Security-Policy", "sandbox")
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, body); err != nil {
		logger.WarnContext(r.Context(), "sending a file", "file", file.ID, "error", err)
	}
}
