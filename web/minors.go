package web

import (
	"context"
	"net/http"
	"strconv"

	"vanguard/domain"
	"vanguard/web/views"
)

// Minors, guardian consent and insurance: the forms on the person's page
// and on /me. A refused form shows its page again with the errors; what
// was typed travels to the page's renderer in the request's context.

type minorsFormsKey struct{}

// minorsForms returns the state of a refused minors form, if any.
func minorsForms(r *http.Request) views.MinorsForms {
	f, _ := r.Context().Value(minorsFormsKey{}).(views.MinorsForms)
	return f
}

func withMinorsForms(r *http.Request, f views.MinorsForms) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), minorsFormsKey{}, f))
}

// personMinors builds the person page's minors section.
func (s *Server) personMinors(r *http.Request, p domain.Person, canWrite bool) (views.MinorsSection, error) {
	f, err := s.svc.PersonMinorsFile(r.Context(), caller(r), p.ID)
	return views.MinorsSection{PersonID: p.ID, File: f, Today: domain.ChinaDay(s.svc.Now()), CanWrite: canWrite,
		Forms: minorsForms(r)}, err
}

// myInsurance builds /me's insurance section.
func (s *Server) myInsurance(r *http.Request) (views.MinorsSection, error) {
	f, err := s.svc.MyMinorsFile(r.Context(), caller(r))
	return views.MinorsSection{File: f, Today: domain.ChinaDay(s.svc.Now()), CanWrite: true, Forms: minorsForms(r)}, err
}

func insuranceForm(r *http.Request) domain.InsuranceInput {
	pf := r.PostForm
	return domain.InsuranceInput{Insurer: pf.Get("insurer"), PolicyNo: pf.Get("policy_no"),
		ValidFrom: pf.Get("valid_from"), ValidUntil: pf.Get("valid_until")}
}

// minorsPost runs one of the person page's minors forms.
func (s *Server) minorsPost(form string, run func(r *http.Request, id int64, f *views.MinorsForms) error) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		f := views.MinorsForms{Form: form}
		err = run(r, id, &f)
		if errs, ok := fieldErrors(r, err); ok {
			f.Errors = errs
			return s.renderPerson(w, withMinorsForms(r, f), http.StatusUnprocessableEntity, nil, nil)
		} else if err != nil {
			return err
		}
		http.Redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"?saved=1#minors", http.StatusSeeOther)
		return nil
	}
}

func (s *Server) recordConsent() handler {
	return s.minorsPost("consent", func(r *http.Request, id int64, f *views.MinorsForms) error {
		pf := r.PostForm
		f.Consent = domain.ConsentInput{Guardian: pf.Get("guardian"), Relation: pf.Get("relation"),
			Phone: pf.Get("phone"), Date: pf.Get("date")}
		return s.svc.RecordConsent(r.Context(), caller(r), id, f.Consent)
	})
}

func (s *Server) recordInsurance() handler {
	return s.minorsPost("insurance", func(r *http.Request, id int64, f *views.MinorsForms) error {
		f.Insurance = insuranceForm(r)
		return s.svc.RecordInsurance(r.Context(), caller(r), id, f.Insurance)
	})
}

func (s *Server) setBirthDate() handler {
	return s.minorsPost("birth_date", func(r *http.Request, id int64, f *views.MinorsForms) error {
		f.BirthDate = r.PostForm.Get("birth_date")
		return s.svc.SetBirthDate(r.Context(), caller(r), id, f.BirthDate)
	})
}

// recordMyInsurance records the volunteer's own insurance from /me.
func (s *Server) recordMyInsurance(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.MinorsForms{Form: "insurance", Insurance: insuranceForm(r)}
	err := s.svc.RecordMyInsurance(r.Context(), caller(r), f.Insurance)
	if errs, ok := fieldErrors(r, err); ok {
		f.Errors = errs
		return s.renderMe(w, withMinorsForms(r, f), http.StatusUnprocessableEntity, views.MeView{}, nil)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/me?saved=1#my-insurance", http.StatusSeeOther)
	return nil
}
