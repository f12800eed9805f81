package domain

import (
	"regexp"
	"strings"
	"time"
)

// Gender of a person.
type Gender string

// The genders recorded.
const (
	GenderMale   Gender = "male"
	GenderFemale Gender = "female"
)

// PoliticalStatus is a person's political standing.
type PoliticalStatus string

// The political statuses.
const (
	PartyMember        PoliticalStatus = "party_member"
	ProbationaryMember PoliticalStatus = "probationary"
	LeagueMember       PoliticalStatus = "league_member"
	Activist           PoliticalStatus = "activist"
	Masses             PoliticalStatus = "masses"
)

// PoliticalStatuses lists them in the order forms show.
var PoliticalStatuses = []PoliticalStatus{PartyMember, ProbationaryMember, LeagueMember, Activist, Masses}

// Talent tags of the talent pool.
const (
	TalentBackbone   = "backbone"
	TalentSpecialist = "specialist"
)

// TalentTags lists the talent tags.
var TalentTags = []string{TalentBackbone, TalentSpecialist}

// Availability is a set of weekly time slots, one bit each:
// weekdays × (morning, afternoon, evening), then weekends × the same.
type Availability uint8

// The slots.
const (
	WeekdayMorning Availability = 1 << iota
	WeekdayAfternoon
	WeekdayEvening
	WeekendMorning
	WeekendAfternoon
	WeekendEvening
)

// Slots lists every slot with its catalogue key suffix.
var Slots = []struct {
	Slot Availability
	Key  string
}{
	{WeekdayMorning, "weekday_morning"}, {WeekdayAfternoon, "weekday_afternoon"}, {WeekdayEvening, "weekday_evening"},
	{WeekendMorning, "weekend_morning"}, {WeekendAfternoon, "weekend_afternoon"}, {WeekendEvening, "weekend_evening"},
}

// Has reports whether slot s is in the set.
func (a Availability) Has(s Availability) bool { return a&s != 0 }

// Person is a registered person. Phone is the full number, which only the
// store and services hold: pages and exports show MaskedPhone unless the
// viewer may and asked to see it. The ID-card number is never loaded into a
// Person; only whether one is on file and its masked form.
type Person struct {
	ID              int64
	Name            string
	Gender          Gender
	Phone           string
	HasIDCard       bool
	IDCardMasked    string
	PoliticalStatus PoliticalStatus
	OrgID           int64
	OrgName         string
	OrgPath         string
	RegionID        int64
	RegionName      string
	Skills          []string
	Willingness     []int64 // category ids
	Availability    Availability
	Talents         []string
	UserID          int64  // the account of this person, if any
	Email           string // for notifications; "" when none, masked on pages like the phone
	WeChatOpenID    string // for notifications through the gateway; set by staff only
	CreatedAt       time.Time
	Erased          bool // erased by the committee: only a pseudonym and the service record remain
	// VolunteerNo is the volunteer number (志愿者统一编号), filled by the
	// service from the id (see VolunteerCodec); "" until then.
	VolunteerNo string
}

// Target is the person as an object of the policy.
func (p Person) Target() Target { return Target{OrgPath: p.OrgPath, UserID: p.UserID} }

// Training is one training a person took.
type Training struct {
	ID       int64
	PersonID int64
	Date     string // YYYY-MM-DD
	Subject  string
	Minutes  Minutes // -1 when what was typed is not a number
}

// MaxTraining is the longest training recorded, 1,000 hours.
var MaxTraining = HoursOf(1000)

var mobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// NormalizePhone strips spaces, dashes and a +86 prefix.
func NormalizePhone(s string) string {
	s = strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "+86")
	return s
}

// ValidPhone reports whether s is a mainland mobile number (11 digits, 13x–19x).
func ValidPhone(s string) bool { return mobile.MatchString(s) }

