package web

import (
	"net/http"
	"net/url"
	"strconv"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/web/views"
)

func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request) error {
	ctx, c := r.Context(), caller(r)
	f := peopleFilterFromQuery(r)
	people, total, err := s.svc.People(ctx, c, f)
	if err != nil {
		return err
	}
	lk, err := s.lookups(ctx)
	if err != nil {
		return err
	}
	teams, err := s.svc.Teams(ctx, c, store.TeamFilter{})
	if err != nil {
		return err
	}
	ids := make([]int64, len(people))
	for i, x := range people {
		ids[i] = x.ID
	}
	stars, err := s.svc.StarsOfPeople(ctx, c, ids)
	if err != nil {
		return err
	}
	q := peopleQuery(f)
	d := views.PeopleList{Stars: stars,
		Filter: f, People: people, Lookups: lk, Teams: teams,
		ExportURL:   "/people/export.xlsx?" + q.Encode(),
		CanWrite:    domain.Can(c.Principal, domain.ActRegistryWrite, domain.Target{}),
		CanAccounts: domain.Can(c.Principal, domain.ActUserManage, domain.Target{}),
		FilterQuery: q.Encode(),
		CanSeeHeld:  domain.ScopeOf(c.Principal, domain.ActRegistryRead).All,
		Pager:       pager("/people", q, f.Offset/peoplePageSize+1, total, peoplePageSize),
	}
	s.render(w, r, http.StatusOK, views.People(page(r, "people.title", "people"), d))
	return nil
}

// pager builds the previous and next links of a list.
func pager(base string, q url.Values, pg, total, size int) views.Pager {
	p := views.Pager{Page: pg, Total: total, Pages: (total + size - 1) / size}
	link := func(n int) string {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		v.Set("page", strconv.Itoa(n))
		return base + "?" + v.Encode()
	}
	if pg > 1 {
		p.PrevURL = link(pg - 1)
	}
	if pg < p.Pages {
		p.NextURL = link(pg + 1)
	}
	return p
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPerson(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, revealed, errs map[string]string) error {
	return s.renderPersonWith(w, r, status, revealed, errs, nil)
}

// renderPersonWith shows a person's page; account is the state of its
// account card after one of its forms, or nil.
func (s *Server) renderPersonWith(w http.ResponseWriter, r *http.Request, status int, revealed, errs map[string]string,
	account *views.PersonAccountForm) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, c := r.Context(), caller(r)
	p, err := s.svc.Person(ctx, c, id)
	if err != nil {
		return err
	}
	d := views.PersonView{
		Person: p, Revealed: revealed, Errors: errs, Saved: r.URL.Query().Get("saved") == "1",
		CanReveal: domain.Can(c.Principal, domain.ActPersonalRead, p.Target()),
		CanWrite:  domain.Can(c.Principal, domain.ActRegistryWrite, p.Target()),
		CanErase:  domain.Can(c.Principal, domain.ActPersonErase, p.Target()),
	}
	if p.Erased {
		d.CanWrite = false // an erased person is not edited again
	}
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	if d.SamePhone, err = s.svc.PhoneDuplicates(ctx, c, p); err != nil {
		return err
	}
	if d.Teams, err = s.svc.PersonTeams(ctx, c, id); err != nil {
		return err
	}
	if d.Trainings, err = s.svc.Trainings(ctx, c, id); err != nil {
		return err
	}
	if d.Stars, err = s.svc.PersonStars(ctx, c, id); err != nil {
		return err
	}
	if d.Account, err = s.svc.AccountOfPerson(ctx, c, p); err != nil {
		return err
	}
	if d.Minors, err = s.personMinors(r, p, d.CanWrite); err != nil {
		return err
	}
	if d.NationalConsent, err = s.svc.NationalConsent(ctx, p.ID); err != nil {
		return err
	}
	if account != nil {
		d.AccountForm = *account
	} else if n := r.URL.Query().Get("account"); n == "linked" || n == "unlinked" {
		d.AccountForm.Note = n
	}
	s.render(w, r, status, views.Person(page(r, "people.title", "people"), d))
	return nil
}

// revealPersonal shows one full number on the person's page; the service
// writes it to the audit log.
func (s *Server) revealPersonal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	field := r.PostForm.Get("field")
	v, err := s.svc.RevealPersonal(r.Context(), caller(r), id, field)
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, http.StatusOK, map[string]string{field: v}, nil)
}

// checkIDCard tells staff whether a number they hold is the person's ID
// number on file; the number itself is never shown.
func (s *Server) checkIDCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	match, err := s.svc.CheckIDCard(r.Context(), caller(r), id, r.PostForm.Get("id_card"))
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, nil, map[string]string{"id_check": errs["id_card"]})
	} else if err != nil {
		return err
	}
	result := "mismatch"
	if match {
		result = "match"
	}
	return s.renderPerson(w, r, http.StatusOK, map[string]string{"id_check": result}, nil)
}

func (s *Server) addTraining(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.svc.AddTraining(r.Context(), caller(r), domain.Training{
		PersonID: id, Date: r.PostForm.Get("date"), Subject: r.PostForm.Get("subject"), Minutes: parseHours(r.PostForm.Get("hours")),
	})
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, nil, errs)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) newPersonPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPersonForm(w, r, http.StatusOK, views.PersonFormData{})
}

