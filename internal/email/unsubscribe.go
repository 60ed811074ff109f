package email

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emaildelivery"
	"github.com/bridgesoftrust/hub/ent/emailpreference"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/signedlink"
)

// UnsubscribeHandler serves /email/unsubscribe?token=..., without signing
// in: POST (the RFC 8058 one-click request a mail client sends, or the
// page's button) turns off every kind the user receives at the e-mail's
// frequency; GET shows a page with that button, so that link scanners
// that open the address unsubscribe nobody.
func UnsubscribeHandler(client *ent.Client, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("token")
		userID, arg, err := signedlink.Check(signedlink.Unsubscribe, token)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			_ = page.Execute(w, map[string]any{"Token": token, "Done": false})
		case http.MethodPost:
			if err := Unsubscribe(r.Context(), client, userID, emaildelivery.Frequency(arg)); err != nil {
				logger.ErrorContext(r.Context(), "unsubscribe", "user", userID, "err", err)
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			_ = page.Execute(w, map[string]any{"Done": true})
		default:
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

var page = template.Must(template.New("unsubscribe").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Bridges of Trust e-mail</title></head><body>
{{if .Done}}<p>You will no longer receive these e-mails. / Ви більше не отримуватимете цих листів.</p>
{{else}}<form method="post" action="?token={{.Token}}"><button type="submit">Unsubscribe / Відписатися</button></form>{{end}}
</body></html>
`))

// Unsubscribe turns off, for a user, every kind e-mailed at frequency f.
func Unsubscribe(ctx context.Context, client *ent.Client, userID int, f emaildelivery.Frequency) error {
	ctx = audit.Bookkeeping(ctx)
	prefs, err := Preferences(ctx, client, userID)
	if err != nil {
		return err
	}
	for _, k := range Kinds {
		if string(prefs[k]) == string(f) {
			if err := SetPreference(ctx, client, userID, k, emailpreference.FrequencyOFF); err != nil {
				return err
			}
		}
	}
	return nil
}
