package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/emaildelivery"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/email"
	"github.com/bridgesoftrust/hub/internal/signedlink"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// MailFlags configure e-mail and the signed links (calendar feeds,
// unsubscribe) of hub serve and hub digest.
type MailFlags struct {
	SMTPURL      string        `name:"smtp-url" env:"HUB_SMTP_URL" help:"SMTP server e-mails go through: smtp://[user:password@]host[:port][?tls=none|opportunistic] (STARTTLS required by default) or smtps://... Default: no e-mail."`
	MailFrom     string        `name:"mail-from" env:"HUB_MAIL_FROM" default:"Bridges of Trust <hub@localhost>" help:"Sender address of the Hub's e-mails."`
	PublicURL    string        `name:"public-url" env:"HUB_PUBLIC_URL" default:"http://127.0.0.1:8080" help:"The Hub's public address, for the links in e-mails."`
	LinkSecret   string        `name:"link-secret" env:"HUB_LINK_SECRET" help:"Secret (32 bytes or more) signing calendar feed and unsubscribe links; changing it revokes them. Default: a random one per process (links stop working on restart)."`
	MailInterval time.Duration `name:"mail-interval" env:"HUB_MAIL_INTERVAL" default:"5m" help:"How often hub serve sends due e-mails and event reminders."`
}

// setSecret installs the link secret, if given.
func (m MailFlags) setSecret(logger *slog.Logger) error {
	if m.LinkSecret == "" {
		logger.Warn("no --link-secret: calendar feed and unsubscribe links last until the process ends")
		return nil
	}
	return signedlink.SetSecret([]byte(m.LinkSecret))
}

// sender returns the e-mail sender, or nil without an SMTP URL.
func (m MailFlags) sender(client *ent.Client, logger *slog.Logger) (*email.Sender, error) {
	if m.SMTPURL == "" {
		return nil, nil
	}
	mailer, err := email.NewSMTP(m.SMTPURL)
	if err != nil {
		return nil, err
	}
	svc := auth.New(client, auth.DefaultConfig(), logger)
	return &email.Sender{Client: client, Mailer: mailer, From: m.MailFrom, BaseURL: m.PublicURL, Logger: logger,
		ViewerOf: func(ctx context.Context, id int) (*viewer.Viewer, error) {
			return svc.Reload(ctx, &viewer.Viewer{UserID: id, Scopes: []viewer.Scope{viewer.ScopeRead}})
		}}, nil
}

// DigestCmd sends the e-mails that are due now.
type DigestCmd struct {
	MailFlags `embed:""`
	Frequency string `name:"frequency" default:"all" enum:"all,immediate,daily,weekly" help:"Which e-mails to send (${enum}); all also retries failed ones."`
}

// Run sends the due e-mails once and reports how many went.
func (c *DigestCmd) Run(g *Globals, logger *slog.Logger) error {
	ctx := context.Background()
	if c.SMTPURL == "" {
		return fmt.Errorf("hub digest needs --smtp-url (or HUB_SMTP_URL)")
	}
	if err := c.setSecret(logger); err != nil {
		return err
	}
	store, err := openStore(ctx, g, logger, false)
	if err != nil {
		return err
	}
	defer store.Close()
	s, err := c.sender(store.Client, logger)
	if err != nil {
		return err
	}
	var n int
	switch c.Frequency {
	case "all":
		n, err = s.RunAll(ctx)
	default:
		n, err = s.Run(ctx, emaildelivery.Frequency(upper(c.Frequency)))
	}
	logger.Info("e-mails sent", "count", n)
	return err
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}
