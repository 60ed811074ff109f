package eventtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"

	"github.com/bridgesoftrust/hub/ent/emaildelivery"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/email"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// mailbox is an SMTP server started by the test that keeps what it is sent.
type mailbox struct {
	mu   sync.Mutex
	msgs []received
	addr string
}

type received struct {
	to      string
	subject string
	header  mail.Header
	body    string
}

// startMailbox starts an SMTP server on a free local port.
func startMailbox(t *testing.T) *mailbox {
	box := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{box: box}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return box
}

func (b *mailbox) all() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

type session struct {
	box *mailbox
	to  string
}

func (s *session) Reset()                                    {}
func (s *session) Logout() error                             { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	raw, _ := io.ReadAll(m.Body)
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		raw, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.msgs = append(s.box.msgs, received{to: s.to, subject: subject, header: m.Header, body: strings.ReplaceAll(string(raw), "\r\n", "\n")})
	return nil
}

// sender returns the Hub's e-mail sender to box.
func (h *hub) sender(box *mailbox) *email.Sender {
	mailer, err := email.NewSMTP("smtp://" + box.addr + "?tls=none")
	if err != nil {
		h.t.Fatal(err)
	}
	svc := auth.New(h.store.Client, auth.DefaultConfig(), nil)
	return &email.Sender{Client: h.store.Client, Mailer: mailer, From: "Hub <hub@example.org>", BaseURL: h.base,
		Logger: quiet, ViewerOf: func(ctx context.Context, id int) (*viewer.Viewer, error) {
			return svc.Reload(ctx, &viewer.Viewer{UserID: id, Scopes: []viewer.Scope{viewer.ScopeRead}})
		}}
}

// TestDigests: a digest run sends one e-mail per user with their news in
// their language; a second run sends nothing; the one-click unsubscribe
// works without signing in.
func TestDigests(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		box := startMailbox(t)
		admin, en, uk, idle := h.account(user.RoleSECRETARIAT), h.account(user.RoleNONE), h.account(user.RoleNONE), h.account(user.RoleNONE)
		_ = idle
		h.store.Client.User.UpdateOneID(h.intID(uk.id)).SetPreferredLanguage("uk").ExecX(sys())

		cat := h.value(admin, `mutation { createForumCategory(input: {name: "Water", slug: "water"}) { id } }`, nil, "createForumCategory", "id")
		h.value(en, `mutation($c: ID!) { followForumCategory(id: $c, follow: true) }`, vars{"c": cat}, "followForumCategory")
		h.value(admin, `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "Leak detection", body: "How?"}) { id } }`, vars{"c": cat}, "createTopic", "id")
		mine := h.value(uk, `mutation($c: ID!) { createTopic(input: {categoryId: $c, title: "Водопостачання", body: "Питання"}) { id } }`, vars{"c": cat}, "createTopic", "id")
		h.value(admin, `mutation($t: ID!) { createPost(input: {topicId: $t, body: "An answer"}) { id } }`, vars{"t": mine}, "createPost", "id")
		start := time.Now().Add(26 * time.Hour)
		ev := h.value(admin, createTraining, vars{"t": "Grant writing", "s": start, "e": start.Add(time.Hour)}, "createEvent", "id")
		h.value(uk, register, vars{"e": ev}, "registerForEvent", "id")

		s := h.sender(box)
		if n, err := s.Run(context.Background(), emaildelivery.FrequencyDAILY); err != nil || n != 2 {
			t.Fatalf("first run: %d e-mails, %v", n, err)
		}
		got := map[string]received{}
		for _, m := range box.all() {
			got[m.to] = m
		}
		enMail, ukMail := got[h.email(en)], got[h.email(uk)]
		if len(got) != 2 || !strings.Contains(enMail.body, "New topics in the forum categories you follow\n  - Leak detection\n  - Водопостачання") || strings.Contains(enMail.body, "Grant writing") {
			t.Fatalf("English digest: %+v (all: %v)", enMail, box.all())
		}
		if ukMail.subject != "Ваш щоденний дайджест «Мостів довіри»" {
			t.Fatalf("Ukrainian subject %q", ukMail.subject)
		}
		for _, want := range []string{"Нова відповідь у темі «Водопостачання»", "Grant writing", "Ваші найближчі події"} {
			if !strings.Contains(ukMail.body, want) {
				t.Fatalf("Ukrainian digest lacks %q:\n%s", want, ukMail.body)
			}
		}
		if n, err := s.Run(context.Background(), emaildelivery.FrequencyDAILY); err != nil || n != 0 || len(box.all()) != 2 {
			t.Fatalf("second run: %d e-mails, %v", n, err)
		}

		// RFC 8058 one-click unsubscribe, without signing in.
		if enMail.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Fatalf("List-Unsubscribe-Post: %q", enMail.header.Get("List-Unsubscribe-Post"))
		}
		link := strings.Trim(enMail.header.Get("List-Unsubscribe"), "<>")
		resp, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("unsubscribe %s: %v %v", link, resp, err)
		}
		resp.Body.Close()
		prefs := h.value(en, `{ myEmailPreferences { kind frequency } }`, nil, "myEmailPreferences")
		if !strings.Contains(prefs, `{"frequency":"OFF","kind":"NEW_TOPICS"}`) || !strings.Contains(prefs, `{"frequency":"IMMEDIATE","kind":"EVENT"}`) {
			t.Fatalf("preferences after unsubscribing from the daily digest: %s", prefs)
		}
		if resp, _ := http.Post(link+"x", "application/x-www-form-urlencoded", nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("forged unsubscribe link: %d", resp.StatusCode)
		}
	})
}

