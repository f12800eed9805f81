package domain

import "testing"

// TestTextRule walks the one rule for typed text: what a line and a
// multi-line text accept and the key each fault reports.
func TestTextRule(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		line     string // the key Line reports, "" when it accepts
		text     string // the key Text reports
		wantTrim string
	}{
		{"plain", "  额尔古纳市 拉布大林 ", "", "", "额尔古纳市 拉布大林"},
		{"tab", "甲\t乙", "err.text.line", "", "甲\t乙"},
		{"newline", "第一行\n第二行", "err.text.line", "", "第一行\n第二行"},
		{"crlf", "张三\r\n李四", "err.text.line", "", "张三\r\n李四"},
		{"nul", "a\x00b", "err.text", "err.text", "a\x00b"},
		{"bel", "a\x07b", "err.text", "err.text", "a\x07b"},
		{"esc", "a\x1b[31mb", "err.text", "err.text", "a\x1b[31mb"},
		{"del", "a\x7fb", "err.text", "err.text", "a\x7fb"},
		{"c1", "a\u0085b", "err.text", "err.text", "a\u0085b"},
		{"rlo", "林场\u202e路", "err.text", "err.text", "林场\u202e路"},
		{"lre", "\u202a甲", "err.text", "err.text", "\u202a甲"},
		{"isolate", "甲\u2066乙\u2069", "err.text", "err.text", "甲\u2066乙\u2069"},
		{"invalid utf8", "a\xffb", "err.text", "err.text", "a\xffb"},
		{"truncated utf8", "甲\xe4\xb8", "err.text", "err.text", "甲\xe4\xb8"},
		{"emoji and nbsp", "好\u00a0👍", "", "", "好\u00a0👍"},
		{"zero width joiner", "👨\u200d👩", "", "", "👨\u200d👩"},
		{"too long", "一二三四五六", "err.too_long", "err.too_long", "一二三四五六"},
	}
	for _, c := range cases {
		for _, kind := range []struct {
			name string
			want string
			f    func(*Validation, string, string, int) string
		}{{"line", c.line, (*Validation).Line}, {"text", c.text, (*Validation).Text}} {
			var v Validation
			got := kind.f(&v, "f", c.in, 5)
			if c.name != "too long" {
				v = Validation{}
				got = kind.f(&v, "f", c.in, 100)
			}
			if got != c.wantTrim {
				t.Errorf("%s %s(%q): returned %q, want %q", c.name, kind.name, c.in, got, c.wantTrim)
			}
			err := v.Err()
			switch {
			case kind.want == "" && err != nil:
				t.Errorf("%s %s(%q): got %v, want accepted", c.name, kind.name, c.in, err)
			case kind.want != "":
				e, ok := AsError(err)
				if !ok || e.Key != kind.want || e.Field != "f" || e.Code != CodeInvalid {
					t.Errorf("%s %s(%q): got %v, want %s on field f", c.name, kind.name, c.in, err, kind.want)
				}
			}
		}
	}
}

// TestTextRuleInValidations checks that the validations of typed input
// apply the rule: the faults of issue 12 each name their field.
func TestTextRuleInValidations(t *testing.T) {
	order := func(f func(*OrderInput)) error {
		in := OrderInput{Channel: ChannelOnline, RequesterName: "王芳", RequesterPhone: "13800000000",
			SiteID: 1, DateFrom: "2026-06-01", DateTo: "2026-06-02", Need: "修路"}
		f(&in)
		_, err := in.Validate("2026-05-01")
		return err
	}
	person := func(f func(*PersonInput)) error {
		in := PersonInput{Name: "张三", Gender: "male", Phone: "13800000000", PoliticalStatus: "masses", OrgID: 1}
		f(&in)
		_, err := in.Validate()
		return err
	}
	cases := []struct {
		name, field, key string
		err              error
	}{
		{"order address rlo", "address", "err.text", order(func(in *OrderInput) { in.Address = "路\u202e号"; in.SiteID = 0; in.RegionID = 3 })},
		{"order address newline", "address", "err.text.line", order(func(in *OrderInput) { in.Address = "路\n号"; in.SiteID = 0; in.RegionID = 3 })},
		{"order need nul", "need", "err.text", order(func(in *OrderInput) { in.Need = "修\x00路" })},
		{"order notes bel", "notes", "err.text", order(func(in *OrderInput) { in.Notes = "\a" })},
		{"order requester name crlf", "requester_name", "err.text.line", order(func(in *OrderInput) { in.RequesterName = "王\r\n芳" })},
		{"suggestion body del", "body", "err.text", func() error {
			_, err := SuggestionInput{Body: "意见\x7f"}.Validate()
			return err
		}()},
		{"suggestion name tab", "name", "err.text.line", func() error {
			_, err := SuggestionInput{Name: "王\t芳", Body: "意见"}.Validate()
			return err
		}()},
		{"evaluation comment esc", "comment", "err.text", func() error {
			_, err := EvaluationInput{Rating: 5, Comment: "好\x1b[2J"}.Validate()
			return err
		}()},
		{"person name crlf", "name", "err.text.line", person(func(in *PersonInput) { in.Name = "张\r\n三" })},
		{"person skill rlo", "skills", "err.text", person(func(in *PersonInput) { in.Skills = "驾驶,\u202e兽医" })},
		{"menu duration newline", "duration", "err.text.line", func() error {
			_, err := MenuItem{Title: "义诊", Duration: "半\n天", CategoryID: 1, Kind: MenuProfessional, Term: TermLong,
				Volunteers: 2, TeamIDs: []int64{1}}.Validate()
			return err
		}()},
	}
	for _, c := range cases {
		e, ok := AsError(c.err)
		if !ok {
			t.Errorf("%s: got %v, want invalid %s", c.name, c.err, c.field)
			continue
		}
		fe := e.Fields[c.field]
		if fe == nil || fe.Key != c.key {
			t.Errorf("%s: got %v (fields %v), want %s on %s", c.name, c.err, e.Fields, c.key, c.field)
		}
	}
}
