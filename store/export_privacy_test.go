package store

import "context"

// CountForTest runs a SELECT COUNT(*) on the reader; -1 when it fails.
func CountForTest(s *Store, query string, args ...any) int {
	n := -1
	if err := s.r.QueryRowContext(context.Background(), s.q(query), args...).Scan(&n); err != nil {
		return -1
	}
	return n
}
