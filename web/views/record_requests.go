package views

import (
	"context"

	"vanguard/domain"
)

// errText is an application error's message in the reader's language.
func errText(ctx context.Context, err error) string {
	if e, ok := domain.AsError(err); ok && e.Code != domain.CodeInternal {
		return T(ctx, e.Key, e.Args...)
	}
	return T(ctx, "err.internal")
}
