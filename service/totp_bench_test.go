package service_test

import (
	"context"
	"testing"

	"vanguard/service"
	"vanguard/store/storetest"
)

// BenchmarkAuthenticateAdmin measures a committee admin's request
// authentication on SQLite, with two-factor not required (one more read: the
// setting) and required (two: the setting and the admin's two-factor row).
//
//	go test ./service -run '^$' -bench BenchmarkAuthenticateAdmin -benchtime 3000x
func BenchmarkAuthenticateAdmin(b *testing.B) {
	s := storetest.SQLite(b)
	ctx := context.Background()
	svc := service.New(s, fast, make([]byte, 32), nil)
	pw, err := svc.Bootstrap(ctx, "市直机关工委")
	if err != nil {
		b.Fatal(err)
	}
	cookie, err := svc.Login(ctx, visitor, "admin", pw, "", "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("not_required", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if p, _, err := svc.Authenticate(ctx, cookie); err != nil || p.Anonymous() {
				b.Fatal(p, err)
			}
		}
	})
	if err := svc.SetTOTPRequired(ctx, service.SystemCaller, true); err != nil {
		b.Fatal(err)
	}
	b.Run("required", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if p, _, err := svc.Authenticate(ctx, cookie); err != nil || !p.MustEnrolTOTP {
				b.Fatal(p, err)
			}
		}
	})
}
