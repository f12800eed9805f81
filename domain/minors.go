package domain

import (
	"strings"
	"time"
)

// AdultAge is the age from which a volunteer needs no guardian's consent.
const AdultAge = 18

// MaxMinAge is the highest minimum age an activity may set.
const MaxMinAge = 80

// BirthDateFromID returns the birth date (YYYY-MM-DD) written in an
// 18-character citizen ID number, or "" when s is not a valid one.
func BirthDateFromID(s string) string {
	s = NormalizeIDCard(s)
	if !ValidIDCard(s) {
		return ""
	}
	return s[6:10] + "-" + s[10:12] + "-" + s[12:14]
}

// AgeOn returns the age in whole years on day of a person born on birth
// (both YYYY-MM-DD, days in China time); -1 when either is not a date or
// day is before birth. Someone born on 29 February turns a year older on
// 1 March in common years, as the civil reckoning does (the day after 28
// February).
func AgeOn(birth, day string) int {
	b, err1 := time.Parse("2006-01-02", birth)
	d, err2 := time.Parse("2006-01-02", day)
	if err1 != nil || err2 != nil || d.Before(b) {
		return -1
	}
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || (d.Month() == b.Month() && d.Day() < b.Day()) {
		age--
	}
	return age
}

// GuardianRelations lists the relations a guardian may have, as catalogue
// key suffixes (minors.relation.*).
var GuardianRelations = []string{"father", "mother", "grandparent", "other"}

// ConsentInput is a guardian's consent as the form gives it.
type ConsentInput struct {
	Guardian, Relation, Phone, Date string
}

// Consent is a guardian's consent (监护人同意) on file.
type Consent struct {
	ID          int64
	PersonID    int64
	Guardian    string
	Relation    string
	Phone       string // full; pages show PhoneMasked
	PhoneMasked string
	Date        string
	RecordedBy  string
	CreatedAt   time.Time
}

// Validate checks a consent; today is the day in China time.
func (in ConsentInput) Validate(today string) (ConsentInput, error) {
	var v Validation
	out := ConsentInput{
		Guardian: ValidateName(&v, "guardian", in.Guardian, 40),
		Relation: strings.TrimSpace(in.Relation),
		Phone:    NormalizePhone(in.Phone),
		Date:     strings.TrimSpace(in.Date),
	}
	ok := false
	for _, r := range GuardianRelations {
		ok = ok || r == out.Relation
	}
	v.Check(ok, "relation", "err.minors.relation")
	if out.Phone == "" {
		v.Add("phone", "err.required")
	} else {
		v.Check(ValidPhone(out.Phone), "phone", "err.phone")
	}
	v.CheckDate("date", out.Date, EarliestService, today)
	return out, v.Err()
}

// InsuranceInput is a volunteer's insurance as the form gives it.
type InsuranceInput struct {
	Insurer, PolicyNo, ValidFrom, ValidUntil string
}

// Insurance is an insurance policy on file.
type Insurance struct {
	ID         int64
	PersonID   int64
	Insurer    string
	PolicyNo   string
	ValidFrom  string
	ValidUntil string
	RecordedBy string
	CreatedAt  time.Time
}

// Covers reports whether the policy is valid on every day from first to
// last (YYYY-MM-DD, both included).
func (in Insurance) Covers(first, last string) bool {
	return in.ValidFrom <= first && last <= in.ValidUntil
}

// Validate checks an insurance.
func (in InsuranceInput) Validate() (InsuranceInput, error) {
	var v Validation
	out := InsuranceInput{
		Insurer:    ValidateName(&v, "insurer", in.Insurer, 60),
		PolicyNo:   ValidateName(&v, "policy_no", in.PolicyNo, 40),
		ValidFrom:  strings.TrimSpace(in.ValidFrom),
		ValidUntil: strings.TrimSpace(in.ValidUntil),
	}
	from := v.CheckDate("valid_from", out.ValidFrom, EarliestService, LatestPlan)
	until := v.CheckDate("valid_until", out.ValidUntil, EarliestService, LatestPlan)
	if from && until {
		v.Check(out.ValidFrom <= out.ValidUntil, "valid_until", "err.minors.until_before_from")
	}
	return out, v.Err()
}

// ValidBirthDate checks a birth date staff type for a person without an ID
// number on file; today is the day in China time.
func ValidBirthDate(s, today string) (string, error) {
	var v Validation
	s = strings.TrimSpace(s)
	v.CheckDate("birth_date", s, "1900-01-01", today)
	return s, v.Err()
}

// Eligibility is what the sign-up rules know of a person for one activity.
type Eligibility struct {
	BirthDate         string // "" unknown
	HasConsent        bool
	MinAge            int
	RequiresInsurance bool
	Insured           bool // a policy covers the activity's days
	Day               string
}

// Age returns the age on the activity's first day, -1 when unknown.
func (e Eligibility) Age() int {
	if e.BirthDate == "" {
		return -1
	}
	return AgeOn(e.BirthDate, e.Day)
}

// Check returns the first unmet requirement as a conflict error, or nil.
// A person whose birth date is unknown is taken as an adult for the consent
// rule (staff record a birth date to make the rule apply) but cannot show
// a minimum age.
func (e Eligibility) Check() error {
	age := e.Age()
	if age >= 0 && age < AdultAge && !e.HasConsent {
		return Errorf(CodeConflict, "err.minors.no_consent")
	}
	if e.MinAge > 0 && age < e.MinAge {
		if age < 0 {
			return Errorf(CodeConflict, "err.minors.age_unknown", e.MinAge)
		}
		return Errorf(CodeConflict, "err.minors.too_young", e.MinAge)
	}
	if e.RequiresInsurance && !e.Insured {
		return Errorf(CodeConflict, "err.minors.no_insurance")
	}
	return nil
}

// ActivityRequirements are what an activity asks of its volunteers.
type ActivityRequirements struct {
	MinAge            int // 0 none
	RequiresInsurance bool
}

// Validate records the faults of the requirements in v.
func (r ActivityRequirements) Validate(v *Validation) {
	v.Check(r.MinAge >= 0 && r.MinAge <= MaxMinAge, "min_age", "err.minors.min_age", MaxMinAge)
}
