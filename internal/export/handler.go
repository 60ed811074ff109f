package export

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/bridgesoftrust/hub/internal/db"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Path is the route of the export endpoint.
const Path = "GET /export/{file}"

// Handler serves GET /export/{list}.{format}?where=JSON to signed-in
// readers (a session) and to API keys with the bulk scope; it must run
// behind the authentication middleware. Once the first row is written an
// error can no longer change the status: the connection is then aborted,
// so that a client never takes a cut file for a whole one.
func Handler(store *db.Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.FromContext(r.Context())
		switch {
		case v == nil:
			w.Header().Set("WWW-Authenticate", `Bearer realm="hub"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "exports need a session or an API key with the bulk scope")
			return
		case v.APIKeyID != 0 && !v.Has(viewer.ScopeBulk):
			writeError(w, http.StatusForbidden, "FORBIDDEN", "this API key lacks the bulk scope that exports need")
			return
		}
		req, err := ParseFile(r.PathValue("file"))
		if err == nil {
			req.Where = r.URL.Query().Get("where")
			err = serve(w, r, store, req, logger)
		}
		switch {
		case err == nil:
		case IsRequestError(err):
			writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		default:
			logger.ErrorContext(r.Context(), "export failed", "file", r.PathValue("file"), "err", err)
			writeError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "the export failed; try again")
		}
	})
}

// serve opens the export and streams it; errors before the first byte are
// returned, later ones abort the response.
func serve(w http.ResponseWriter, r *http.Request, store *db.Store, req Request, logger *slog.Logger) error {
	e, err := Open(r.Context(), store.Client, store.Dialect, req)
	if err != nil {
		return err
	}
	defer e.Close()
	name := fmt.Sprintf("%s-%s.%s", req.Dataset, time.Now().UTC().Format("20060102"), req.Format)
	w.Header().Set("Content-Type", ContentType(req.Format))
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := e.WriteTo(r.Context(), w, nil); err != nil {
		logger.ErrorContext(r.Context(), "export cut short", "file", r.PathValue("file"), "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// writeError answers as the API does: a JSON errors list with a code.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}
