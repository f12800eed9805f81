package service_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/service"
	"vanguard/store"
	"vanguard/store/storetest"
)

// excelFixture is a committee with two units, each with a branch named
// 机关党支部 (namesakes), a team in the first unit, regions with a town
// name used twice, and a caller per role.
type excelFixture struct {
	svc                                    *service.Service
	st                                     *store.Store
	root, unitA, unitB, branchA, branchB   int64
	teamA                                  int64
	admin, orgAdmin, orgAdminB, leader, vo domain.Caller
}

func newExcelFixture(t testing.TB, s *store.Store) excelFixture {
	t.Helper()
	ctx := context.Background()
	f := excelFixture{st: s, svc: service.New(s, service.Hasher{Time: 1, Memory: 8 * 1024, Threads: 1}, make([]byte, 32), nil)}
	err := s.Write(ctx, service.SystemCaller.Actor(), func(tx *store.Tx) error {
		var err error
		steps := []struct {
			dst        *int64
			parent     *int64
			kind, name string
		}{
			{&f.root, new(int64), "committee", "市直机关工委"},
			{&f.unitA, &f.root, "unit", "市农牧业局"},
			{&f.unitB, &f.root, "unit", "市卫健委"},
			{&f.branchA, &f.unitA, "branch", "机关党支部"},
			{&f.branchB, &f.unitB, "branch", "机关党支部"},
		}
		for _, st := range steps {
			if *st.dst, err = tx.CreateOrg(*st.parent, st.kind, st.name); err != nil {
				return err
			}
		}
		if f.teamA, err = tx.CreateTeam(domain.Team{OrgID: f.unitA, Kind: domain.TeamParty, Name: "农牧服务队"}); err != nil {
			return err
		}
		for _, banner := range []string{"海拉尔区", "陈巴尔虎旗"} {
			b, err := tx.CreateRegion(domain.Region{Level: domain.RegionBanner, Name: banner})
			if err != nil {
				return err
			}
			if _, err := tx.CreateRegion(domain.Region{ParentID: b, Level: domain.RegionTown, Name: "呼和诺尔镇"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	orgA, _ := s.OrgByID(ctx, f.unitA)
	orgB, _ := s.OrgByID(ctx, f.unitB)
	who := func(name string, g ...domain.Grant) domain.Caller {
		return domain.Caller{Principal: domain.Principal{UserID: 7, Username: name, Grants: g, PersonID: linkedPerson}, IP: "127.0.0.1", RequestID: "t"}
	}
	f.admin = who("admin", domain.Grant{Role: domain.RoleCommitteeAdmin})
	f.orgAdmin = who("nmj-admin", domain.Grant{Role: domain.RoleOrgAdmin, ScopeID: f.unitA, OrgPath: orgA.Path})
	f.orgAdminB = who("wjw-admin", domain.Grant{Role: domain.RoleOrgAdmin, ScopeID: f.unitB, OrgPath: orgB.Path})
	f.leader = who("leader", domain.Grant{Role: domain.RoleTeamLeader, ScopeID: f.teamA})
	f.vo = who("volunteer", domain.Grant{Role: domain.RoleVolunteer})
	return f
}

// sheet builds an xlsx whose first sheet holds rows, the header first.
func xlsxSheet(t testing.TB, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var excelPeopleHeader = []string{"姓名", "性别", "手机号", "身份证号", "政治面貌", "所属组织", "所在地区", "特长", "服务意愿", "可服务时间", "人才标签"}

// faultsOf writes faults as "row/column/key" lines, for comparing.
func excelFaults(res service.ImportResult) string {
	var out []string
	for _, f := range res.Faults {
		s := fmt.Sprintf("%d/%s/%s", f.Row, f.Column, f.Key)
		if len(f.Args) > 0 {
			s += fmt.Sprint(f.Args)
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

func excelCountPeople(t testing.TB, s *store.Store) int {
	t.Helper()
	_, n, err := s.ListPeople(context.Background(), store.PeopleFilter{Scope: domain.Scope{All: true}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func excelAudit(t testing.TB, s *store.Store, action string) (int, string) {
	t.Helper()
	es, err := s.ListAudit(context.Background(), domain.AuditFilter{Action: action, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	last := ""
	for _, e := range es {
		if e.Action == action {
			n++
			if last == "" {
				last = e.After
			}
		}
	}
	return n, last
}

func TestImportPeopleOneBadRowImportsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newExcelFixture(t, s)
		data := xlsxSheet(t, excelPeopleHeader,
			[]string{"王芳", "女", "13900000001", "", "中共党员", "市农牧业局"},
			[]string{"李强", "男", "13900000002", "", "群众", "市农牧业局"},
			[]string{"赵敏", "女", "1390000", "", "党员", "市农牧业局"},
		)
		res, err := f.svc.ImportPeople(context.Background(), f.admin, data)
		if err != nil {
			t.Fatal(err)
		}
		if got := excelFaults(res); got != "4/手机号/excel.reason.phone" {
			t.Errorf("faults:\n%s\nwant row 4, column 手机号", got)
		}
		if res.Imported != 0 || res.Rows != 3 || excelCountPeople(t, s) != 0 {
			t.Errorf("imported %d of %d rows, %d people on file; want nothing imported", res.Imported, res.Rows, excelCountPeople(t, s))
		}
		if n, _ := excelAudit(t, s, "person.import"); n != 0 {
			t.Errorf("%d person.import audit entries after a refused import", n)
		}
	})
}

func TestImportPeopleReportsEveryFault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newExcelFixture(t, s)
		long := strings.Repeat("长", 41)
		data := xlsxSheet(t, excelPeopleHeader,
			[]string{long, "未知", "", "110105194912310021", "党外人士", "不存在的单位", "火星", "", "天文", "半夜", "明星"},
			[]string{"王芳", "女", report.ExamplePhone, "", "群众", "机关党支部", "呼和诺尔镇"},
		)
		res, err := f.svc.ImportPeople(context.Background(), f.admin, data)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Join([]string{
			"2/姓名/excel.reason.too_long[40]",
			"2/性别/excel.reason.gender",
			"2/手机号/excel.reason.required",
			"2/身份证号/excel.reason.id_card",
			"2/政治面貌/excel.reason.political_status",
			"2/所属组织/excel.reason.org_not_found[不存在的单位]",
			"2/所在地区/excel.reason.region_not_found[火星]",
			"2/服务意愿/excel.reason.category[天文]",
			"2/可服务时间/excel.reason.availability[半夜]",
			"2/人才标签/excel.reason.talent[明星]",
			"3/手机号/excel.reason.example_row",
			"3/所属组织/excel.reason.org_ambiguous[2 机关党支部]",
			"3/所在地区/excel.reason.region_ambiguous[2 呼和诺尔镇]",
		}, "\n")
		if got := excelFaults(res); got != want {
			t.Errorf("faults:\n%s\nwant:\n%s", got, want)
		}
	})
}

func TestImportPeopleDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		_, err := f.svc.CreatePerson(ctx, f.admin, domain.PersonInput{Name: "老党员", Gender: "male", Phone: "13900000009",
			IDCard: "11010519491231002X", PoliticalStatus: "party_member", OrgID: f.unitA})
		if err != nil {
			t.Fatal(err)
		}
		data := xlsxSheet(t, excelPeopleHeader,
			[]string{"王芳", "女", "13900000001", "110101199003074477", "中共党员", "市农牧业局"},
			[]string{"王芳二", "女", "139 0000 0001", "110101199003074477", "中共党员", "市农牧业局"},
			[]string{"李强", "男", "+8613900000009", "", "群众", "市农牧业局"},
			[]string{"赵敏", "女", "13900000003", "11010519491231002x", "群众", "市农牧业局"},
		)
		res, err := f.svc.ImportPeople(ctx, f.admin, data)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Join([]string{
			"3/手机号/excel.reason.duplicate_in_file[2]",
			"3/身份证号/excel.reason.duplicate_in_file[2]",
			"4/手机号/excel.reason.phone_registered",
			"5/身份证号/excel.reason.id_card_registered",
		}, "\n")
		if got := excelFaults(res); got != want {
			t.Errorf("faults:\n%s\nwant:\n%s", got, want)
		}
		if excelCountPeople(t, s) != 1 {
			t.Errorf("%d people on file, want only the one registered before", excelCountPeople(t, s))
		}
	})
}

func TestImportPeopleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		data := xlsxSheet(t, excelPeopleHeader,
			[]string{"王芳", "女", "13900000001", "", "中共党员", "机关党支部"},
			[]string{"李强", "男", "13900000002", "", "群众", "市卫健委"},
			[]string{"赵敏", "女", "13900000003", "", "群众", "市卫健委/机关党支部"},
		)
		res, err := f.svc.ImportPeople(ctx, f.orgAdmin, data)
		if err != nil {
			t.Fatal(err)
		}
		// The org admin's own 机关党支部 is the only one in scope, so the
		// name is not ambiguous to them; the other unit is refused.
		want := "3/所属组织/excel.reason.org_out_of_scope[市卫健委]\n4/所属组织/excel.reason.org_out_of_scope[市卫健委/机关党支部]"
		if got := excelFaults(res); got != want {
			t.Errorf("faults:\n%s\nwant:\n%s", got, want)
		}
		for _, c := range []domain.Caller{f.leader, f.vo} {
			if _, err := f.svc.ImportPeople(ctx, c, data); domain.ErrCode(err) != domain.CodeForbidden {
				t.Errorf("%s imports people: error %v, want forbidden", c.Username, err)
			}
		}
		if excelCountPeople(t, s) != 0 {
			t.Errorf("%d people on file after refused imports", excelCountPeople(t, s))
		}
	})
}

func TestImportPeopleSucceeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		data := xlsxSheet(t, excelPeopleHeader,
			[]string{"王芳", "女", "139-0000-0001", "11010519491231002x", "中共党员", "市农牧业局/机关党支部",
				"海拉尔区/呼和诺尔镇", "兽医、驾驶", "文化服务（演出、电影）、植树造林", "工作日晚上、周末全天", "骨干、专业人才"},
			[]string{"李强", "男", "13900000002", "", "团员", "市农牧业局"},
		)
		res, err := f.svc.ImportPeople(ctx, f.orgAdmin, data)
		if err != nil || !res.OK() || res.Imported != 2 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		people, total, err := f.svc.People(ctx, f.orgAdmin, store.PeopleFilter{})
		if err != nil || total != 2 {
			t.Fatalf("listed %d people, %v", total, err)
		}
		var p domain.Person
		for _, x := range people {
			if x.Name == "王芳" {
				p = x
			}
		}
		cats, _ := s.ListCategories(ctx, true)
		name := map[int64]string{}
		for _, c := range cats {
			name[c.ID] = c.Code
		}
		var willing []string
		for _, id := range p.Willingness {
			willing = append(willing, name[id])
		}
		got := fmt.Sprintln(p.Gender, p.Phone, p.IDCardMasked, p.PoliticalStatus, p.OrgID == f.branchA, p.RegionName,
			p.Skills, willing, report.AvailabilityText(p.Availability), p.Talents)
		want := "female 13900000001 1101**********002X party_member true 呼和诺尔镇 [兽医 驾驶] [culture tree_planting] 工作日晚上、周末全天 [backbone specialist]\n"
		if got != want {
			t.Errorf("imported person:\n%s\nwant\n%s", got, want)
		}
		if n, after := excelAudit(t, s, "person.import"); n != 1 || !strings.Contains(after, `"rows":2`) {
			t.Errorf("person.import audit: %d entries, %s", n, after)
		}
		if n, after := excelAudit(t, s, "person.create"); n != 2 || strings.Contains(after, "13900000002") {
			t.Errorf("person.create audit: %d entries, last %s (phone must be masked)", n, after)
		}
	})
}

