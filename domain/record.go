package domain

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Service records (志愿服务记录), star levels and certificates
// (志愿服务记录证明). A record of service — one person's hours in one
// activity — is never edited in place: a correction is a new version with a
// reason, the requester and, once decided, the approver; the hours that
// count are those of the latest approved version.

// StarThresholds are the cumulative service hours of each star level: 1★ at
// 100 h, 2★ at 300 h, 3★ at 600 h, 4★ at 1,000 h and 5★ at 1,500 h. They
// are compared in exact minutes: 99 h 59 min is no star.
var StarThresholds = []Minutes{HoursOf(100), HoursOf(300), HoursOf(600), HoursOf(1000), HoursOf(1500)}

// MaxStars is the highest star level.
var MaxStars = len(StarThresholds)

// StarLevel is the star level earned by hours of service: 0 below 100 h.
func StarLevel(h Minutes) int {
	n := 0
	for _, t := range StarThresholds {
		if h >= t {
			n++
		}
	}
	return n
}

// NextStar returns the hours at which the next star level begins, and false
// when hours already earn the highest.
func NextStar(h Minutes) (Minutes, bool) {
	n := StarLevel(h)
	if n >= MaxStars {
		return 0, false
	}
	return StarThresholds[n], true
}

// VersionState is where a version of a service record is.
type VersionState string

// The version states. The original recorded on completion is approved.
const (
	VersionApproved VersionState = "approved"
	VersionPending  VersionState = "pending"
	VersionRejected VersionState = "rejected"
)

// VersionStates lists the version states.
var VersionStates = []VersionState{VersionApproved, VersionPending, VersionRejected}

// ServiceRecord is one person's service in one activity: the hours that
// count now and how they came to be.
type ServiceRecord struct {
	ActivityID    int64
	ActivityTitle string
	OrgID         int64 // the organiser: the org that recorded the service
	OrgName       string
	OrgPath       string
	TeamID        int64
	TeamName      string
	OrderID       int64
	StartsAt      time.Time
	EndsAt        time.Time
	PersonID      int64
	PersonName    string
	Minutes       Minutes // the latest approved version
	RecordedAt    time.Time
	// The volunteer's own team and org, credited with the service.
	CreditTeamID   int64
	CreditTeamName string
	CreditOrgPath  string
	Versions       int  // versions on file, the original included; 1 when never corrected
	Corrections    int  // approved corrections
	Pending        bool // a correction waits for approval
	Categories     []ActivityCategory
}

// Target is the record as the policy sees it: the activity's organiser and
// leading team.
func (r ServiceRecord) Target() Target { return Target{OrgPath: r.OrgPath, TeamID: r.TeamID} }

// Scheduled is the activity's length, the most a record can hold.
func (r ServiceRecord) Scheduled() Minutes { return MinutesIn(r.EndsAt.Sub(r.StartsAt)) }

// Corrected reports whether an approved correction changed the original.
func (r ServiceRecord) Corrected() bool { return r.Corrections > 0 }

// RecordVersion is one version of a service record. Version 1 is the hours
// recorded when the activity was completed.
type RecordVersion struct {
	ID            int64
	ActivityID    int64
	PersonID      int64
	Version       int
	Minutes       Minutes
	Note          string
	Reason        string
	State         VersionState
	RequestedBy   int64
	RequestedName string
	RequestedAt   time.Time
	DecidedBy     int64
	DecidedName   string
	DecidedAt     time.Time
	DecisionNote  string
	// For the approval queue.
	ActivityTitle string
	PersonName    string
	OrgName       string
	OrgPath       string
	TeamID        int64
	Previous      Minutes // the hours that counted when it was asked for
}

// Target is the version's record as the policy sees it.
func (v RecordVersion) Target() Target { return Target{OrgPath: v.OrgPath, TeamID: v.TeamID} }

// Limits on records.
const (
	MaxReasonLen = 500
	MaxNoteLen   = 200
)

// CorrectionInput is a request to correct a record's hours.
type CorrectionInput struct {
	Minutes Minutes // -1 when what was typed is not a number
	Reason  string
	Note    string
}

// Validate checks a correction of a record whose hours now are current and
// whose activity lasted scheduled hours: the new hours lie within the
// schedule, differ from the current ones, and a reason is given.
func (in *CorrectionInput) Validate(current, scheduled Minutes) error {
	var v Validation
	in.Reason = v.Text("reason", in.Reason, MaxReasonLen)
	in.Note = v.Text("note", in.Note, MaxNoteLen)
	switch {
	case in.Minutes < 0:
		v.Add("hours", "err.record.hours")
	case in.Minutes > scheduled:
		v.Add("hours", "err.record.hours_over", scheduled.Hours())
	case in.Minutes == current:
		v.Add("hours", "err.record.hours_same")
	}
	v.Check(in.Reason != "", "reason", "err.record.reason_required")
	return v.Err()
}

