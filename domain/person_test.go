package domain

import (
	"reflect"
	"strings"
	"testing"
)

func TestValidIDCard(t *testing.T) {
	tests := map[string]bool{
		"110101199003074258": true,  // check digit 8
		"11010519491231002X": true,  // check character X
		"110101199003074257": false, // wrong check digit
		"11010119900307425":  false, // 17 characters
		"110101199013074251": false, // month 13
		"1101011990030742x8": false, // a letter inside
		"":                   false,
	}
	for id, want := range tests {
		if got := ValidIDCard(id); got != want {
			t.Errorf("ValidIDCard(%q) = %v, want %v", id, got, want)
		}
	}
	if got := NormalizeIDCard(" 11010519491231002x "); got != "11010519491231002X" {
		t.Errorf("NormalizeIDCard = %q", got)
	}
}

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{"+86 138-1234-5678": "13812345678", "138 1234 5678": "13812345678"} {
		if got := NormalizePhone(in); got != want || !ValidPhone(got) {
			t.Errorf("NormalizePhone(%q) = %q (valid %v), want %q", in, got, ValidPhone(got), want)
		}
	}
	for _, bad := range []string{"12812345678", "1381234567", "138123456789", "1381234567a", ""} {
		if ValidPhone(bad) {
			t.Errorf("ValidPhone(%q) = true", bad)
		}
	}
}

func TestSplitList(t *testing.T) {
	got := SplitList(" 兽医、驾驶,兽医 ；电工\n\n")
	if want := []string{"兽医", "驾驶", "电工"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SplitList = %q, want %q", got, want)
	}
}

// FuzzPersonInput checks that validation never panics and that whatever it
// accepts is normalised: a valid phone, a valid or empty ID number, and
// trimmed, unique skills.
func FuzzPersonInput(f *testing.F) {
	f.Add("张三", "male", "13812345678", "110101199003074258", "party_member", "兽医、驾驶")
	f.Add(" ", "female", "+86 13812345678", "", "masses", ",,,")
	f.Fuzz(func(t *testing.T, name, gender, phone, id, status, skills string) {
		p, err := PersonInput{Name: name, Gender: gender, Phone: phone, IDCard: id, PoliticalStatus: status,
			OrgID: 1, Skills: skills}.Validate()
		if err != nil {
			if _, ok := AsError(err); !ok {
				t.Fatalf("Validate returned a non-domain error: %v", err)
			}
			return
		}
		if !ValidPhone(p.Phone) || (p.IDCard != "" && !ValidIDCard(p.IDCard)) || p.Name != strings.TrimSpace(p.Name) {
			t.Fatalf("accepted %+v", p)
		}
		seen := map[string]bool{}
		for _, s := range p.Skills {
			if s == "" || seen[s] {
				t.Fatalf("skills %q", p.Skills)
			}
			seen[s] = true
		}
	})
}
