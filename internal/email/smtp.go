package email

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// Mailer sends e-mail messages.
type Mailer interface {
	Send(ctx context.Context, msgs ...*mail.Msg) error
}

// SMTP is a Mailer that sends through an SMTP server.
type SMTP struct{ client *mail.Client }

// NewSMTP returns the Mailer of an SMTP URL:
//
//	smtp://user:password@host:587          STARTTLS required (default)
//	smtp://host:25?tls=none                no TLS (a local relay, tests)
//	smtp://host:25?tls=opportunistic       STARTTLS when offered
//	smtps://user:password@host:465         implicit TLS
func NewSMTP(rawURL string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP URL %q: want smtp://[user:password@]host[:port][?tls=none|opportunistic] or smtps://...", rawURL)
	}
	opts := []mail.Option{mail.WithTimeout(30 * time.Second)}
	switch tls := u.Query().Get("tls"); {
	case u.Scheme == "smtps":
		opts = append(opts, mail.WithSSL())
	case tls == "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case tls == "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case tls != "" && tls != "required":
		return nil, fmt.Errorf("SMTP URL: tls=%q: want none, opportunistic or required", tls)
	}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("SMTP URL: port %q", p)
		}
		opts = append(opts, mail.WithPort(port))
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(u.User.Username()), mail.WithPassword(pw))
	}
	c, err := mail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP client: %w", err)
	}
	return &SMTP{client: c}, nil
}

// Send sends msgs over one connection.
func (s *SMTP) Send(ctx context.Context, msgs ...*mail.Msg) error {
	return s.client.DialAndSendWithContext(ctx, msgs...)
}