// email returns the e-mail address of c's account.
func (h *hub) email(c caller) string {
	return h.store.Client.User.GetX(sys(), h.intID(c.id)).Email
}

// flaky is a Mailer that fails while down is set.
type flaky struct {
	email.Mailer
	down bool
}

func (f *flaky) Send(ctx context.Context, msgs ...*gomail.Msg) error {
	if f.down {
		return errors.New("connection refused")
	}
	return f.Mailer.Send(ctx, msgs...)
}

// TestImmediateRetriedOnce: a promotion from the waiting list is e-mailed
// at once (EVENT's default); while the SMTP server fails the e-mail is
// kept and retried, and it is sent exactly once.
func TestImmediateRetriedOnce(t *testing.T) {
	each(t, func(t *testing.T, h *hub) {
		box := startMailbox(t)
		admin, a, b := h.account(user.RoleSECRETARIAT), h.account(user.RoleNONE), h.account(user.RoleNONE)
		start := time.Now().Add(30 * 24 * time.Hour)
		ev := h.value(admin, createTraining, vars{"t": "Accession reforms", "cap": 1, "s": start, "e": start.Add(time.Hour)}, "createEvent", "id")
		ra := h.value(a, register, vars{"e": ev}, "registerForEvent", "id")
		h.value(b, register, vars{"e": ev}, "registerForEvent", "id")
		h.value(a, `mutation($id: ID!) { cancelRegistration(id: $id) { status } }`, vars{"id": ra}, "cancelRegistration", "status")

		s := h.sender(box)
		mailer := &flaky{Mailer: s.Mailer, down: true}
		s.Mailer = mailer
		ctx := context.Background()
		if n, _ := s.Run(ctx, emaildelivery.FrequencyIMMEDIATE); n != 0 || len(box.all()) != 0 {
			t.Fatalf("sent %d while the server is down", n)
		}
		if n, _ := s.Run(ctx, emaildelivery.FrequencyIMMEDIATE); n != 0 {
			t.Fatalf("a second run claimed the item again: %d", n)
		}
		failed := h.store.Client.EmailDelivery.Query().Where(emaildelivery.StatusEQ(emaildelivery.StatusFAILED)).AllX(sys())
		if len(failed) != 1 || failed[0].Attempts != 1 || failed[0].LastError == "" {
			t.Fatalf("failed deliveries: %+v", failed)
		}
		mailer.down = false
		for range 2 {
			if _, err := s.Retry(ctx); err != nil {
				t.Fatal(err)
			}
		}
		msgs := box.all()
		if len(msgs) != 1 || msgs[0].to != h.email(b) || !strings.Contains(msgs[0].body, "A place is yours at “Accession reforms”") {
			t.Fatalf("e-mails after the retry: %+v", msgs)
		}
		if n, _ := s.RunAll(ctx); n != 0 || len(box.all()) != 1 {
			t.Fatalf("a later run sent %d more", n)
		}
	})
}
