package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestUserResetTOTP: the operator turns off the two-factor sign-in of a
// committee admin who lost their phone (the way back in when no other
// committee admin can), audited.
func TestUserResetTOTP(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vanguard.db")
	ctx := context.Background()
	out, err := vanguard(t, db, "user", "add", "--username", "boss", "--name", "主任", "--role", "committee_admin")
	m := oneTimeRE.FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}, make([]byte, 32), nil)
	cookie, err := svc.Login(ctx, domain.Caller{IP: "127.0.0.1"}, "boss", m[1], "", "test")
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := svc.Authenticate(ctx, cookie)
	if err != nil {
		t.Fatal(err)
	}
	c := domain.Caller{Principal: p, IP: "127.0.0.1"}
	if err := svc.StartTOTP(ctx, c); err != nil {
		t.Fatal(err)
	}
	stt, _ := svc.TOTPStatus(ctx, c)
	code, _ := totp.GenerateCode(strings.ReplaceAll(stt.Secret, " ", ""), time.Now())
	if _, err := svc.ConfirmTOTP(ctx, c, code); err != nil {
		t.Fatal(err)
	}
	st.Close()

	if out, err := vanguard(t, db, "user", "reset-totp", "--username", "boss"); err != nil || !strings.Contains(out, "two-factor sign-in reset") {
		t.Fatalf("user reset-totp: %v\n%s", err, out)
	}
	if out, err := vanguard(t, db, "user", "reset-totp", "--username", "boss"); err == nil {
		t.Fatalf("a second reset-totp succeeded:\n%s", out)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if on, err := st.TOTPEnabled(ctx, p.UserID); err != nil || on {
		t.Fatalf("two-factor on after reset-totp: %v, %v", on, err)
	}
	entries, err := st.ListAudit(ctx, domain.AuditFilter{Action: "user.totp_reset", Limit: 5})
	if err != nil || len(entries) != 1 || entries[0].Username != "system" {
		t.Fatalf("audit of reset-totp: %+v, %v", entries, err)
	}
}
