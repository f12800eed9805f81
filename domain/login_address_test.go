package domain

import "testing"

// TestLoginAddress: limits count an IPv4 address alone and an IPv6 address by
// its /64; an IPv4 address written as IPv6 is the IPv4 address.
func TestLoginAddress(t *testing.T) {
	for _, tt := range []struct{ ip, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"local", "local"},
	} {
		if got := LoginAddress(tt.ip); got != tt.want {
			t.Errorf("LoginAddress(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}
