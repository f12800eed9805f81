package domain_test

import (
	"testing"

	"vanguard/domain"
)

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"wangfang@example.cn":         true,
		"wang.fang+vg@mail.gov.cn":    true,
		"":                            false,
		"wangfang":                    false,
		"wangfang@localhost":          false,
		"王芳 <wangfang@example.cn>":    false,
		"wang fang@example.cn":        false,
		"wangfang@example.cn\r\nBcc:": false,
		"@example.cn":                 false,
		"wangfang@.cn":                false,
	} {
		if got := domain.ValidEmail(in); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", in, got, want)
		}
	}
	if got := domain.NormalizeEmail(" Wang.Fang@Example.CN "); got != "Wang.Fang@example.cn" {
		t.Errorf("NormalizeEmail = %q", got)
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"wangfang@example.cn": "w***@example.cn",
		"王芳@example.cn":       "王***@example.cn",
		"nobody":              "******",
	} {
		if got := domain.MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidOpenID(t *testing.T) {
	for in, want := range map[string]bool{
		"oAbCdEfGhIjKlMnOpQrStUvWxYz0": true,
		"short":                        false,
		"bad id with spaces and more!": false,
	} {
		if got := domain.ValidOpenID(in); got != want {
			t.Errorf("ValidOpenID(%q) = %v, want %v", in, got, want)
		}
	}
}
