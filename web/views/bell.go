package views

import (
	"context"
	"strconv"

	"vanguard/domain"
)

type bellKey struct{}

// WithBell gives the layout a way to count the signed-in user's unread
// notifications. The count runs only when a page renders the layout.
func WithBell(ctx context.Context, count func(context.Context) int) context.Context {
	return context.WithValue(ctx, bellKey{}, count)
}

// bellCount is the unread count for the bell, and whether there is a bell.
func bellCount(ctx context.Context) (int, bool) {
	f, ok := ctx.Value(bellKey{}).(func(context.Context) int)
	if !ok {
		return 0, false
	}
	return f(ctx), true
}

// bellLabel is what a screen reader says of the bell: "通知，3 条未读".
func bellLabel(ctx context.Context, n int) string {
	if n == 0 {
		return T(ctx, "notify.bell_none")
	}
	return T(ctx, "notify.bell_label", n)
}

// badge is the number the bell shows; past 99 it says "99+".
func badge(n int) string {
	if n > 99 {
		return "99+"
	}
	return strconv.Itoa(n)
}

// PrefField is the name of the checkbox for one event and channel on the
// preferences form.
func PrefField(e domain.Event, ch domain.NoticeChannel) string {
	return string(e) + ":" + string(ch)
}

func eventKey(e domain.Event) string            { return "notify.event." + string(e) }
func channelKey(ch domain.NoticeChannel) string { return "notify.channel." + string(ch) }
