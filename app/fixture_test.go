package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// fastHasher keeps password hashing cheap in tests.
var fastHasher = service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}

// committee is the first committee admin that app.Open creates.
var committee = domain.Caller{Principal: domain.Principal{UserID: 1, Username: "admin",
	Grants: []domain.Grant{{Role: domain.RoleCommitteeAdmin}}}, IP: "127.0.0.1", RequestID: "test"}

// openApp opens Vanguard on db with the data folder and key given (either
// may be empty), on a free port, without serving; Close is the caller's.
func openApp(t *testing.T, db, dataDir, key string) (*app.Main, error) {
	t.Helper()
	return app.Open(context.Background(), app.Config{Addr: "127.0.0.1:0", DB: db, DataDir: dataDir, SecretKey: key,
		Out: io.Discard, Hasher: fastHasher, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// mustOpenApp is openApp that fails the test on an error and closes at its
// end.
func mustOpenApp(t *testing.T, db, dataDir, key string) *app.Main {
	t.Helper()
	m, err := openApp(t, db, dataDir, key)
	if err != nil {
		t.Fatalf("app.Open(%s): %v", db, err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// idCard returns a valid citizen ID number, different for each n.
func idCard(n int) string {
	body := fmt.Sprintf("150702%s%03d", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000).Format("20060102"), n%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// addPerson registers person n with a phone and a sealed ID number in the
// committee's own org and returns the id.
func addPerson(ctx context.Context, m *app.Main, n int) (int64, error) {
	root, err := m.Store.RootOrgID(ctx)
	if err != nil {
		return 0, err
	}
	return m.Service.CreatePerson(ctx, committee, domain.PersonInput{Name: fmt.Sprintf("测试%d", n), Gender: "female",
		Phone: fmt.Sprintf("139%08d", n), IDCard: idCard(n), PoliticalStatus: "party_member", OrgID: root})
}

func mustAddPerson(t *testing.T, m *app.Main, n int) int64 {
	t.Helper()
	id, err := addPerson(context.Background(), m, n)
	if err != nil {
		t.Fatalf("add person %d: %v", n, err)
	}
	return id
}

// copyFile copies a file, keeping nothing but its bytes.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// addActivity records a completed activity of a new team in the
// committee's org, for photos, and returns its id.
func addActivity(t *testing.T, m *app.Main) int64 {
	t.Helper()
	ctx := context.Background()
	root, err := m.Store.RootOrgID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cats, err := m.Store.ListCategories(ctx, false)
	if err != nil || len(cats) == 0 {
		t.Fatalf("categories: %v", err)
	}
	start := m.Store.Now().Add(-48 * time.Hour)
	var id int64
	err = m.Store.Write(ctx, domain.SystemActor, func(tx *store.Tx) error {
		site, err := tx.CreateSite(domain.Site{OrgID: root, Kind: domain.SiteVillage, Name: "巴彦嘎查"})
		if err != nil {
			return err
		}
		team, err := tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "医疗队"})
		if err != nil {
			return err
		}
		in := domain.ActivityInput{Title: "义诊", Mode: domain.ModeUnit, TeamID: team, SiteID: site,
			CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: 5}
		in.Normalize()
		a := &store.PastActivity{Input: in, OrgID: root, State: domain.ActivityCompleted}
		err = tx.LoadPastActivities([]*store.PastActivity{a})
		id = a.ID
		return err
	})
	if err != nil {
		t.Fatalf("add activity: %v", err)
	}
	return id
}

// testPNG is a small picture, different for each n.
func testPNG(t *testing.T, n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for x := 0; x < 24; x++ {
		for y := 0; y < 16; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 9), uint8(y * 13), uint8(n), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// addPhoto uploads photo n to the activity as the committee.
func addPhoto(t *testing.T, m *app.Main, activity int64, n int) int64 {
	t.Helper()
	id, err := m.Service.AddPhoto(context.Background(), committee, activity, bytes.NewReader(testPNG(t, n)))
	if err != nil {
		t.Fatalf("add photo: %v", err)
	}
	return id
}