func TestImportRoster(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		register := func(name, phone string, org int64) {
			t.Helper()
			if _, err := f.svc.CreatePerson(ctx, f.admin, domain.PersonInput{Name: name, Gender: "female", Phone: phone,
				PoliticalStatus: "party_member", OrgID: org}); err != nil {
				t.Fatal(err)
			}
		}
		register("王芳", "13900000001", f.branchA)
		register("李强", "13900000002", f.unitB)
		register("赵敏", "13900000003", f.unitA)
		header := []string{"手机号", "姓名", "角色", "加入日期"}

		// An org admin may add people of their subtree only, and is told
		// when a name does not match.
		res, err := f.svc.ImportRoster(ctx, f.orgAdmin, f.teamA, xlsxSheet(t, header,
			[]string{"13900000001", "王芳", "队长", "2025/3/5"},
			[]string{"13900000002", "李强", "", ""},
			[]string{"13900000003", "赵 敏二", "", ""},
			[]string{"13900000004", "无名", "", ""},
			[]string{"13900000001", "王芳", "副队长", "2999-01-01"},
		))
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Join([]string{
			"3/手机号/excel.reason.person_out_of_scope",
			"4/姓名/excel.reason.name_mismatch",
			"5/手机号/excel.reason.person_not_found",
			"6/角色/excel.reason.role",
			"6/加入日期/excel.reason.date_future",
		}, "\n")
		if got := excelFaults(res); got != want {
			t.Errorf("org admin's faults:\n%s\nwant:\n%s", got, want)
		}

		// A team leader has no registry scope: anyone registered may be
		// added, but a wrong name says no more than "not found".
		res, err = f.svc.ImportRoster(ctx, f.leader, f.teamA, xlsxSheet(t, header,
			[]string{"13900000002", "李强二", "", ""},
		))
		if err != nil || excelFaults(res) != "2/手机号/excel.reason.person_not_found" {
			t.Errorf("leader with a wrong name: %s, %v", excelFaults(res), err)
		}
		res, err = f.svc.ImportRoster(ctx, f.leader, f.teamA, xlsxSheet(t, header,
			[]string{"13900000001", "王芳", "队长", "2025/3/5"},
			[]string{"13900000002", "李强", "", ""},
			[]string{"13900000003", "赵 敏", "队员", "45721"},
		))
		if err != nil || !res.OK() || res.Imported != 3 {
			t.Fatalf("leader's import: %s, %+v, %v", excelFaults(res), res, err)
		}
		roster, err := s.Roster(ctx, f.teamA, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range roster {
			got = append(got, m.PersonName+"/"+string(m.Role)+"/"+m.JoinedOn)
		}
		sort.Strings(got)
		today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		wantRoster := "李强/member/" + today + " 王芳/leader/2025-03-05 赵敏/member/2025-03-05"
		if strings.Join(got, " ") != wantRoster {
			t.Errorf("roster = %v, want %s", got, wantRoster)
		}
		if n, after := excelAudit(t, s, "team.roster_import"); n != 1 || !strings.Contains(after, `"rows":3`) {
			t.Errorf("team.roster_import audit: %d, %s", n, after)
		}
		if n, _ := excelAudit(t, s, "team.member_add"); n != 3 {
			t.Errorf("%d team.member_add audit entries, want 3", n)
		}

		// Members already on the roster, and the same person twice.
		res, _ = f.svc.ImportRoster(ctx, f.admin, f.teamA, xlsxSheet(t, header,
			[]string{"13900000001", "王芳", "", ""},
		))
		if excelFaults(res) != "2/手机号/excel.reason.already_member" {
			t.Errorf("already a member: %s", excelFaults(res))
		}
		// Another unit's admin may not touch this team.
		if _, err := f.svc.ImportRoster(ctx, f.orgAdminB, f.teamA, xlsxSheet(t, header, []string{"13900000002", "李强"})); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("other unit's admin: %v, want forbidden", err)
		}
	})
}

func TestImportFileFaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		res, err := f.svc.ImportPeople(ctx, f.admin, xlsxSheet(t, []string{"姓名", "电话", "性别"}, []string{"王芳", "1", "女"}))
		if err != nil {
			t.Fatal(err)
		}
		want := "1/电话/excel.reason.unknown_column\n1/手机号/excel.reason.missing_column\n1/政治面貌/excel.reason.missing_column\n1/所属组织/excel.reason.missing_column"
		if got := excelFaults(res); got != want {
			t.Errorf("header faults:\n%s\nwant:\n%s", got, want)
		}
		if _, err := f.svc.ImportPeople(ctx, f.admin, xlsxSheet(t, excelPeopleHeader)); domain.ErrCode(err) != domain.CodeInvalid {
			t.Errorf("no data rows: %v", err)
		}
		if _, err := f.svc.ImportPeople(ctx, f.admin, []byte("\x89PNG\r\n\x1a\n\x00")); !excelIsKey(err, "err.excel.not_spreadsheet") {
			t.Errorf("a PNG: %v", err)
		}
		// A csv in GB18030, as Excel saves it on Chinese Windows.
		csv := "姓名,性别,手机号,政治面貌,所属组织\n王芳,女,13900000001,群众,市农牧业局\n"
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(csv)
		if err != nil {
			t.Fatal(err)
		}
		res, err = f.svc.ImportPeople(ctx, f.admin, []byte(gb))
		if err != nil || res.Imported != 1 {
			t.Errorf("GB18030 csv: %s %+v %v", excelFaults(res), res, err)
		}
	})
}

