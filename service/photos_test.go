package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// testImage is a small picture with some colour in it.
func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		for y := 0; y < 30; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), 120, 255})
		}
	}
	return img
}

func encodePNG(t *testing.T) []byte {
	var b bytes.Buffer
	must(t, png.Encode(&b, testImage()))
	return b.Bytes()
}

func encodeJPEG(t *testing.T) []byte {
	var b bytes.Buffer
	must(t, jpeg.Encode(&b, testImage(), nil))
	return b.Bytes()
}

func encodeGIF(t *testing.T) []byte {
	var b bytes.Buffer
	must(t, gif.Encode(&b, testImage(), nil))
	return b.Bytes()
}

func TestCheckPhoto(t *testing.T) {
	pngBytes, jpegBytes := encodePNG(t), encodeJPEG(t)
	big := append(append([]byte{}, jpegBytes...), make([]byte, domain.MaxPhotoBytes+1-len(jpegBytes))...)
	truncated := pngBytes[:12] // a PNG signature without a header
	for _, c := range []struct {
		name, wantType, wantKey string
		b                       []byte
	}{
		{"png", "image/png", "", pngBytes},
		{"jpeg", "image/jpeg", "", jpegBytes},
		{"gif", "", "err.photo.type", encodeGIF(t)},
		{"text named .jpg", "", "err.photo.type", []byte("这不是照片，只是改了扩展名的文本文件。\n")},
		{"empty", "", "err.photo.empty", nil},
		{"5 MB + 1", "", "err.photo.too_large", big},
		{"broken png", "", "err.photo.broken", truncated},
		{"svg", "", "err.photo.type", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
	} {
		ct, w, h, err := service.CheckPhoto(c.b)
		if c.wantKey == "" {
			if err != nil || ct != c.wantType || w != 40 || h != 30 {
				t.Errorf("%s: CheckPhoto = %q %dx%d, %v; want %s 40x30", c.name, ct, w, h, err, c.wantType)
			}
			continue
		}
		if e, ok := domain.AsError(err); !ok || e.Key != c.wantKey || e.Field != "photo" {
			t.Errorf("%s: CheckPhoto error %v, want %s on field photo", c.name, err, c.wantKey)
		}
	}
}

// photoFixture is a unit under the committee with team A (which runs a past
// activity) and team B, and two volunteers with accounts: one attended.
type photoFixture struct {
	svc      *service.Service
	s        *store.Store
	dir      string
	activity int64
	callers  map[string]domain.Caller
}

func newPhotoFixture(t *testing.T, s *store.Store) *photoFixture {
	t.Helper()
	ctx := context.Background()
	f := &photoFixture{s: s, svc: service.New(s, fast, make([]byte, 32), nil), dir: filepath.Join(t.TempDir(), "photos")}
	f.svc.SetPhotoDir(f.dir)
	cats, err := s.ListCategories(ctx, false)
	must(t, err)
	var root, unit, site, teamA, teamB, u1, u2 int64
	var ppl []int64
	staff := make([]int64, 6)
	start := s.Now().Add(-48 * time.Hour)
	must(t, s.Write(ctx, domain.SystemActor, func(tx *store.Tx) (err error) {
		if root, err = tx.CreateOrg(0, "committee", "工委"); err != nil {
			return err
		}
		if unit, err = tx.CreateOrg(root, "unit", "农牧业局"); err != nil {
			return err
		}
		if site, err = tx.CreateSite(domain.Site{OrgID: unit, Kind: domain.SiteVillage, Name: "巴彦嘎查"}); err != nil {
			return err
		}
		if teamA, err = tx.CreateTeam(domain.Team{OrgID: unit, Kind: domain.TeamParty, Name: "农牧队"}); err != nil {
			return err
		}
		if teamB, err = tx.CreateTeam(domain.Team{OrgID: root, Kind: domain.TeamParty, Name: "医疗队"}); err != nil {
			return err
		}
		ps := []domain.ValidPerson{
			{Name: "王芳", Gender: domain.GenderFemale, Phone: "13900000001", PoliticalStatus: "party_member", OrgID: unit},
			{Name: "李强", Gender: domain.GenderMale, Phone: "13900000002", PoliticalStatus: "party_member", OrgID: unit},
		}
		if ppl, err = tx.CreatePeople(ps, make([]store.SealedID, 2)); err != nil {
			return err
		}
		if u1, err = tx.CreateUser(store.NewUser{Username: "wangfang", DisplayName: "王芳", PasswordHash: "x"}); err != nil {
			return err
		}
		if u2, err = tx.CreateUser(store.NewUser{Username: "liqiang", DisplayName: "李强", PasswordHash: "x"}); err != nil {
			return err
		}
		for i := range staff {
			if staff[i], err = tx.CreateUser(store.NewUser{Username: fmt.Sprint("staff", i), DisplayName: fmt.Sprint("员工", i),
				PasswordHash: "x"}); err != nil {
				return err
			}
		}
		if err := tx.LinkPersonUser(ppl[0], u1); err != nil {
			return err
		}
		if err := tx.LinkPersonUser(ppl[1], u2); err != nil {
			return err
		}
		in := domain.ActivityInput{Title: "春季防疫", Mode: domain.ModeUnit, TeamID: teamA, SiteID: site,
			CategoryIDs: []int64{cats[0].ID}, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Capacity: 5}
		in.Normalize()
		a := &store.PastActivity{Input: in, OrgID: unit, State: domain.ActivityCompleted,
			Signups:    []store.PastSignup{{PersonID: ppl[0], TeamID: teamA, State: domain.SignupConfirmed, At: start}},
			Attendance: []store.PastAttendance{{PersonID: ppl[0], In: start, Out: start.Add(time.Hour), MethodIn: "qr", MethodOut: "qr"}}}
		err = tx.LoadPastActivities([]*store.PastActivity{a})
		f.activity = a.ID
		return err
	}))
	unitOrg, err := s.OrgByID(ctx, unit)
	must(t, err)
	caller := func(uid int64, g domain.Grant) domain.Caller {
		return domain.Caller{Principal: domain.Principal{UserID: uid, Username: fmt.Sprint("u", uid), Grants: []domain.Grant{g},
			PersonID: linkedPerson}}
	}
	f.callers = map[string]domain.Caller{
		"committee":       caller(staff[0], domain.Grant{Role: domain.RoleCommitteeAdmin}),
		"org admin":       caller(staff[1], domain.Grant{Role: domain.RoleOrgAdmin, ScopeID: unit, OrgPath: unitOrg.Path}),
		"leader A":        caller(staff[2], domain.Grant{Role: domain.RoleTeamLeader, ScopeID: teamA}),
		"leader B":        caller(staff[3], domain.Grant{Role: domain.RoleTeamLeader, ScopeID: teamB}),
		"volunteer in":    caller(u1, domain.Grant{Role: domain.RoleVolunteer}),
		"volunteer out":   caller(u2, domain.Grant{Role: domain.RoleVolunteer}),
		"site contact":    caller(staff[4], domain.Grant{Role: domain.RoleSiteContact, ScopeID: site}),
		"org admin other": caller(staff[5], domain.Grant{Role: domain.RoleOrgAdmin, ScopeID: root + 1000, OrgPath: "/99999/"}),
	}
	return f
}

// TestPhotos uploads photos as an organiser, checks what is stored and who
// may see them, and deletes one.
func TestPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		leader := f.callers["leader A"]
		pngBytes := encodePNG(t)
		id, err := f.svc.AddPhoto(ctx, leader, f.activity, bytes.NewReader(pngBytes))
		must(t, err)
		if _, err := f.svc.AddPhoto(ctx, f.callers["leader B"], f.activity, bytes.NewReader(encodeJPEG(t))); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("leader of another team uploads: %v, want forbidden", err)
		}
		for name, b := range map[string][]byte{"gif": encodeGIF(t), "text": []byte("hello"), "duplicate": pngBytes} {
			if _, err := f.svc.AddPhoto(ctx, leader, f.activity, bytes.NewReader(b)); domain.ErrCode(err) != domain.CodeInvalid {
				t.Errorf("upload %s: %v, want invalid", name, err)
			}
		}
		p, err := s.PhotoByID(ctx, id)
		must(t, err)
		// The upload is stored re-encoded (without metadata): the row
		// describes the stored file.
		storedBytes, err := os.ReadFile(filepath.Join(f.dir, p.StoredName))
		must(t, err)
		sum := sha256.Sum256(storedBytes)
		if p.ContentType != "image/png" || p.Size != int64(len(storedBytes)) || p.SHA256 != hex.EncodeToString(sum[:]) ||
			!strings.HasSuffix(p.StoredName, ".png") || len(p.StoredName) != 36 || p.Width != 40 || p.Height != 30 {
			t.Errorf("photo row %+v", p)
		}
		st, err := os.Stat(filepath.Join(f.dir, p.StoredName))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("stored file: %v, %v", st, err)
		}
		if dst, err := os.Stat(f.dir); err != nil || dst.Mode().Perm() != 0o700 {
			t.Errorf("photo folder: %v, %v; want 0700", dst, err)
		}
		// Who may see it: organisers, the committee, org admins over it, and
		// the volunteer who took part.
		for name, want := range map[string]bool{"committee": true, "org admin": true, "leader A": true, "leader B": false,
			"volunteer in": true, "volunteer out": false, "site contact": false, "org admin other": false} {
			pf, err := f.svc.Photo(ctx, f.callers[name], f.activity, id)
			if want {
				if err != nil {
					t.Errorf("%s: Photo: %v", name, err)
					continue
				}
				b, _ := io.ReadAll(pf.File)
				pf.File.Close()
				if !bytes.Equal(b, storedBytes) || pf.ContentType != "image/png" {
					t.Errorf("%s: served %d bytes of %s", name, len(b), pf.ContentType)
				}
			} else if domain.ErrCode(err) != domain.CodeForbidden {
				t.Errorf("%s: Photo error %v, want forbidden", name, err)
			}
		}
		if _, err := f.svc.Photo(ctx, f.callers["committee"], f.activity+1, id); domain.ErrCode(err) != domain.CodeNotFound {
			t.Errorf("photo under another activity: %v, want not found", err)
		}
		v, err := f.svc.ActivityOutcome(ctx, f.callers["volunteer out"], f.activity)
		if err != nil || v.CanSeePhotos || len(v.Photos) != 0 || v.CanRecord {
			t.Errorf("volunteer who did not take part: %+v, %v", v, err)
		}
		// Deleting: organisers only; the file goes with the row.
		if err := f.svc.DeletePhoto(ctx, f.callers["volunteer in"], f.activity, id); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("volunteer deletes: %v, want forbidden", err)
		}
		must(t, f.svc.DeletePhoto(ctx, leader, f.activity, id))
		if _, err := os.Stat(filepath.Join(f.dir, p.StoredName)); !os.IsNotExist(err) {
			t.Errorf("file after delete: %v", err)
		}
		entries, _ := s.ListAudit(ctx, domain.AuditFilter{Action: "photo."})
		if len(entries) != 2 {
			t.Errorf("%d photo audit entries, want add and delete", len(entries))
		}
	})
}

