package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// syncBuffer is a log sink that several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startInstance runs one Vanguard on 127.0.0.1:0 against db until the test
// ends.
func startInstance(t *testing.T, db, key string) *app.Main {
	t.Helper()
	logs := &syncBuffer{}
	m, err := app.Open(context.Background(), app.Config{
		Addr: "127.0.0.1:0", DB: db, SecretKey: key, AuditKey: key, Out: io.Discard,
		Hasher: service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1},
		Log:    slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "level=ERROR") {
				t.Errorf("instance logged: %s", line)
			}
		}
	})
	return m
}

// TestTwoInstancesOnePostgres: two Vanguard instances serve one PostgreSQL
// database; 1,000 volunteers sign up at once through both, over HTTP, for
// 100 places. Exactly 100 get a place, the other 900 wait, and the taken
// count equals the confirmed rows.
func TestTwoInstancesOnePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t) // skips without VANGUARD_TEST_POSTGRES
	n, places := 1000, 100
	if raceEnabled {
		n, places = 200, 20
	}
	key := strings.Repeat("5a", 32)
	a := startInstance(t, dsn, key) // migrates and creates the committee
	b := startInstance(t, dsn, key) // finds both done
	if a.URL() == b.URL() {
		t.Fatal("both instances listen on the same address")
	}
	ctx := context.Background()
	activity, cookies := signupFixture(t, a.Store, n, places)

	clients := make([]*http.Client, 2)
	for i := range clients {
		clients[i] = &http.Client{
			Transport:     &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Timeout:       2 * time.Minute,
		}
		t.Cleanup(clients[i].CloseIdleConnections)
	}
	urls := []string{a.URL(), b.URL()}
	var confirmed, waitlisted atomic.Int64
	var served [2]atomic.Int64
	begin := make(chan struct{})
	var wg sync.WaitGroup
	for i, cookie := range cookies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-begin
			k := i % 2
			req, _ := http.NewRequest(http.MethodPost, urls[k]+"/activities/"+strconv.FormatInt(activity, 10)+"/signup", nil)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "vg_session", Value: cookie})
			resp, err := clients[k].Do(req)
			if err != nil {
				t.Errorf("sign-up %d: %v", i, err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			switch {
			case resp.StatusCode != http.StatusSeeOther:
				t.Errorf("sign-up %d on instance %d: %d %s", i, k, resp.StatusCode, body[:min(len(body), 300)])
				return
			case strings.HasSuffix(loc, "saved=confirmed"):
				confirmed.Add(1)
			case strings.HasSuffix(loc, "saved=waitlisted"):
				waitlisted.Add(1)
			default:
				t.Errorf("sign-up %d: redirected to %s", i, loc)
				return
			}
			served[k].Add(1)
		}()
	}
	start := time.Now()
	close(begin)
	wg.Wait()
	t.Logf("%d sign-ups through two instances in %v", n, time.Since(start).Round(time.Millisecond))
	if served[0].Load() != int64(n/2) || served[1].Load() != int64(n/2) {
		t.Fatalf("instances served %d and %d sign-ups, want %d each", served[0].Load(), served[1].Load(), n/2)
	}
	if confirmed.Load() != int64(places) || waitlisted.Load() != int64(n-places) {
		t.Fatalf("confirmed %d, waitlisted %d; want %d and %d", confirmed.Load(), waitlisted.Load(), places, n-places)
	}
	for _, m := range []*app.Main{a, b} {
		taken, rows, err := m.Store.CapacityCheck(ctx, activity)
		if err != nil || taken != places || rows != places {
			t.Fatalf("taken %d, confirmed rows %d, %v; want %d", taken, rows, err, places)
		}
	}
	gs, err := b.Store.ActivitySignups(ctx, activity)
	if err != nil || len(gs) != n {
		t.Fatalf("%d sign-up rows, %v; want %d", len(gs), err, n)
	}
}

// signupFixture creates, in the database behind s, a team with n volunteer
// members who each have an account and a session, and an activity of the
// team with the given places. It returns the activity and the volunteers'
// session cookies. Sessions are written directly, so no password is hashed.
func signupFixture(t *testing.T, s *store.Store, n, places int) (int64, []string) {
	t.Helper()
	ctx := context.Background()
	root, err := s.RootOrgID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cats, err := s.ListCategories(ctx, false)
	if err != nil || len(cats) == 0 {
		t.Fatalf("categories: %v", err)
	}
	actor := service.SystemCaller.Actor()
	var team, site, activity int64
	cookies := make([]string, n)
	err = s.Write(ctx, actor, func(tx *store.Tx) (err error) {
		if team, err = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "机关先锋队"}); err != nil {
			return err
		}
		if site, err = tx.CreateSite(domain.Site{OrgID: root, Kind: domain.SiteCommunity, Name: "胜利社区"}); err != nil {
			return err
		}
		start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Hour)
		in := domain.ActivityInput{Title: "千人报名", Mode: domain.ModeUnit, TeamID: team, SiteID: site,
			CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: places, CancelHours: 24}
		in.Normalize()
		if err := in.Validate(time.Now()); err != nil {
			return err
		}
		if activity, err = tx.CreateActivity(in, root); err != nil {
			return err
		}
		ps := make([]domain.ValidPerson, n)
		for i := range ps {
			ps[i] = domain.ValidPerson{Name: fmt.Sprintf("志愿者%d", i), Gender: domain.GenderFemale,
				Phone: fmt.Sprintf("136%08d", i), PoliticalStatus: "party_member", OrgID: root}
		}
		ids, err := tx.CreatePeople(ps, make([]store.SealedID, n))
		if err != nil {
			return err
		}
		ms := make([]domain.Membership, n)
		for i, id := range ids {
			uid, err := tx.CreateUser(store.NewUser{Username: fmt.Sprintf("v%04d", i), DisplayName: ps[i].Name, PasswordHash: "-"})
			if err != nil {
				return err
			}
			if err := tx.Grant(uid, domain.RoleVolunteer, 0); err != nil {
				return err
			}
			if err := tx.LinkPersonUser(id, uid); err != nil {
				return err
			}
			sid, secret := token(), token()
			sum := sha256.Sum256([]byte(secret))
			if err := tx.CreateSession(store.Session{ID: sid, SecretHash: hex.EncodeToString(sum[:]), UserID: uid,
				IP: "127.0.0.1", UserAgent: "test"}); err != nil {
				return err
			}
			cookies[i] = sid + "." + secret
			ms[i] = domain.Membership{TeamID: team, PersonID: id, Role: domain.MemberRegular, JoinedOn: "2025-01-01"}
		}
		return tx.AddMembers(ms)
	})
	if err != nil {
		t.Fatal(err)
	}
	return activity, cookies
}

func token() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