func excelIsKey(err error, key string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Key == key
}

func TestImportFaultListIsCapped(t *testing.T) {
	s := storetest.SQLite(t)
	f := newExcelFixture(t, s)
	rows := [][]string{excelPeopleHeader}
	for i := 0; i < 600; i++ {
		rows = append(rows, []string{"王芳", "女", "123", "", "群众", "市农牧业局"})
	}
	res, err := f.svc.ImportPeople(context.Background(), f.admin, xlsxSheet(t, rows...))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Faults) != service.MaxListedFaults || res.More != 100 || res.Faults[499].Row != 501 {
		t.Errorf("listed %d faults and %d more (last row %d); want %d and 100", len(res.Faults), res.More,
			res.Faults[len(res.Faults)-1].Row, service.MaxListedFaults)
	}
}

// readExport writes an export out and opens it.
func excelReadExport(t *testing.T, ex service.Export) *excelize.File {
	t.Helper()
	defer ex.Book.Close()
	var buf bytes.Buffer
	if _, err := ex.Book.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestExportPeopleMasksByDefault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		res, err := f.svc.ImportPeople(ctx, f.admin, xlsxSheet(t, excelPeopleHeader,
			[]string{"王芳", "女", "13900000001", "11010519491231002X", "中共党员", "市农牧业局", "", "=1+1", "", "", ""},
			[]string{"李强", "男", "13900000002", "", "群众", "市卫健委"},
		))
		if err != nil || !res.OK() {
			t.Fatalf("%s %v", excelFaults(res), err)
		}

		ex, err := f.svc.ExportPeople(ctx, f.orgAdmin, store.PeopleFilter{}, false)
		if err != nil {
			t.Fatal(err)
		}
		x := excelReadExport(t, ex)
		rows, _ := x.GetRows(report.PeopleSheet)
		if ex.Rows != 1 || len(rows) != 2 {
			t.Fatalf("org admin's export: %d rows %q; want only their unit's person", ex.Rows, rows)
		}
		all := fmt.Sprint(rows)
		if strings.Contains(all, "13900000001") || strings.Contains(all, "11010519491231002X") ||
			rows[1][2] != "139****0001" || rows[1][3] != "1101**********002X" {
			t.Errorf("masked export holds %q", rows[1])
		}
		// A skill that looks like a formula is text, not a formula.
		if formula, _ := x.GetCellFormula(report.PeopleSheet, "H2"); formula != "" || rows[1][7] != "'=1+1" {
			t.Errorf("H2: formula %q, value %q", formula, rows[1][7])
		}
		if n, after := excelAudit(t, s, "person.export"); n != 1 || !strings.Contains(after, `"full":false`) || !strings.Contains(after, `"rows":1`) {
			t.Errorf("person.export audit: %d, %s", n, after)
		}

		ex, err = f.svc.ExportPeople(ctx, f.admin, store.PeopleFilter{Query: "王"}, true)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = excelReadExport(t, ex).GetRows(report.PeopleSheet)
		// In full the phone is whole; the ID number stays masked (it leaves
		// the platform only in the national export).
		if len(rows) != 2 || rows[1][2] != "13900000001" || rows[1][3] != "1101**********002X" || !strings.HasPrefix(rows[1][11], "XF") {
			t.Errorf("full export by the committee: %q", rows)
		}
		if _, after := excelAudit(t, s, "person.export"); !strings.Contains(after, `"full":true`) || !strings.Contains(after, `"q":"王"`) {
			t.Errorf("full export audit: %s", after)
		}

		for _, c := range []domain.Caller{f.leader, f.vo} {
			if _, err := f.svc.ExportPeople(ctx, c, store.PeopleFilter{}, false); domain.ErrCode(err) != domain.CodeForbidden {
				t.Errorf("%s exports people: %v, want forbidden", c.Username, err)
			}
		}
	})
}

