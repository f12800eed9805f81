package domain

import "testing"

func TestNormalizePhoneCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456": "123456", " 123 456 ": "123456", "１２３４５６": "123456",
		"12345": "", "1234567": "", "12345a": "", "": "", "١٢٣٤٥٦": "",
	} {
		if got := NormalizePhoneCode(in); got != want {
			t.Errorf("NormalizePhoneCode(%q) = %q, want %q", in, got, want)
		}
	}
}
