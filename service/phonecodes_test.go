package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
	"vanguard/store/storetest"
)

// sentCode is the newest code texted to phone, read from the notification
// queued for the gateway, with the purpose the text names.
func sentCode(t *testing.T, s *store.Store, phone string) (code, purpose string) {
	t.Helper()
	list, err := s.NotificationsToPhone(context.Background(), phone, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if n.Event == domain.EventPhoneCode && len(n.Args) == 2 {
			return n.Args[0], n.Args[1]
		}
	}
	t.Fatalf("no code was texted to %s: %+v", phone, list)
	return "", ""
}

func codesTo(t *testing.T, s *store.Store, phone string) int {
	t.Helper()
	list, err := s.NotificationsToPhone(context.Background(), phone, 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// otherCode is a six-digit code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func TestPhoneCodeLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := i18n.With(context.Background(), i18n.ZH)
		now := time.Date(2026, 12, 7, 23, 0, 0, 0, domain.Shanghai) // quiet hours: a code goes at once all the same
		s.SetClock(func() time.Time { return now })
		f := newRegistry(t, s)
		f.svc.SetGatewayEnabled(true)
		const phone = "13900000001"
		visitor := public("10.0.0.5")
		register := func(username, code string) error {
			in := application("李雷", phone, username)
			in.PhoneCode = code
			_, err := f.svc.Register(ctx, visitor, in, "test")
			return err
		}

		if err := register("lilei", ""); !fieldIs(err, "phone_code", "err.phonecode.required") {
			t.Fatalf("no code typed: %v", err)
		}
		if err := register("lilei", "12345"); !fieldIs(err, "phone_code", "err.phonecode.format") {
			t.Fatalf("five digits: %v", err)
		}
		if err := register("lilei", "123456"); !fieldIs(err, "phone_code", "err.phonecode.none") {
			t.Fatalf("a code before any was sent: %v", err)
		}
		if err := f.svc.SendRegisterCode(ctx, visitor, "1390000"); !fieldIs(err, "phone", "err.phone") {
			t.Fatalf("a code to a bad number: %v", err)
		}

		// Sent: six digits, the purpose in words, urgent to the gateway.
		if err := f.svc.SendRegisterCode(ctx, visitor, "139-0000-0001"); err != nil {
			t.Fatal(err)
		}
		code, purpose := sentCode(t, s, phone)
		if domain.NormalizePhoneCode(code) != code || purpose != "注册账号" {
			t.Fatalf("texted %q for %q, want six digits for 注册账号", code, purpose)
		}
		if counts, _ := s.DeliveryCounts(ctx); counts["gateway"]["queued"] != 1 {
			t.Errorf("deliveries = %v, want one to the gateway", counts)
		}
		if jobs, _ := s.Jobs(ctx, "available", 10); len(jobs) != 1 {
			t.Errorf("available jobs = %d, want the code's, not held for quiet hours", len(jobs))
		}

		// Wrong, then expired.
		if err := register("lilei", otherCode(code)); !fieldIs(err, "phone_code", "err.phonecode.wrong") {
			t.Fatalf("a wrong code: %v", err)
		}
		now = now.Add(domain.PhoneCodeTTL)
		if err := register("lilei", code); !fieldIs(err, "phone_code", "err.phonecode.expired") {
			t.Fatalf("the code after ten minutes: %v", err)
		}

		// A new code replaces the old: the old fails, the new works once.
		if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
			t.Fatal(err)
		}
		fresh, _ := sentCode(t, s, phone)
		if fresh != code {
			if err := register("lilei", code); !fieldIs(err, "phone_code", "err.phonecode.wrong") {
				t.Fatalf("the replaced code: %v", err)
			}
		}
		now = now.Add(domain.PhoneCodeTTL - time.Second)
		if err := register("lilei", " "+fresh+" "); err != nil {
			t.Fatalf("the right code within ten minutes: %v", err)
		}
		if err := register("lilei2", fresh); !fieldIs(err, "phone_code", "err.phonecode.used") {
			t.Fatalf("the code a second time: %v", err)
		}

		// A taken name is said before the code is used up.
		now = now.Add(time.Minute)
		if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
			t.Fatal(err)
		}
		code, _ = sentCode(t, s, phone)
		if err := register("lilei", code); !fieldIs(err, "username", "err.username.taken") {
			t.Fatalf("a taken name: %v", err)
		}
		if err := register("lilei3", code); err != nil {
			t.Fatalf("the same code with a free name: %v", err)
		}

		// Five wrong tries and the code is dead, the right one included.
		now = now.Add(time.Minute)
		if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
			t.Fatal(err)
		}
		code, _ = sentCode(t, s, phone)
		for i := 1; i <= domain.PhoneCodeMaxTries; i++ {
			err := register("lilei4", otherCode(code))
			e, _ := domain.AsError(err)
			if i < domain.PhoneCodeMaxTries && (!fieldIs(err, "phone_code", "err.phonecode.wrong") || e.Args[0] != domain.PhoneCodeMaxTries-i) {
				t.Fatalf("wrong try %d: %v %v", i, err, e.Args)
			}
			if i == domain.PhoneCodeMaxTries && !fieldIs(err, "phone_code", "err.phonecode.spent") {
				t.Fatalf("wrong try %d: %v, want spent", i, err)
			}
		}
		if err := register("lilei4", code); !fieldIs(err, "phone_code", "err.phonecode.spent") {
			t.Fatalf("the right code after five wrong tries: %v", err)
		}

		// Every code sent was texted, each as its own notification.
		if n := codesTo(t, s, phone); n != 4 {
			t.Errorf("codes texted = %d, want 4", n)
		}

		// A day on, housekeeping drops the codes and the texts that held
		// them in clear.
		now = now.Add(24*time.Hour + time.Minute)
		if err := f.svc.Housekeep(ctx); err != nil {
			t.Fatal(err)
		}
		if n := codesTo(t, s, phone); n != 0 {
			t.Errorf("codes texted a day ago still kept: %d", n)
		}
		if err := register("lilei4", code); !fieldIs(err, "phone_code", "err.phonecode.none") {
			t.Errorf("a code of yesterday after housekeeping: %v", err)
		}
	})
}

func TestPhoneCodeSendingIsLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, domain.Shanghai)
		s.SetClock(func() time.Time { return now })
		f := newRegistry(t, s)
		f.svc.SetGatewayEnabled(true)
		const phone = "13900000002"
		visitor := public("10.0.0.6")

		// One a minute per phone, with the seconds to wait.
		if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
			t.Fatal(err)
		}
		now = now.Add(20 * time.Second)
		err := f.svc.SendRegisterCode(ctx, public("10.0.0.7"), phone)
		if e, _ := domain.AsError(err); !tooMany(err, "err.phonecode.rate_minute") || e.RetryAfter != 40*time.Second || e.Args[0] != 40 {
			t.Fatalf("a second code within the minute: %v, want too many, 40 s to wait", err)
		}
		// Five an hour per phone.
		for i := 2; i <= 5; i++ {
			now = now.Add(time.Minute)
			if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
				t.Fatalf("code %d within the hour: %v", i, err)
			}
		}
		now = now.Add(time.Minute) // 5 min 20 s after the first
		err = f.svc.SendRegisterCode(ctx, visitor, phone)
		if e, _ := domain.AsError(err); !tooMany(err, "err.phonecode.rate_hour") || e.Args[1] != 55 || e.RetryAfter != 54*time.Minute+40*time.Second {
			t.Fatalf("a sixth code within the hour: %v, want too many for 55 minutes", err)
		}
		if n := codesTo(t, s, phone); n != 5 {
			t.Errorf("codes texted = %d, want 5", n)
		}
		now = now.Add(55 * time.Minute)
		if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
			t.Fatalf("a code an hour after the first: %v", err)
		}
		// Ten a day per phone.
		for i := 7; i <= 10; i++ {
			now = now.Add(time.Hour)
			if err := f.svc.SendRegisterCode(ctx, visitor, phone); err != nil {
				t.Fatalf("code %d within the day: %v", i, err)
			}
		}
		now = now.Add(time.Hour)
		if err := f.svc.SendRegisterCode(ctx, visitor, phone); !tooMany(err, "err.phonecode.rate_day") {
			t.Fatalf("an eleventh code within the day: %v, want too many", err)
		}

		// Twenty an hour per address, whatever the phones.
		crowd := public("10.0.0.8")
		for i := range 20 {
			if err := f.svc.SendRegisterCode(ctx, crowd, fmt.Sprintf("137000000%02d", i)); err != nil {
				t.Fatalf("code %d from one address: %v", i+1, err)
			}
		}
		if err := f.svc.SendRegisterCode(ctx, crowd, "13600000000"); !tooMany(err, "err.phonecode.rate_ip") {
			t.Fatalf("the 21st code from one address: %v", err)
		}
		if codesTo(t, s, "13600000000") != 0 {
			t.Error("a refused code was texted")
		}
	})
}

func TestNoGatewayNoCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistry(t, s)
		if f.svc.PhoneCodesOn() {
			t.Fatal("codes on without a gateway")
		}
		if err := f.svc.SendRegisterCode(ctx, public("10.0.0.9"), "13900000003"); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a code without a gateway: %v", err)
		}
		if _, err := f.svc.Register(ctx, public("10.0.0.9"), application("韩梅梅", "13900000003", "hanmm"), "test"); err != nil {
			t.Fatalf("registration without a gateway needs no code: %v", err)
		}
	})
}

