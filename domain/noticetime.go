package domain

import "time"

// NoticeTime writes a time for a notification's text, in Shanghai's time
// zone and in a form both languages read: "2026-12-08 09:00".
func NoticeTime(t time.Time) string {
	return t.In(Shanghai).Format("2006-01-02 15:04")
}
