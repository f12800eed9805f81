package domain

import (
	"strings"
	"testing"
)

func TestStarLevel(t *testing.T) {
	tests := []struct {
		hours Minutes
		want  int
		next  Minutes
	}{
		// The thresholds hold to the minute: one minute short is the level below.
		{0, 0, 6000}, {5999, 0, 6000}, {6000, 1, 18000}, {6001, 1, 18000},
		{17999, 1, 18000}, {18000, 2, 36000}, {35970, 2, 36000}, {36000, 3, 60000}, {59999, 3, 60000},
		{60000, 4, 90000}, {89999, 4, 90000}, {90000, 5, 0}, {540000, 5, 0},
	}
	for _, tt := range tests {
		if got := StarLevel(tt.hours); got != tt.want {
			t.Errorf("StarLevel(%v) = %d, want %d", tt.hours, got, tt.want)
		}
		next, ok := NextStar(tt.hours)
		if next != tt.next || ok != (tt.next != 0) {
			t.Errorf("NextStar(%v) = %v, %v; want %v", tt.hours, next, ok, tt.next)
		}
	}
}

func TestCorrectionInputValidate(t *testing.T) {
	tests := []struct {
		in    CorrectionInput
		field string
		key   string
	}{
		{CorrectionInput{Minutes: 300, Reason: "签退漏扫"}, "", ""},
		{CorrectionInput{Minutes: 0, Reason: "没有到场"}, "", ""},
		{CorrectionInput{Minutes: -1, Reason: "x"}, "hours", "err.record.hours"},
		{CorrectionInput{Minutes: 481, Reason: "x"}, "hours", "err.record.hours_over"},
		{CorrectionInput{Minutes: 180, Reason: "x"}, "hours", "err.record.hours_same"},
		{CorrectionInput{Minutes: 240, Reason: "  "}, "reason", "err.record.reason_required"},
		{CorrectionInput{Minutes: 240, Reason: strings.Repeat("长", MaxReasonLen+1)}, "reason", "err.too_long"},
		{CorrectionInput{Minutes: 240, Reason: "x", Note: strings.Repeat("长", MaxNoteLen+1)}, "note", "err.too_long"},
	}
	for _, tt := range tests {
		in := tt.in
		err := in.Validate(180, 480)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%+v: %v, want valid", tt.in, err)
			}
			continue
		}
		e, ok := AsError(err)
		if !ok || e.Fields[tt.field] == nil || e.Fields[tt.field].Key != tt.key {
			t.Errorf("%+v: got %v, want %s on %s", tt.in, err, tt.key, tt.field)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张三明": "张*明", "王芳": "王*", "欧阳娜娜": "欧**娜", "李": "*", "": "",
		" 巴特尔 ": "巴*尔"} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCertificateNumber(t *testing.T) {
	check := CertCheck([]byte{0, 1, 2, 3, 250, 255})
	n := CertificateNumber(2026, 123, check)
	if !strings.HasPrefix(n, "VG-2026-000123-") || len(check) != CertCheckLen {
		t.Fatalf("CertificateNumber = %q", n)
	}
	if got := NormalizeCertificateNumber(" " + strings.ToLower(n) + " "); got != n {
		t.Errorf("Normalize(lower case) = %q, want %q", got, n)
	}
	if got := NormalizeCertificateNumber(strings.ReplaceAll(n, "-", "－")); got != n {
		t.Errorf("Normalize(full-width dashes) = %q, want %q", got, n)
	}
	for _, bad := range []string{"", "VG-2026-000123", "VG-2026-000123-ABC", "XX-2026-000123-ABCDEF", "VG-2026-12-ABCDEF",
		"VG-2026-000123-ABCDE0", "VG-2026-000123-ABCDEF'--"} {
		if got := NormalizeCertificateNumber(bad); got != "" {
			t.Errorf("Normalize(%q) = %q, want empty", bad, got)
		}
	}
	if n := CertificateNumber(2026, 1234567, "ABCDEF"); n != "VG-2026-1234567-ABCDEF" {
		t.Errorf("a long serial: %q", n)
	}
}

func TestCertificateInputValidate(t *testing.T) {
	ok := CertificateInput{PersonID: 1, OrgID: 2, From: "2026-01-01", To: "2026-06-30", Responsible: "张志强", Contact: "0471-1234567"}
	if err := ok.Validate("2026-07-01"); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	for _, tt := range []struct {
		mod   func(*CertificateInput)
		field string
	}{
		{func(in *CertificateInput) { in.OrgID = 0 }, "org_id"},
		{func(in *CertificateInput) { in.From = "2026-13-01" }, "from"},
		{func(in *CertificateInput) { in.From = "2026-07-02" }, "from"},
		{func(in *CertificateInput) { in.To = "2025-12-31" }, "to"},
		{func(in *CertificateInput) { in.Responsible = " " }, "responsible"},
	} {
		in := ok
		tt.mod(&in)
		e, _ := AsError(in.Validate("2026-07-01"))
		if e == nil || e.Fields[tt.field] == nil {
			t.Errorf("%+v: got %v, want an error on %s", in, e, tt.field)
		}
	}
}