// TestSaveOutcomeService checks the outcome form's validation and who may
// record.
func TestSaveOutcomeService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newPhotoFixture(t, s)
		ms, err := s.ListMetrics(ctx, false)
		must(t, err)
		trees := ms[0].ID
		form := domain.OutcomeForm{Beneficiaries: "-3", Narrative: strings.Repeat("好", 2001),
			Values: map[int64]string{trees: "abc", ms[1].ID: "99999999999"}}
		err = f.svc.SaveOutcome(ctx, f.callers["leader A"], f.activity, form)
		e, ok := domain.AsError(err)
		if !ok || e.Code != domain.CodeInvalid {
			t.Fatalf("bad form: %v", err)
		}
		for _, field := range []string{"beneficiaries", "narrative", domain.MetricField(trees), domain.MetricField(ms[1].ID)} {
			if e.Fields[field] == nil {
				t.Errorf("no fault on %s in %v", field, e.Fields)
			}
		}
		good := domain.OutcomeForm{Beneficiaries: "１２０", Narrative: "植树", Values: map[int64]string{trees: "1,200", ms[1].ID: "0.5"}}
		if err := f.svc.SaveOutcome(ctx, f.callers["leader B"], f.activity, good); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("leader of another team saves: %v, want forbidden", err)
		}
		must(t, f.svc.SaveOutcome(ctx, f.callers["org admin"], f.activity, good))
		v, err := f.svc.OutcomeForm(ctx, f.callers["leader A"], f.activity)
		must(t, err)
		if v.Outcome.Beneficiaries != 120 || v.MetricValue(trees) != domain.Units(1200) || v.MetricValue(ms[1].ID).String() != "0.5" {
			t.Errorf("saved %+v", v.Outcome)
		}
		if fm := v.Outcome.Form(); fm.Values[trees] != "1200" || fm.Beneficiaries != "120" {
			t.Errorf("form of the saved outcome %+v", fm)
		}
	})
}