// Award is an honour a person received, entered by an admin.
type Award struct {
	ID        int64
	PersonID  int64
	Title     string
	Date      string // YYYY-MM-DD
	Issuer    string
	CreatedBy int64
	CreatedAt time.Time
}

// Validate checks an award, trimming its text, against today's date.
func (a *Award) Validate(today string) error {
	var v Validation
	a.Title = ValidateName(&v, "title", a.Title, 100)
	a.Issuer = ValidateName(&v, "issuer", a.Issuer, 100)
	a.Date = strings.TrimSpace(a.Date)
	switch {
	case !ValidDate(a.Date):
		v.Add("date", "err.date_format")
	case a.Date > today:
		v.Add("date", "err.record.award_future")
	default:
		v.CheckDate("date", a.Date, EarliestHistory, today)
	}
	return v.Err()
}

// Certificate is a service certificate (志愿服务记录证明): a snapshot taken
// when it was issued. Later corrections of the records it sums do not change
// it.
type Certificate struct {
	ID           int64
	Number       string
	PersonID     int64
	PersonName   string
	IDCardMasked string
	OrgID        int64 // the issuing org: the one that recorded the service
	OrgName      string
	OrgPath      string
	From, To     string // the period, YYYY-MM-DD: the days of the first and last service when Services
	Services     bool   // it certifies chosen services, not all service in a period
	Minutes      Minutes
	PersonTimes  int
	Content      string // the categories of service, joined
	Responsible  string // 负责人
	Handler      string // 经办人: the issuing user
	IssuedBy     int64
	IssuedOn     string // YYYY-MM-DD, China time
	IssuedAt     time.Time
	RevokedAt    time.Time
	RevokedBy    int64
	RevokeReason string
	Items        []CertificateItem
	UserID       int64 // the volunteer's account, for their own list
	// The official form (民发〔2015〕149号), see certificate_official.go.
	VolunteerNo  string // 志愿者统一编号 at issue
	IDType       string // 证件类型: IDTypeResident when an ID number was on file
	Contact      string // 联系方式 of the issuer, entered at issue
	RegisterYear int
	RegisterSeq  int
	RegisterNo   string // 登记簿编号, e.g. 某单位〔2026〕第0007号
}

// Revoked reports whether the certificate was withdrawn.
func (c Certificate) Revoked() bool { return !c.RevokedAt.IsZero() }

// Target is the certificate as the policy sees it: its issuing org.
func (c Certificate) Target() Target { return Target{OrgPath: c.OrgPath} }

// CertificateItem is one activity listed on a certificate, as it stood
// when the certificate was issued.
type CertificateItem struct {
	Day     string
	Title   string
	OrgName string
	Minutes Minutes
}

// CertificateInput is what an issuer enters: a period, or chosen services
// (activities) of the person's record.
type CertificateInput struct {
	PersonID    int64
	OrgID       int64
	From, To    string
	Services    bool    // certify the chosen activities, not a period
	ActivityIDs []int64 // with Services
	Responsible string
	Contact     string // the issuer's phone, on the certificate
	RequestID   int64  // the volunteer's application it answers, if any
}

// MaxCertificateServices bounds the services one certificate lists by choice.
const MaxCertificateServices = 200

// Validate checks the input against today's date.
func (in *CertificateInput) Validate(today string) error {
	var v Validation
	in.From, in.To = strings.TrimSpace(in.From), strings.TrimSpace(in.To)
	v.Check(in.OrgID > 0, "org_id", "err.cert.org")
	in.Responsible = ValidateName(&v, "responsible", in.Responsible, 30)
	in.Contact = NormalizeContact(in.Contact)
	v.Check(in.Contact != "", "contact", "err.cert.contact_required")
	v.Check(in.Contact == "" || ValidContact(in.Contact), "contact", "err.cert.contact")
	if in.Services {
		in.ActivityIDs = uniqueIDs(in.ActivityIDs)
		v.Check(len(in.ActivityIDs) > 0, "activities", "err.cert.no_activities")
		v.Check(len(in.ActivityIDs) <= MaxCertificateServices, "activities", "err.cert.too_many", MaxCertificateServices)
		return v.Err()
	}
	in.ActivityIDs = nil
	switch {
	case !ValidDate(in.From):
		v.Add("from", "err.date_format")
	case in.From > today:
		v.Add("from", "err.cert.future")
	default:
		v.CheckDate("from", in.From, EarliestService, today)
	}
	switch {
	case !ValidDate(in.To):
		v.Add("to", "err.date_format")
	case ValidDate(in.From) && in.To < in.From:
		v.Add("to", "err.cert.period")
	default:
		v.CheckDate("to", in.To, EarliestService, LatestPlan)
	}
	return v.Err()
}

