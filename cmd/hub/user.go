package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// stdin is where --password-stdin reads the password (tests replace it).
var stdin io.Reader = os.Stdin

// UserCmd manages accounts from the command line: bootstrap of the first
// secretariat account and recovery.
type UserCmd struct {
	Create      UserCreateCmd      `cmd:"" help:"Create an account."`
	SetPassword UserSetPasswordCmd `cmd:"" name:"set-password" help:"Replace an account's password, end its sessions and revoke its API keys."`
	Disable     UserDisableCmd     `cmd:"" help:"Disable an account and end its sessions."`
}

// UserCreateCmd creates an account.
type UserCreateCmd struct {
	Email         string `required:"" help:"E-mail address (unique, case-insensitive)."`
	Name          string `required:"" help:"Display name."`
	Role          string `default:"none" enum:"none,secretariat,analyst" help:"Global role (${enum})."`
	Language      string `default:"en" help:"Preferred language code."`
	PasswordStdin bool   `name:"password-stdin" required:"" help:"Read the password from the first line of standard input."`
}

// Run creates the account.
func (c *UserCreateCmd) Run(g *Globals, logger *slog.Logger) error {
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	return withAuth(g, logger, func(ctx context.Context, svc *auth.Service) error {
		u, err := svc.CreateUser(ctx, auth.NewUser{Email: c.Email, DisplayName: c.Name, Password: password,
			Role: user.Role(strings.ToUpper(c.Role)), PreferredLanguage: c.Language})
		if err != nil {
			return err
		}
		logger.Info("user created", "id", u.ID, "email", u.Email, "role", u.Role)
		return nil
	})
}

// UserSetPasswordCmd replaces a password.
type UserSetPasswordCmd struct {
	Email         string `required:"" help:"E-mail address of the account."`
	PasswordStdin bool   `name:"password-stdin" required:"" help:"Read the new password from the first line of standard input."`
}

// Run replaces the password.
func (c *UserSetPasswordCmd) Run(g *Globals, logger *slog.Logger) error {
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	return withAuth(g, logger, func(ctx context.Context, svc *auth.Service) error {
		if err := svc.SetPassword(ctx, c.Email, password); err != nil {
			return err
		}
		logger.Info("password replaced; sessions ended", "email", c.Email)
		return nil
	})
}

// UserDisableCmd disables an account.
type UserDisableCmd struct {
	Email string `required:"" help:"E-mail address of the account."`
}

// Run disables the account.
func (c *UserDisableCmd) Run(g *Globals, logger *slog.Logger) error {
	return withAuth(g, logger, func(ctx context.Context, svc *auth.Service) error {
		if err := svc.Disable(ctx, c.Email); err != nil {
			return err
		}
		logger.Info("user disabled; sessions ended", "email", c.Email)
		return nil
	})
}

// withAuth opens and migrates the store and runs fn with an authentication
// service in a system context (the operator at the console is trusted).
// The context carries the event fan-out `hub serve` uses: on PostgreSQL,
// running servers hear of ended sessions, a disabled account or revoked
// keys at once (NOTIFY) and close the websockets that used them; on
// SQLite no other process can hear it, and servers find the change at
// their next re-check of open connections (--ws-recheck-interval).
func withAuth(g *Globals, logger *slog.Logger, fn func(context.Context, *auth.Service) error) error {
	ctx := authz.SystemContext(context.Background())
	store, err := openStore(ctx, g, logger, true)
	if err != nil {
		return err
	}
	defer store.Close()
	events, err := pubsub.Open(ctx, store.Dialect, g.DatabaseURL, store.DB, pubsub.WithLogger(logger))
	if err != nil {
		return fmt.Errorf("opening the event fan-out: %w", err)
	}
	defer events.Close()
	return fn(live.WithPubSub(ctx, events), auth.New(store.Client, auth.DefaultConfig(), logger))
}

// readPassword reads one line from r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errors.New("no password on standard input (pipe it in, e.g. `printf '%s\\n' \"$PW\" | hub user create ...`)")
	}
	return password, nil
}
