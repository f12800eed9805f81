package service_test

import (
	"strings"
	"testing"

	"vanguard/service"
)

// TestScrubJobError: what a mail server or gateway echoes back loses its
// addresses, numbers and openids, and a long error is cut short.
func TestScrubJobError(t *testing.T) {
	tests := []struct{ in, want string }{
		{"smtp: 550 5.1.1 <wang.fang@example.cn>: mailbox unavailable", "smtp: 550 5.1.1 <w***@example.cn>: mailbox unavailable"},
		{"gateway 400: bad number 13800001234", "gateway 400: bad number 138****1234"},
		{"openid oAbCdEfGhIjKlMnOpQrStUvWxYz0 not followed", "openid oAbC********************xYz0 not followed"},
		{"dial tcp 10.0.0.1:25:\n  connection refused", "dial tcp 10.0.0.1:25: connection refused"},
		{"order 20261207000123 failed", "order 20261207000123 failed"},
	}
	for _, tt := range tests {
		if got := service.ScrubJobError(tt.in); got != tt.want {
			t.Errorf("ScrubJobError(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := service.ScrubJobError(strings.Repeat("错", 500))
	if n := len([]rune(long)); n != service.MaxJobError || !strings.HasSuffix(long, "…") {
		t.Errorf("a long error is %d characters, want %d ending in …", n, service.MaxJobError)
	}
}

// TestSiteLink: only a path on this site is followed after opening a
// notification.
func TestSiteLink(t *testing.T) {
	for in, want := range map[string]string{
		"/orders/12":            "/orders/12",
		"/track?code=abc":       "/track?code=abc",
		"//evil.example/x":      "",
		"/\\evil.example":       "",
		"https://evil.example/": "",
		"javascript:alert(1)":   "",
		"orders/12":             "",
		"/a\nb":                 "",
		"":                      "",
	} {
		if got := service.SiteLink(in); got != want {
			t.Errorf("SiteLink(%q) = %q, want %q", in, got, want)
		}
	}
}