func (s *Server) editPersonPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.Person(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	if err := domain.Authorize(principal(r), domain.ActRegistryWrite, p.Target()); err != nil {
		return err
	}
	in := domain.PersonInput{
		Name: p.Name, Gender: string(p.Gender), PoliticalStatus: string(p.PoliticalStatus),
		OrgID: p.OrgID, RegionID: p.RegionID, Skills: joinComma(p.Skills), Willingness: p.Willingness,
		Availability: p.Availability, Talents: p.Talents,
	}
	return s.renderPersonForm(w, r, http.StatusOK, views.PersonFormData{
		ID: id, In: in, IDMasked: p.IDCardMasked, PhoneMasked: domain.MaskPhone(p.Phone),
		EmailMasked: maskedEmail(p.Email), HasOpenID: p.WeChatOpenID != ""})
}

func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, f views.PersonFormData) error {
	ctx, c := r.Context(), caller(r)
	var err error
	if f.Orgs, err = s.svc.OrgTree(ctx, c); err != nil {
		return err
	}
	if f.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	title := "people.new"
	if f.ID != 0 {
		title = "people.edit"
	}
	s.render(w, r, status, views.PersonForm(page(r, title, "people"), f))
	return nil
}

func personInput(r *http.Request) domain.PersonInput {
	return domain.PersonInput{
		Name: r.PostForm.Get("name"), Gender: r.PostForm.Get("gender"), Phone: r.PostForm.Get("phone"),
		IDCard: r.PostForm.Get("id_card"), PoliticalStatus: r.PostForm.Get("political_status"),
		OrgID: formID(r, "org_id"), RegionID: formID(r, "region_id"), Skills: r.PostForm.Get("skills"),
		Willingness: formIDs(r, "willingness"), Availability: formAvailability(r), Talents: r.PostForm["talents"],
		Email: r.PostForm.Get("email"), WeChatOpenID: r.PostForm.Get("wechat_openid"),
		ClearEmail: r.PostForm.Get("clear_email") != "", ClearOpenID: r.PostForm.Get("clear_openid") != "",
	}
}

// maskedEmail is an email address on file as the edit form hints at it.
func maskedEmail(s string) string {
	if s == "" {
		return ""
	}
	return domain.MaskEmail(s)
}

func (s *Server) createPerson(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := personInput(r)
	id, err := s.svc.CreatePerson(r.Context(), caller(r), in)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderPersonForm(w, r, http.StatusUnprocessableEntity, views.PersonFormData{In: in, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) updatePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := personInput(r)
	err = s.svc.UpdatePerson(r.Context(), caller(r), id, in)
	if errs, ok := fieldErrors(r, err); ok {
		f := views.PersonFormData{ID: id, In: in, Errors: errs}
		if p, err := s.svc.Person(r.Context(), caller(r), id); err == nil {
			f.PhoneMasked, f.IDMasked = domain.MaskPhone(p.Phone), p.IDCardMasked
			f.EmailMasked, f.HasOpenID = maskedEmail(p.Email), p.WeChatOpenID != ""
		}
		return s.renderPersonForm(w, r, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMe(w, r, http.StatusOK, views.MeView{Saved: r.URL.Query().Get("saved") == "1"}, nil)
}

func (s *Server) renderMe(w http.ResponseWriter, r *http.Request, status int, d views.MeView, typed *domain.Person) error {
	ctx, c := r.Context(), caller(r)
	p, teams, err := s.svc.MyProfile(ctx, c)
	if domain.ErrCode(err) == domain.CodeNotFound {
		s.render(w, r, status, views.Me(page(r, "me.title", "me"), d))
		return nil
	} else if err != nil {
		return err
	}
	d.Found, d.Person, d.Teams = true, p, teams
	if d.Stars, err = s.svc.MyStars(ctx, c); err != nil {
		return err
	}
	if d.NationalConsent, err = s.svc.NationalConsent(ctx, p.ID); err != nil {
		return err
	}
	d.Skills = joinComma(p.Skills)
	if typed != nil {
		d.Person.Willingness, d.Person.Availability = typed.Willingness, typed.Availability
		d.Skills = joinComma(typed.Skills)
	}
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	if d.Insurance, err = s.myInsurance(r); err != nil {
		return err
	}
	if d.Calendar.Action == "" {
		f, err := s.svc.MyCalendarFeed(ctx, c)
		if d.Calendar, err = s.calendarView(r, "/me/calendar", false, f, err); err != nil {
			return err
		}
	}
	s.render(w, r, status, views.Me(page(r, "me.title", "me"), d))
	return nil
}

func (s *Server) updateMe(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	willing, avail := formIDs(r, "willingness"), formAvailability(r)
	err := s.svc.UpdateMyPreferences(r.Context(), caller(r), r.PostForm.Get("skills"), willing, avail)
	if errs, ok := fieldErrors(r, err); ok {
		typed := domain.Person{Skills: []string{r.PostForm.Get("skills")}, Willingness: willing, Availability: avail}
		return s.renderMe(w, r, http.StatusUnprocessableEntity, views.MeView{Errors: errs}, &typed)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/me?saved=1", http.StatusSeeOther)
	return nil
}

func joinComma(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += "，"
		}
		out += s
	}
	return out
}
