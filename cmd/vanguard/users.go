package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

const userUsage = `usage: vanguard user <command> [flags]

commands:
  add      --username NAME --name 显示名 --role ROLE [--scope ID] [--person ID]   create an account, print its one-time password
  list     [--q TEXT] [--role ROLE] [--state active|must_change|locked|disabled]  list accounts
  disable  --username NAME   disable an account and end its sessions
  enable   --username NAME   enable a disabled account
  unlock   --username NAME   lift the lock after failed sign-ins
  reset    --username NAME   set a new one-time password and print it
  reset-totp --username NAME turn off two-factor sign-in after a lost phone (the last committee admin's way back in)`

// user runs the account commands. They act as the server's operator (the
// system caller), audited like any other write.
func user(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	switch args[0] {
	case "add":
		return userAdd(args[1:], stdout, stderr)
	case "list":
		return userList(args[1:], stdout, stderr)
	case "disable", "enable", "unlock", "reset", "reset-totp":
		return userAction(args[0], args[1:], stdout, stderr)
	}
	return errors.New(userUsage)
}

// openService opens and migrates the database for a command.
func openService(ctx context.Context, cfg app.Config) (*service.Service, func(), error) {
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	if err := app.OpenAuditChain(ctx, cfg, st); err != nil {
		st.Close()
		return nil, nil, err
	}
	return service.New(st, service.DefaultHasher, nil, nil), func() { st.Close() }, nil
}

// userError turns an application error into words for the operator.
func userError(err error) error {
	if e, ok := domain.AsError(err); ok {
		if e.Field != "" {
			return fmt.Errorf("%s: %s", e.Field, e.Key)
		}
		return errors.New(e.Key)
	}
	return err
}

func userAdd(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	var n service.NewAccount
	var role string
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	fs.StringVar(&n.Username, "username", "", "login name")
	fs.StringVar(&n.DisplayName, "name", "", "display name")
	fs.StringVar(&role, "role", "", "committee_admin, org_admin, team_leader, volunteer or site_contact")
	fs.Int64Var(&n.ScopeID, "scope", 0, "org id (org_admin), team id (team_leader) or site id (site_contact)")
	fs.Int64Var(&n.PersonID, "person", 0, "link the account to this person (their number on /people/ID); volunteers and team leaders need one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n.Role = domain.Role(role)
	ctx := context.Background()
	svc, done, err := openService(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	_, pw, err := svc.CreateUser(ctx, service.SystemCaller, n)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "created %s (%s)\none-time password: %s\nit must be changed at first login\n", domain.NormalizeUsername(n.Username), n.Role, pw)
	if n.PersonID != 0 {
		fmt.Fprintf(stdout, "linked to person %d\n", n.PersonID)
	} else if domain.PersonalRole(n.Role) {
		fmt.Fprintln(stdout, "note: not linked to a person, so it cannot act as a volunteer or team leader until it is (--person, or on the person's page)")
	}
	return nil
}

func userList(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	var f store.AccountFilter
	var role, state string
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	fs.StringVar(&f.Query, "q", "", "part of a login name, display name or person's name")
	fs.StringVar(&role, "role", "", "only accounts with this role")
	fs.StringVar(&state, "state", "", "active, must_change, locked or disabled")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f.Role, f.State = domain.Role(role), domain.AccountState(state)
	if role != "" && !f.Role.Valid() {
		return fmt.Errorf("unknown role %q", role)
	}
	if state != "" && !f.State.Valid() {
		return fmt.Errorf("unknown state %q", state)
	}
	ctx := context.Background()
	svc, done, err := openService(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	accounts, err := svc.Accounts(ctx, service.SystemCaller, f)
	if err != nil {
		return userError(err)
	}
	now := svc.Store().Now()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tNAME\tROLE\tPERSON\tLAST SIGN-IN\tSTATE")
	for _, a := range accounts {
		var roles []string
		for _, g := range a.Grants {
			r := string(g.Role)
			if g.ScopeName != "" {
				r += " (" + g.ScopeName + ")"
			}
			roles = append(roles, r)
		}
		person, last := "-", "never"
		if a.PersonID != 0 {
			person = fmt.Sprintf("%s #%d", a.PersonName, a.PersonID)
		}
		if !a.LastLoginAt.IsZero() {
			last = a.LastLoginAt.In(china).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Username, a.DisplayName, strings.Join(roles, ", "), person, last, a.State(now))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d accounts\n", len(accounts))
	return nil
}

func userAction(action string, args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	var username string
	fs := flag.NewFlagSet("user "+action, flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	fs.StringVar(&username, "username", "", "login name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if username == "" && fs.NArg() == 1 {
		username = fs.Arg(0)
	}
	if username == "" {
		return fmt.Errorf("usage: vanguard user %s --username NAME", action)
	}
	ctx := context.Background()
	svc, done, err := openService(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	a, err := svc.Store().AccountByUsername(ctx, domain.NormalizeUsername(username))
	if err != nil {
		return fmt.Errorf("no account named %q", username)
	}
	c := service.SystemCaller
	switch action {
	case "disable":
		err = svc.SetAccountDisabled(ctx, c, a.ID, true)
	case "enable":
		err = svc.SetAccountDisabled(ctx, c, a.ID, false)
	case "unlock":
		err = svc.UnlockAccount(ctx, c, a.ID)
	case "reset-totp":
		err = svc.ResetTOTP(ctx, c, a.ID)
	case "reset":
		var pw string
		if _, pw, err = svc.ResetPassword(ctx, c, a.ID); err == nil {
			fmt.Fprintf(stdout, "one-time password for %s: %s\nit must be changed at first login\n", a.Username, pw)
			return nil
		}
	}
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "%s: %s\n", a.Username, map[string]string{
		"disable": "disabled, its sessions ended", "enable": "enabled", "unlock": "unlocked",
		"reset-totp": "two-factor sign-in reset; the password alone signs in, then it can be turned on again"}[action])
	return nil
}