func TestExportRoster(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newExcelFixture(t, s)
		for i, name := range []string{"王芳", "李强"} {
			if _, err := f.svc.CreatePerson(ctx, f.admin, domain.PersonInput{Name: name, Gender: "male",
				Phone: "1390000000" + strconv.Itoa(i+1), PoliticalStatus: "masses", OrgID: f.unitA}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := f.svc.ImportRoster(ctx, f.admin, f.teamA, xlsxSheet(t, []string{"手机号", "姓名", "角色", "加入日期"},
			[]string{"13900000001", "王芳", "队长", "2024-01-01"}, []string{"13900000002", "李强", "", "2024-02-01"}))
		if err != nil || !res.OK() {
			t.Fatalf("%s %v", excelFaults(res), err)
		}
		roster, _ := s.Roster(ctx, f.teamA, false)
		for _, m := range roster {
			if m.PersonName == "李强" {
				if err := f.svc.EndMembership(ctx, f.admin, f.teamA, m.ID, "2024-12-31"); err != nil {
					t.Fatal(err)
				}
			}
		}
		ex, err := f.svc.ExportRoster(ctx, f.leader, f.teamA, false)
		if err != nil {
			t.Fatal(err)
		}
		x := excelReadExport(t, ex)
		current, _ := x.GetRows(report.RosterSheet)
		history, _ := x.GetRows(report.HistorySheet)
		no := func(name string) string {
			for _, m := range roster {
				if m.PersonName == name {
					return f.svc.VolunteerNumber(m.PersonID)
				}
			}
			return ""
		}
		if fmt.Sprint(current) != "[[手机号 姓名 角色 加入日期 志愿者编号] [139****0001 王芳 队长 2024-01-01 "+no("王芳")+"]]" {
			t.Errorf("current sheet = %q", current)
		}
		if len(history) != 3 || fmt.Sprint(history[2]) != "[139****0002 李强 队员 2024-02-01 2024-12-31 "+no("李强")+"]" {
			t.Errorf("history sheet = %q", history)
		}
		if !strings.HasPrefix(ex.Name, "农牧服务队-名册-") {
			t.Errorf("name = %q", ex.Name)
		}
		if n, after := excelAudit(t, s, "team.roster_export"); n != 1 || !strings.Contains(after, `"rows":1`) {
			t.Errorf("roster export audit: %d %s", n, after)
		}
		// Full numbers: the committee and the owning unit's admin, not the
		// team leader.
		if _, err := f.svc.ExportRoster(ctx, f.leader, f.teamA, true); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("leader's full export: %v, want forbidden", err)
		}
		ex, err = f.svc.ExportRoster(ctx, f.orgAdmin, f.teamA, true)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := excelReadExport(t, ex).GetCellValue(report.RosterSheet, "A2"); v != "13900000001" {
			t.Errorf("full roster export A2 = %q", v)
		}
		if _, err := f.svc.ExportRoster(ctx, f.orgAdminB, f.teamA, false); domain.ErrCode(err) != domain.CodeForbidden {
			t.Errorf("other unit's admin: %v, want forbidden", err)
		}
	})
}

