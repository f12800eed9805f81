package i18n_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"vanguard/domain"
	"vanguard/i18n"
)

// keyPattern finds catalogue keys in Go and templ source: string literals
// that start with one of the catalogue's namespaces.
var keyPattern = regexp.MustCompile(`"((?:app|nav|lang|login|password|home|error|err|field|form|audit|users|role|orgs|teams|sites|regions|people|me|overview|excel|enum|public|track|work|suggest|menu|cat|supply|inbox|desk|act|attend|myservice|eval|complaint|results|camp|brand|rec|star|cert|verify|register|auditchain|remind|cal|notify|jobs|stats|ledger|assess|annual)\.[a-z0-9_.]*[a-z0-9_])"`)

// usedKeys returns every key literal in the module's source, with a file
// where it appears.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..")
	used := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "data" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyPattern.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range domain.AllRoles {
		used["role."+string(r)] = "domain/role.go"
	}
	// Enumerations are shown through keys built at run time.
	enums := map[string][]string{
		"org_kind": {string(domain.OrgCommittee)}, "gender": {"male", "female"},
		"team_kind":    {string(domain.TeamParty), string(domain.TeamYouth)},
		"member_role":  {string(domain.MemberRegular), string(domain.MemberLeader)},
		"region_level": {string(domain.RegionBanner), string(domain.RegionTown), string(domain.RegionVillage)},
		"talent":       domain.TalentTags,
	}
	for _, k := range domain.OrgKinds {
		enums["org_kind"] = append(enums["org_kind"], string(k))
	}
	for _, k := range domain.SiteKinds {
		enums["site_kind"] = append(enums["site_kind"], string(k))
	}
	for _, k := range domain.PoliticalStatuses {
		enums["political"] = append(enums["political"], string(k))
	}
	for _, s := range domain.Slots {
		enums["slot"] = append(enums["slot"], s.Key)
	}
	for _, s := range domain.OrderStates {
		enums["order_state"] = append(enums["order_state"], string(s))
	}
	for _, e := range domain.OrderEvents {
		enums["order_event"] = append(enums["order_event"], string(e))
	}
	for _, c := range domain.Channels {
		enums["channel"] = append(enums["channel"], string(c))
	}
	enums["dispatch_state"] = []string{string(domain.DispatchPending), string(domain.DispatchConfirmed), string(domain.DispatchDeclined)}
	enums["menu_kind"] = []string{string(domain.MenuProfessional), string(domain.MenuParticipatory)}
	enums["menu_term"] = []string{string(domain.TermLong), string(domain.TermShort)}
	for _, m := range domain.ActivityModes {
		enums["activity_mode"] = append(enums["activity_mode"], string(m))
	}
	for _, st := range domain.ActivityStates {
		enums["activity_state"] = append(enums["activity_state"], string(st))
	}
	for _, st := range domain.SignupStates {
		enums["signup_state"] = append(enums["signup_state"], string(st))
	}
	for _, st := range domain.VersionStates {
		enums["record_version"] = append(enums["record_version"], string(st))
	}
	enums["attendance_method"] = []string{string(domain.MethodQR), string(domain.MethodManual), string(domain.MethodAuto)}
	enums["suggestion_state"] = []string{string(domain.SuggestionOpen), string(domain.SuggestionReplied),
		string(domain.SuggestionClosed), string(domain.SuggestionOrdered)}
	for kind, values := range enums {
		for _, v := range values {
			used["enum."+kind+"."+v] = "domain"
		}
	}
	// Policy action names and asset names share the pattern but are not
	// messages.
	for _, a := range domain.Actions() {
		delete(used, string(a))
	}
	delete(used, "app.css")
	delete(used, "app.js")
	delete(used, "audit.key")  // the audit chain's key file
	delete(used, "audit.head") // and the head an instance witnessed
	return used
}

func TestEveryUsedKeyIsInBothCatalogues(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 20 {
		t.Fatalf("found only %d keys in the source; is the pattern broken?", len(used))
	}
	var missing []string
	for key, file := range used {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, key) {
				missing = append(missing, string(l)+": "+key+" (used in "+file+")")
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("missing catalogue key %s", m)
	}
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	zh, en := i18n.Keys(i18n.ZH), i18n.Keys(i18n.EN)
	in := func(keys []string, k string) bool {
		i := sort.SearchStrings(keys, k)
		return i < len(keys) && keys[i] == k
	}
	for _, k := range zh {
		if !in(en, k) {
			t.Errorf("key %q is in zh-CN but not in en", k)
		}
		if strings.TrimSpace(i18n.Translate(i18n.ZH, k)) == "" {
			t.Errorf("key %q is empty in zh-CN", k)
		}
	}
	for _, k := range en {
		if !in(zh, k) {
			t.Errorf("key %q is in en but not in zh-CN", k)
		}
		if strings.TrimSpace(i18n.Translate(i18n.EN, k)) == "" {
			t.Errorf("key %q is empty in en", k)
		}
	}
}

func TestParse(t *testing.T) {
	tests := map[string]i18n.Lang{
		"":                        i18n.ZH,
		"en":                      i18n.EN,
		"zh-CN":                   i18n.ZH,
		"en-US,en;q=0.9":          i18n.EN,
		"zh-CN,zh;q=0.9,en;q=0.8": i18n.ZH,
		"fr-FR":                   i18n.ZH,
		"garbage;;;":              i18n.ZH,
		"de-DE,en;q=0.5":          i18n.EN,
	}
	for in, want := range tests {
		if got := i18n.Parse(in); got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEnglishUsesASCIIQuotes: English text quotes with ASCII quotes; the
// full-width ones belong to Chinese and look wrong in an English sentence.
func TestEnglishUsesASCIIQuotes(t *testing.T) {
	names, err := filepath.Glob("*." + string(i18n.EN) + ".json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no English catalogue files (%v)", err)
	}
	const fullWidth = "“”‘’＂＇"
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, v := range m {
			if i := strings.IndexAny(v, fullWidth); i >= 0 {
				t.Errorf("%s: %q uses the full-width quote %q: %s", name, k, string([]rune(v[i:])[0]), v)
			}
		}
	}
}
