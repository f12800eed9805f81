package service

import (
	"context"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/report"
	"vanguard/store"
)

// A volunteer downloads everything the platform holds about them, as JSON
// or as a workbook. The person is the one linked to the caller's own
// account; the request names nobody, so no one else's data can be asked
// for. The file shows their own phone in full (they gave it and may need to
// check it) but their ID number only masked: a downloaded file travels
// easily, and the full number is the one thing that should not travel with
// it. Every download is audited as an export.

// OwnData is a volunteer's own data, in the shape of the JSON download.
type OwnData struct {
	ExportedAt          string           `json:"exported_at"`
	Person              OwnPerson        `json:"person"`
	Teams               []OwnTeam        `json:"teams"`
	Activities          []OwnActivity    `json:"activities"`
	TotalHours          string           `json:"total_hours"`
	PersonTimes         int              `json:"person_times"`
	Records             []OwnRecord      `json:"service_records"`
	Certificates        []OwnCertificate `json:"certificates"`
	CertificateRequests []OwnCertRequest `json:"certificate_requests"`
	Awards              []OwnAward       `json:"awards"`
	Trainings           []OwnTraining    `json:"trainings"`
	Registration        *OwnRegistration `json:"registration,omitempty"`
}

// OwnPerson is the volunteer's registry entry.
type OwnPerson struct {
	Name            string   `json:"name"`
	VolunteerNo     string   `json:"volunteer_no"`
	Gender          string   `json:"gender"`
	Phone           string   `json:"phone"`
	Email           string   `json:"email"`
	WeChatOpenID    string   `json:"wechat_openid"`
	IDCardMasked    string   `json:"id_card_masked"`
	PoliticalStatus string   `json:"political_status"`
	Org             string   `json:"org"`
	Region          string   `json:"region"`
	Skills          []string `json:"skills"`
	Willingness     string   `json:"willingness"`
	Availability    string   `json:"availability"`
	Talents         string   `json:"talents"`
	RegisteredOn    string   `json:"registered_on"`
}

// OwnTeam is one membership.
type OwnTeam struct {
	Team     string `json:"team"`
	Role     string `json:"role"`
	JoinedOn string `json:"joined_on"`
	LeftOn   string `json:"left_on"`
}

// OwnActivity is one activity signed up for or attended.
type OwnActivity struct {
	Title     string `json:"title"`
	Organiser string `json:"organiser"`
	Team      string `json:"team"`
	Starts    string `json:"starts"`
	Ends      string `json:"ends"`
	Signup    string `json:"signup"`
	Attended  bool   `json:"attended"`
	Hours     string `json:"hours"`
}

// OwnRecord is one service record (hours credited for an activity).
type OwnRecord struct {
	Activity    string `json:"activity"`
	Day         string `json:"day"`
	Organiser   string `json:"organiser"`
	CreditTeam  string `json:"credited_team"`
	Hours       string `json:"hours"`
	Corrections int    `json:"corrections"`
	Pending     bool   `json:"correction_pending"`
}

// OwnCertificate is one service certificate issued.
type OwnCertificate struct {
	Number      string `json:"number"`
	Issuer      string `json:"issuer"`
	From        string `json:"from"`
	To          string `json:"to"`
	Hours       string `json:"hours"`
	PersonTimes int    `json:"person_times"`
	IssuedOn    string `json:"issued_on"`
	Revoked     bool   `json:"revoked"`
}

// OwnCertRequest is one application for a certificate.
type OwnCertRequest struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Purpose string `json:"purpose"`
	State   string `json:"state"`
	Asked   string `json:"asked_on"`
}

// OwnAward is one award.
type OwnAward struct {
	Title  string `json:"title"`
	Date   string `json:"date"`
	Issuer string `json:"issuer"`
}

// OwnTraining is one training.
type OwnTraining struct {
	Date    string `json:"date"`
	Subject string `json:"subject"`
	Hours   string `json:"hours"`
}

// OwnRegistration is the self-registration the account came from.
type OwnRegistration struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Org     string `json:"org"`
	Team    string `json:"team"`
	State   string `json:"state"`
	AskedOn string `json:"asked_on"`
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.ChinaZone).Format(time.DateOnly)
}