// NormalizeIDCard upper-cases the check character and strips spaces.
func NormalizeIDCard(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// ValidIDCard checks an 18-character citizen ID number (GB 11643-1999): 17
// digits, a valid birth date, and the ISO 7064 MOD 11-2 check character.
func ValidIDCard(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	if s[17] != idCheck[sum%11] {
		return false
	}
	birth, err := time.Parse("20060102", s[6:14])
	return err == nil && birth.Year() >= 1900 && birth.Before(time.Now())
}

// PersonInput is a person as a form or an import row gives it, before
// validation.
type PersonInput struct {
	Name            string
	Gender          string
	Phone           string
	IDCard          string
	PoliticalStatus string
	OrgID           int64
	RegionID        int64
	Skills          string // comma- or 、-separated
	Willingness     []int64
	Availability    Availability
	Talents         []string
	Email           string // optional; on an edit, "" keeps the one on file
	WeChatOpenID    string // optional; on an edit, "" keeps the one on file
	ClearEmail      bool   // on an edit: remove the email address
	ClearOpenID     bool   // on an edit: remove the WeChat openid
}

// ValidPerson is a validated PersonInput.
type ValidPerson struct {
	Name            string
	Gender          Gender
	Phone           string
	IDCard          string // normalised; "" when none
	PoliticalStatus PoliticalStatus
	OrgID           int64
	RegionID        int64
	Skills          []string
	Willingness     []int64
	Availability    Availability
	Talents         []string
	Email           string // normalised; "" when none
	WeChatOpenID    string // "" when none
}

// Validate checks a person's fields and returns them normalised, or an
// invalid error naming every bad field. Whether the org, region and
// categories exist is for the service to check.
func (in PersonInput) Validate() (ValidPerson, error) {
	var v Validation
	out := ValidPerson{
		Name:         ValidateName(&v, "name", in.Name, 40),
		Gender:       Gender(strings.TrimSpace(in.Gender)),
		Phone:        NormalizePhone(in.Phone),
		IDCard:       NormalizeIDCard(in.IDCard),
		OrgID:        in.OrgID,
		RegionID:     in.RegionID,
		Skills:       SplitList(in.Skills),
		Willingness:  in.Willingness,
		Availability: in.Availability & 0x3f,
		Email:        NormalizeEmail(in.Email),
		WeChatOpenID: strings.TrimSpace(in.WeChatOpenID),
	}
	v.Check(out.Email == "" || ValidEmail(out.Email), "email", "err.email")
	v.Check(out.WeChatOpenID == "" || ValidOpenID(out.WeChatOpenID), "wechat_openid", "err.openid")
	out.PoliticalStatus = PoliticalStatus(strings.TrimSpace(in.PoliticalStatus))
	v.Check(out.Gender == GenderMale || out.Gender == GenderFemale, "gender", "err.gender")
	if out.Phone == "" {
		v.Add("phone", "err.required")
	} else {
		v.Check(ValidPhone(out.Phone), "phone", "err.phone")
	}
	v.Check(out.IDCard == "" || ValidIDCard(out.IDCard), "id_card", "err.id_card")
	ok := false
	for _, s := range PoliticalStatuses {
		ok = ok || s == out.PoliticalStatus
	}
	v.Check(ok, "political_status", "err.political_status")
	v.Check(in.OrgID > 0, "org_id", "err.required")
	v.Check(len(out.Skills) <= 20, "skills", "err.too_many_items", 20)
	for _, s := range out.Skills {
		v.Check(CleanLine(s), "skills", "err.text")
		v.Check(len([]rune(s)) <= 30, "skills", "err.too_long", 30)
	}
	for _, t := range in.Talents {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if t != TalentBackbone && t != TalentSpecialist {
			v.Add("talents", "err.talent")
			continue
		}
		out.Talents = appendUnique(out.Talents, t)
	}
	return out, v.Err()
}

// SplitList splits a list typed by a person — "畜牧, 兽医、驾驶" — into
// trimmed, unique items.
func SplitList(s string) []string {
	f := func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' }
	var out []string
	for _, item := range strings.FieldsFunc(s, f) {
		if item = strings.TrimSpace(item); item != "" {
			out = appendUnique(out, item)
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