// certCheckAlphabet spells a certificate number's random part without the
// characters people confuse: 0/O, 1/I/L.
const certCheckAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CertCheckLen is the length of a certificate number's random part.
const CertCheckLen = 6

// CertificateNumber is a certificate's number: VG-year-serial-check, e.g.
// VG-2026-000123-K7QX2M. The serial counts certificates; the random check
// part keeps numbers from being enumerated.
func CertificateNumber(year int, serial int64, check string) string {
	s := strconv.FormatInt(serial, 10)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return "VG-" + strconv.Itoa(year) + "-" + s + "-" + check
}

// CertCheck turns random bytes into a check part of CertCheckLen characters.
func CertCheck(random []byte) string {
	var b strings.Builder
	for i := 0; i < CertCheckLen; i++ {
		b.WriteByte(certCheckAlphabet[int(random[i%len(random)])%len(certCheckAlphabet)])
	}
	return b.String()
}

var certNumberRE = regexp.MustCompile(`^VG-[0-9]{4}-[0-9]{6,12}-[` + certCheckAlphabet + `]{6}$`)

// NormalizeCertificateNumber reads a number as a person may type it: any
// case, with spaces, full-width dashes. It returns "" for anything that
// cannot be a number.
func NormalizeCertificateNumber(s string) string {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u3000", "", "－", "-", "—", "-", "–", "-").Replace(strings.TrimSpace(s))
	s = strings.ToUpper(s)
	if !certNumberRE.MatchString(s) {
		return ""
	}
	return s
}

// MaskName hides a name's middle: 张*明, 王*, 欧**娜. A one-character name
// is hidden whole.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[:1]) + "*"
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1:])
}

// ServiceCredit is the service credited to a team or an org: its
// volunteers' person-times, the distinct people and their time. Service is
// credited to the volunteer's own team and org, whoever organised the
// activity.
type ServiceCredit struct {
	People      int
	PersonTimes int
	Minutes     Minutes
}

// CertificateRequestState is where a volunteer's application is.
type CertificateRequestState string

// The application states.
const (
	RequestPending  CertificateRequestState = "pending"
	RequestAccepted CertificateRequestState = "accepted" // 受理: an admin took it on
	RequestIssued   CertificateRequestState = "issued"
	RequestDeclined CertificateRequestState = "declined"
)

// CertificateRequest is a volunteer's application for a certificate: a
// period or chosen services, and what it is for. It waits for an admin of
// the person's org.
type CertificateRequest struct {
	ID            int64
	PersonID      int64
	PersonName    string
	OrgID         int64 // the person's org: whose admins decide
	OrgName       string
	OrgPath       string
	From, To      string
	Services      bool
	ActivityIDs   []int64
	Purpose       string
	State         CertificateRequestState
	Reason        string // why it was declined
	CertificateID int64
	RequestedAt   time.Time
	DecidedAt     time.Time
	AcceptedAt    time.Time // zero until accepted (受理)
	AcceptedBy    string    // the name of who accepted it
}

// Waiting reports whether the application still waits for a certificate:
// pending, or accepted and not yet issued.
func (r CertificateRequest) Waiting() bool {
	return r.State == RequestPending || r.State == RequestAccepted
}

// Target is the application as the policy sees it: the person's org.
func (r CertificateRequest) Target() Target { return Target{OrgPath: r.OrgPath} }

// MaxPurposeLen bounds what a certificate is for.
const MaxPurposeLen = 100

// Validate checks an application against today's date.
func (r *CertificateRequest) Validate(today string) error {
	var v Validation
	r.Purpose = v.Line("purpose", r.Purpose, MaxPurposeLen)
	v.Check(r.Purpose != "", "purpose", "err.cert.purpose")
	if r.Services {
		r.ActivityIDs = uniqueIDs(r.ActivityIDs)
		v.Check(len(r.ActivityIDs) > 0, "activities", "err.cert.no_activities")
		v.Check(len(r.ActivityIDs) <= MaxCertificateServices, "activities", "err.cert.too_many", MaxCertificateServices)
		r.From, r.To = "", ""
		return v.Err()
	}
	r.ActivityIDs = nil
	r.From, r.To = strings.TrimSpace(r.From), strings.TrimSpace(r.To)
	switch {
	case !ValidDate(r.From):
		v.Add("from", "err.date_format")
	case r.From > today:
		v.Add("from", "err.cert.future")
	default:
		v.CheckDate("from", r.From, EarliestService, today)
	}
	switch {
	case !ValidDate(r.To):
		v.Add("to", "err.date_format")
	case ValidDate(r.From) && r.To < r.From:
		v.Add("to", "err.cert.period")
	default:
		v.CheckDate("to", r.To, EarliestService, LatestPlan)
	}
	return v.Err()
}