func TestTemplatesNeedTheirActions(t *testing.T) {
	s := storetest.SQLite(t)
	f := newExcelFixture(t, s)
	ctx := context.Background()
	tr := func(k string, _ ...any) string { return k }
	b, err := f.svc.PeopleTemplate(ctx, f.orgAdmin, tr)
	if err != nil {
		t.Fatal(err)
	}
	x := excelReadExport(t, service.Export{Book: b})
	notes, _ := x.GetRows(report.NotesSheet)
	orgs := ""
	for _, r := range notes {
		if len(r) > 3 && r[0] == "所属组织" {
			orgs = r[3]
		}
	}
	if orgs != "市农牧业局、机关党支部" {
		t.Errorf("org admin's template lists orgs %q", orgs)
	}
	if _, err := f.svc.PeopleTemplate(ctx, f.leader, tr); domain.ErrCode(err) != domain.CodeForbidden {
		t.Errorf("leader's people template: %v", err)
	}
	if b, err := f.svc.RosterTemplate(ctx, f.leader, tr); err != nil {
		t.Errorf("leader's roster template: %v", err)
	} else {
		b.Close()
	}
	if _, err := f.svc.RosterTemplate(ctx, f.vo, tr); domain.ErrCode(err) != domain.CodeForbidden {
		t.Errorf("volunteer's roster template: %v", err)
	}
}