func TestTrackCodeSaysNothingOfThePair(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		code, err := f.svc.PlaceOrder(ctx, f.public, f.input()) // phone 13912345678
		if err != nil {
			t.Fatal(err)
		}
		tr, err := f.svc.TrackOrder(ctx, f.public, code)
		if err != nil {
			t.Fatal(err)
		}
		number := domain.OrderNumber(tr.Order.ID)
		if err := f.svc.SendTrackCode(ctx, f.public, number, "13912345678"); domain.ErrCode(err) != domain.CodeConflict {
			t.Fatalf("a track code without a gateway: %v", err)
		}
		f.svc.SetGatewayEnabled(true)
		visitor := public("10.0.1.1")

		// The pair exists: a code goes to the phone. It does not: the same
		// answer, and nothing is sent.
		if err := f.svc.SendTrackCode(ctx, visitor, number, "139 1234 5678"); err != nil {
			t.Fatal(err)
		}
		sent, purpose := sentCode(t, s, "13912345678")
		if purpose != "查询点单" {
			t.Errorf("the text names %q, want 查询点单", purpose)
		}
		for _, p := range []struct{ number, phone string }{{number, "13900000000"}, {"999999", "13900000001"}} {
			if err := f.svc.SendTrackCode(ctx, visitor, p.number, p.phone); err != nil {
				t.Fatalf("SendTrackCode(%s, %s) = %v, want the same answer as for a real pair", p.number, p.phone, err)
			}
			if codesTo(t, s, p.phone) != 0 {
				t.Errorf("a code was texted to %s, which placed no order %s", p.phone, p.number)
			}
		}
		if err := f.svc.SendTrackCode(ctx, visitor, "abc", "13912345678"); !fieldIs(err, "number", "err.phonecode.number") {
			t.Fatalf("a number that is no number: %v", err)
		}

		// One answer for a wrong code, a phone without a code and a pair
		// that does not exist.
		for _, w := range []struct{ number, phone, code string }{
			{number, "13912345678", otherCode(sent)},
			{number, "13900000000", sent},
			{"999999", "13900000001", "123456"},
		} {
			if _, err := f.svc.FindOrderByPhone(ctx, visitor, w.number, w.phone, w.code); !fieldIs(err, "phone_code", "err.phonecode.track") {
				t.Errorf("FindOrderByPhone(%s, %s, %s) = %v, want the one refusal", w.number, w.phone, w.code, err)
			}
		}
		got, err := f.svc.FindOrderByPhone(ctx, visitor, number, "13912345678", sent)
		if err != nil || got != code {
			t.Fatalf("FindOrderByPhone with the code = %q, %v; want the tracking code", got, err)
		}
		if _, err := f.svc.FindOrderByPhone(ctx, visitor, number, "13912345678", sent); !fieldIs(err, "phone_code", "err.phonecode.track") {
			t.Fatalf("the code a second time: %v", err)
		}
		// A registration code does not find an order.
		if err := f.svc.SendRegisterCode(ctx, public("10.0.1.2"), "13912345679"); err != nil {
			t.Fatal(err)
		}
		reg, _ := sentCode(t, s, "13912345679")
		if _, err := f.svc.FindOrderByPhone(ctx, visitor, number, "13912345679", reg); !fieldIs(err, "phone_code", "err.phonecode.track") {
			t.Fatalf("a registration code used to find an order: %v", err)
		}
	})
}

// TestPhoneCodeUnderRaces: requests racing with one code find the order
// once, and a burst of wrong guesses kills the code after five.
func TestPhoneCodeUnderRaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newOrders(t, s)
		f.svc.SetGatewayEnabled(true)
		code, err := f.svc.PlaceOrder(ctx, f.public, f.input())
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := f.svc.TrackOrder(ctx, f.public, code)
		number := domain.OrderNumber(tr.Order.ID)
		race := func(typed string) (found int) {
			results := make(chan error, 8)
			for i := range 8 {
				go func() {
					_, err := f.svc.FindOrderByPhone(ctx, public(fmt.Sprintf("10.0.2.%d", i)), number, "13912345678", typed)
					results <- err
				}()
			}
			for range 8 {
				if err := <-results; err == nil {
					found++
				} else if !fieldIs(err, "phone_code", "err.phonecode.track") {
					t.Errorf("a racing lookup: %v", err)
				}
			}
			return found
		}
		if err := f.svc.SendTrackCode(ctx, f.public, number, "13912345678"); err != nil {
			t.Fatal(err)
		}
		sent, _ := sentCode(t, s, "13912345678")
		if n := race(sent); n != 1 {
			t.Errorf("eight lookups racing with one code found the order %d times, want once", n)
		}

		now := time.Now().Add(2 * time.Minute) // past the minute between codes
		s.SetClock(func() time.Time { return now })
		if err := f.svc.SendTrackCode(ctx, f.public, number, "13912345678"); err != nil {
			t.Fatal(err)
		}
		sent, _ = sentCode(t, s, "13912345678")
		if n := race(otherCode(sent)); n != 0 {
			t.Fatalf("wrong codes found the order %d times", n)
		}
		if _, err := f.svc.FindOrderByPhone(ctx, f.public, number, "13912345678", sent); !fieldIs(err, "phone_code", "err.phonecode.track") {
			t.Fatalf("the right code after eight wrong guesses: %v, want refused", err)
		}
	})
}