func minute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.ChinaZone).Format("2006-01-02 15:04")
}

// MyData gathers the caller's own data and audits the download in format
// ("json" or "xlsx").
func (s *Service) MyData(ctx context.Context, c domain.Caller, format string) (OwnData, error) {
	if err := domain.Authorize(c.Principal, domain.ActOwnData, domain.Target{UserID: c.UserID}); err != nil {
		return OwnData{}, err
	}
	p, err := s.store.PersonByUserID(ctx, c.UserID)
	if err != nil {
		return OwnData{}, err
	}
	d, err := s.ownData(ctx, p)
	if err != nil {
		return d, err
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		return tx.Audit("person.own_data_export", "person", strconv.FormatInt(p.ID, 10), nil,
			map[string]any{"format": format, "activities": len(d.Activities), "certificates": len(d.Certificates)})
	})
	return d, err
}

func (s *Service) ownData(ctx context.Context, p domain.Person) (OwnData, error) {
	cats, err := s.categoryNames(ctx)
	if err != nil {
		return OwnData{}, err
	}
	d := OwnData{ExportedAt: minute(s.store.Now()), Person: OwnPerson{Name: p.Name, VolunteerNo: s.VolunteerNumber(p.ID), Gender: report.GenderName(p.Gender),
		Phone: p.Phone, Email: p.Email, WeChatOpenID: p.WeChatOpenID, IDCardMasked: p.IDCardMasked, PoliticalStatus: report.StatusName(p.PoliticalStatus), Org: p.OrgName,
		Region: p.RegionName, Skills: append([]string{}, p.Skills...), Willingness: cats.names(p.Willingness),
		Availability: report.AvailabilityText(p.Availability), Talents: report.TalentsText(p.Talents), RegisteredOn: day(p.CreatedAt)}}
	teams, err := s.store.PersonTeams(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, m := range teams {
		d.Teams = append(d.Teams, OwnTeam{Team: m.TeamName, Role: report.RoleName(m.Role), JoinedOn: m.JoinedOn, LeftOn: m.LeftOn})
	}
	acts, total, err := s.store.PersonActivities(ctx, p.ID)
	if err != nil {
		return d, err
	}
	d.TotalHours = total.Hours()
	for _, pa := range acts {
		if pa.Attended {
			d.PersonTimes++
		}
		d.Activities = append(d.Activities, OwnActivity{Title: pa.Activity.Title, Organiser: pa.Activity.OrgName,
			Team: pa.Activity.TeamName, Starts: minute(pa.Activity.StartsAt), Ends: minute(pa.Activity.EndsAt),
			Signup: report.SignupName(pa.Signup), Attended: pa.Attended, Hours: pa.Minutes.Hours()})
	}
	records, err := s.store.PersonRecords(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, r := range records {
		d.Records = append(d.Records, OwnRecord{Activity: r.ActivityTitle, Day: day(r.StartsAt), Organiser: r.OrgName,
			CreditTeam: r.CreditTeamName, Hours: r.Minutes.Hours(), Corrections: r.Corrections, Pending: r.Pending})
	}
	certs, _, err := s.store.ListCertificates(ctx, store.CertificateFilter{Scope: domain.Scope{All: true}, PersonID: p.ID, Limit: 1000})
	if err != nil {
		return d, err
	}
	for _, ct := range certs {
		d.Certificates = append(d.Certificates, OwnCertificate{Number: ct.Number, Issuer: ct.OrgName, From: ct.From, To: ct.To,
			Hours: ct.Minutes.Hours(), PersonTimes: ct.PersonTimes, IssuedOn: ct.IssuedOn, Revoked: !ct.RevokedAt.IsZero()})
	}
	reqs, err := s.store.PersonCertificateRequests(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, r := range reqs {
		d.CertificateRequests = append(d.CertificateRequests, OwnCertRequest{From: r.From, To: r.To, Purpose: r.Purpose,
			State: report.CertRequestStateName(r.State), Asked: day(r.RequestedAt)})
	}
	awards, err := s.store.PersonAwards(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, a := range awards {
		d.Awards = append(d.Awards, OwnAward{Title: a.Title, Date: a.Date, Issuer: a.Issuer})
	}
	trainings, err := s.store.ListTrainings(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, t := range trainings {
		d.Trainings = append(d.Trainings, OwnTraining{Date: t.Date, Subject: t.Subject, Hours: t.Minutes.Hours()})
	}
	if p.UserID != 0 {
		r, err := s.store.RegistrationByUser(ctx, p.UserID)
		switch {
		case err == nil:
			d.Registration = &OwnRegistration{Name: r.Name, Phone: r.Phone, Org: r.OrgName, Team: r.TeamName,
				State: report.RegistrationStateName(r.State), AskedOn: day(r.CreatedAt)}
		case domain.ErrCode(err) != domain.CodeNotFound:
			return d, err
		}
	}
	return d, nil
}

// MyDataBook writes the caller's own data as a workbook, one sheet per
// kind, and audits the download.
func (s *Service) MyDataBook(ctx context.Context, c domain.Caller) (Export, error) {
	d, err := s.MyData(ctx, c, "xlsx")
	if err != nil {
		return Export{}, err
	}
	book, err := report.OwnDataBook(report.OwnData{
		Person: [][2]string{{"姓名", d.Person.Name}, {"志愿者编号", d.Person.VolunteerNo}, {"性别", d.Person.Gender}, {"手机号", d.Person.Phone},
			{"电子邮箱", d.Person.Email}, {"微信 openid", d.Person.WeChatOpenID},
			{"身份证号（已遮盖）", d.Person.IDCardMasked}, {"政治面貌", d.Person.PoliticalStatus}, {"所在单位", d.Person.Org},
			{"所在地区", d.Person.Region}, {"特长", joinZH(d.Person.Skills)}, {"服务意愿", d.Person.Willingness},
			{"可服务时间", d.Person.Availability}, {"人才标签", d.Person.Talents}, {"登记日期", d.Person.RegisteredOn},
			{"累计服务时长（小时）", d.TotalHours}, {"服务人次", strconv.Itoa(d.PersonTimes)}, {"导出时间", d.ExportedAt}},
		Teams: rows(d.Teams, func(t OwnTeam) []string { return []string{t.Team, t.Role, t.JoinedOn, t.LeftOn} }),
		Activities: rows(d.Activities, func(a OwnActivity) []string {
			return []string{a.Title, a.Organiser, a.Team, a.Starts, a.Ends, a.Signup, yesNo(a.Attended), a.Hours}
		}),
		Records: rows(d.Records, func(r OwnRecord) []string {
			return []string{r.Activity, r.Day, r.Organiser, r.CreditTeam, r.Hours, strconv.Itoa(r.Corrections), yesNo(r.Pending)}
		}),
		Certificates: rows(d.Certificates, func(ct OwnCertificate) []string {
			return []string{ct.Number, ct.Issuer, ct.From, ct.To, ct.Hours, strconv.Itoa(ct.PersonTimes), ct.IssuedOn, yesNo(ct.Revoked)}
		}),
		Requests:  rows(d.CertificateRequests, func(r OwnCertRequest) []string { return []string{r.From, r.To, r.Purpose, r.State, r.Asked} }),
		Awards:    rows(d.Awards, func(a OwnAward) []string { return []string{a.Title, a.Date, a.Issuer} }),
		Trainings: rows(d.Trainings, func(t OwnTraining) []string { return []string{t.Date, t.Subject, t.Hours} }),
	})
	if err != nil {
		return Export{}, err
	}
	if d.Registration != nil {
		r := d.Registration
		if err := book.AppendPairs(report.OwnRegistrationSheet, [][2]string{{"姓名", r.Name}, {"手机号", r.Phone},
			{"所选单位", r.Org}, {"申请加入的服务队", r.Team}, {"状态", r.State}, {"申请日期", r.AskedOn}}); err != nil {
			book.Close()
			return Export{}, err
		}
	}
	today := s.store.Now().In(china).Format("20060102")
	return Export{Book: book, Name: "我的数据-" + today, ASCIIName: "my-data-" + today, Rows: len(d.Activities)}, nil
}

func rows[T any](xs []T, f func(T) []string) [][]string {
	out := make([][]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func joinZH(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "、"
		}
		out += x
	}
	return out
}