// peopleSheet50k builds the benchmark's file: 50,000 valid, distinct people
// in the xlsx of the template.
func excelPeople50k(b *testing.B) []byte {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	head := make([]any, len(excelPeopleHeader))
	for i, h := range excelPeopleHeader {
		head[i] = h
	}
	sw.SetRow("A1", head)
	for i := 0; i < report.MaxDataRows; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		id := ""
		if i%2 == 0 {
			id = excelIDCard(i)
		}
		err := sw.SetRow(cell, []any{"志愿者" + strconv.Itoa(i), []string{"男", "女"}[i%2], strconv.Itoa(13700000000 + i), id,
			[]string{"中共党员", "群众", "共青团员"}[i%3], []string{"市农牧业局", "市卫健委", "市农牧业局/机关党支部"}[i%3],
			"海拉尔区", "驾驶、兽医", "植树造林、医疗义诊", "工作日晚上、周末全天", []string{"", "骨干"}[i%2]})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// idCard returns a valid ID number, different for each n.
func excelIDCard(n int) string {
	body := fmt.Sprintf("110105%s%03d", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000).Format("20060102"), n%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// peakHeap samples the heap while fn runs and reports the most it saw.
func excelPeakHeap(fn func()) uint64 {
	var peak uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	runtime.GC()
	fn()
	close(done)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return max(peak, m.HeapAlloc)
}

// BenchmarkImportPeople50k imports 50,000 people from one xlsx into a fresh
// SQLite store (PostgreSQL too when VANGUARD_TEST_POSTGRES is set), and
// reports the peak heap.
func BenchmarkImportPeople50k(b *testing.B) {
	data := excelPeople50k(b)
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			var peak uint64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := storetest.SQLite(b)
				if db == "postgres" {
					s = storetest.Postgres(b)
				}
				f := newExcelFixture(b, s)
				b.StartTimer()
				peak = max(peak, excelPeakHeap(func() {
					res, err := f.svc.ImportPeople(context.Background(), f.admin, data)
					if err != nil || res.Imported != report.MaxDataRows {
						b.Fatalf("imported %d: %s %v", res.Imported, excelFaults(res), err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
		})
	}
}

// BenchmarkExcelizeRead50k only reads the same file with excelize, for
// comparison with the import.
func BenchmarkExcelizeRead50k(b *testing.B) {
	data := excelPeople50k(b)
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		peak = max(peak, excelPeakHeap(func() {
			x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
				UnzipSizeLimit: report.UnzipSizeLimit, UnzipXMLSizeLimit: report.UnzipXMLSizeLimit})
			if err != nil {
				b.Fatal(err)
			}
			rows, err := x.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				if _, err := rows.Columns(); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			x.Close()
			if n != report.MaxDataRows+1 {
				b.Fatalf("read %d rows", n)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}

// BenchmarkReportRead50k reads the same file as an import does — the size
// checks, the zip's integrity pass and excelize with the limits — without
// checking or writing the rows.
func BenchmarkReportRead50k(b *testing.B) {
	data := excelPeople50k(b)
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		peak = max(peak, excelPeakHeap(func() {
			t, err := report.Read(data)
			if err != nil || len(t.Rows) != report.MaxDataRows {
				b.Fatalf("read %v: %v", t, err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}
