package domain

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The official form of a service certificate (民发〔2015〕149号): the ID
// type, the issuer's contact, the register number, hours by period, and the
// 7-day notice (公示).

// IDTypeResident is the ID type a certificate names when an ID number is on
// file: the resident identity card.
const IDTypeResident = "居民身份证"

// NoticeDays is how long an issued certificate stays posted on the issuing
// org's notice page.
const NoticeDays = 7

// contactRE accepts a mobile number or a landline with an area code
// (0471-1234567, 04711234567), with an optional extension.
var contactRE = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$`)

// NormalizeContact strips spaces and turns full-width digits and dashes into
// ASCII.
func NormalizeContact(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '－' || r == '—' || r == '–':
			b.WriteByte('-')
		case r == ' ' || r == '\u3000' || r == '\u00a0':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ValidContact reports whether s (normalised) is a phone number a
// certificate may give as the issuer's contact.
func ValidContact(s string) bool { return contactRE.MatchString(s) }

// RegisterNumber is a certificate's number in its issuing org's register:
// the org's name, the year and the sequence, e.g. 某单位〔2026〕第0007号.
func RegisterNumber(orgName string, year, seq int) string {
	return fmt.Sprintf("%s〔%d〕第%04d号", orgName, year, seq)
}

// PeriodHours is the service of one month or quarter on a certificate.
type PeriodHours struct {
	Label       string // 2026-03 or 2026Q1
	PersonTimes int
	Minutes     Minutes
}

// ByPeriod sums the certificate's items by month, or by quarter when they
// span more than twelve months, in order.
func (c Certificate) ByPeriod() []PeriodHours {
	quarters := false
	if len(c.Items) > 0 {
		first, last := c.Items[0].Day, c.Items[len(c.Items)-1].Day
		if len(first) >= 7 && len(last) >= 7 {
			a, errA := time.Parse("2006-01", first[:7])
			b, errB := time.Parse("2006-01", last[:7])
			quarters = errA == nil && errB == nil && b.After(a.AddDate(0, 11, 0))
		}
	}
	var out []PeriodHours
	for _, it := range c.Items {
		if len(it.Day) < 7 {
			continue
		}
		label := it.Day[:7]
		if quarters {
			var m int
			fmt.Sscanf(it.Day[5:7], "%d", &m)
			label = fmt.Sprintf("%sQ%d", it.Day[:4], (m-1)/3+1)
		}
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, PeriodHours{Label: label})
		}
		out[len(out)-1].PersonTimes++
		out[len(out)-1].Minutes += it.Minutes
	}
	return out
}

// NoticeUntil is the last moment the certificate stays posted.
func (c Certificate) NoticeUntil() time.Time { return c.IssuedAt.AddDate(0, 0, NoticeDays) }
