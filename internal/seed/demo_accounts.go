package seed

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/country"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/auth"
)

// DemoPassword is the password of every demo account. It is published in
// docs/demo-accounts.md, so the demo accounts are for demonstrations only,
// never for a store that holds real data.
const DemoPassword = "demo only: bridges of trust"

// DemoAccount is one account the demo data set adds: a global role and at
// most one membership, of a municipality (by name, in Ukraine) or of an
// association (by acronym).
type DemoAccount struct {
	Email, DisplayName string
	Role               user.Role
	Municipality       string
	Association        string
	MemberRole         membership.Role
}

// demoAccounts lists one demo account per role, at the pilot partnership
// Chuhuiv–Kuldīga and its facilitator LALRG.
var demoAccounts = []DemoAccount{
	{Email: "secretariat@demo.bridgesoftrust.invalid", DisplayName: "Demo Secretariat", Role: user.RoleSECRETARIAT},
	{Email: "analyst@demo.bridgesoftrust.invalid", DisplayName: "Demo Analyst", Role: user.RoleANALYST},
	{Email: "coordinator.lalrg@demo.bridgesoftrust.invalid", DisplayName: "Demo LALRG Coordinator",
		Role: user.RoleNONE, Association: "LALRG", MemberRole: membership.RoleEDITOR},
	{Email: "editor.chuhuiv@demo.bridgesoftrust.invalid", DisplayName: "Demo Chuhuiv Editor",
		Role: user.RoleNONE, Municipality: "Chuhuiv", MemberRole: membership.RoleEDITOR},
	{Email: "member.chuhuiv@demo.bridgesoftrust.invalid", DisplayName: "Demo Chuhuiv Member",
		Role: user.RoleNONE, Municipality: "Chuhuiv", MemberRole: membership.RoleMEMBER},
}

// DemoAccounts returns the accounts Demo creates; all have DemoPassword.
func DemoAccounts() []DemoAccount { return append([]DemoAccount(nil), demoAccounts...) }

// loadDemoAccounts creates the demo accounts whose e-mail address is not
// taken yet, with their memberships, and returns how many it created. An
// existing account is left as it is (its password too).
func loadDemoAccounts(ctx context.Context, client *ent.Client, logger *slog.Logger) (int, error) {
	svc := auth.New(client, auth.DefaultConfig(), logger)
	created := 0
	for _, a := range demoAccounts {
		exists, err := client.User.Query().Where(user.Email(a.Email)).Exist(ctx)
		if err != nil {
			return created, err
		}
		if exists {
			continue
		}
		if err := createDemoAccount(ctx, client, svc, a); err != nil {
			return created, fmt.Errorf("demo account %s: %w", a.Email, err)
		}
		created++
	}
	return created, nil
}

// createDemoAccount creates one demo account and its membership.
func createDemoAccount(ctx context.Context, client *ent.Client, svc *auth.Service, a DemoAccount) error {
	u, err := svc.CreateUser(ctx, auth.NewUser{Email: a.Email, DisplayName: a.DisplayName, Password: DemoPassword, Role: a.Role})
	if err != nil {
		return err
	}
	switch {
	case a.Municipality != "":
		id, err := client.Municipality.Query().
			Where(municipality.Name(a.Municipality), municipality.HasCountryWith(country.Code("UA"))).OnlyID(ctx)
		if err != nil {
			return fmt.Errorf("municipality %s: %w", a.Municipality, err)
		}
		return client.Membership.Create().SetUserID(u.ID).SetRole(a.MemberRole).SetMunicipalityID(id).Exec(ctx)
	case a.Association != "":
		id, err := client.Association.Query().Where(association.Acronym(a.Association)).OnlyID(ctx)
		if err != nil {
			return fmt.Errorf("association %s: %w", a.Association, err)
		}
		return client.Membership.Create().SetUserID(u.ID).SetRole(a.MemberRole).SetAssociationID(id).Exec(ctx)
	}
	return nil
}
