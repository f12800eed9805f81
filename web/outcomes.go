package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/service"
	"vanguard/web/views"
)

// Outcomes (成效): an activity's beneficiaries, metrics, narrative and
// photos; and the committee's list of metrics.

// photoMaxBody is the body limit of a photo upload: the photo's limit plus
// room for the multipart envelope, so that a photo just over the limit
// still gets the photo's own clear message.
const photoMaxBody = domain.MaxPhotoBytes + 1<<20

// outcomeSaved maps the saved= value of the outcome page to its message.
var outcomeSaved = map[string]string{
	"outcome": "results.saved.outcome", "outcome_photo": "results.saved.outcome_photo", "photo": "results.saved.photo", "deleted": "results.saved.photo_deleted",
}

func (s *Server) outcomePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderOutcome(w, r, http.StatusOK, id, views.OutcomeData{Saved: outcomeSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderOutcome(w http.ResponseWriter, r *http.Request, status int, id int64, d views.OutcomeData) error {
	v, err := s.svc.OutcomeForm(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	d.View = v
	if d.Form.Values == nil {
		d.Form = v.Outcome.Form()
	}
	s.render(w, r, status, views.OutcomePage(page(r, "results.title", "activities"), d))
	return nil
}

// outcomeFromForm reads the outcome form: the metric fields are
// metric_<id>.
func outcomeFromForm(r *http.Request) domain.OutcomeForm {
	f := domain.OutcomeForm{Beneficiaries: r.PostForm.Get("beneficiaries"), Narrative: r.PostForm.Get("narrative"),
		Values: map[int64]string{}}
	for k, vs := range r.PostForm {
		rest, ok := strings.CutPrefix(k, "metric_")
		if !ok || len(vs) == 0 {
			continue
		}
		if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
			f.Values[id] = vs[0]
		}
	}
	return f
}

// saveOutcome saves the outcome form and, when a photo was chosen in it,
// the photo too: the form is sent as multipart so that a chosen photo is
// never silently dropped. A photo that cannot be kept stops the save (the
// form comes back as typed, asking for the photo again), except a limit met
// only after the outcome was saved, which the page then says.
func (s *Server) saveOutcome(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var photo []byte
	var chosen bool
	var photoErr error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		// Authorize before reading the upload.
		if _, err := s.svc.OutcomeForm(r.Context(), caller(r), id); err != nil {
			return err
		}
		if r.PostForm, photo, chosen, photoErr = readOutcomeUpload(r); r.PostForm == nil {
			return photoErr
		}
	} else if err := parseForm(r); err != nil {
		return err
	}
	f := outcomeFromForm(r)
	if chosen && photoErr == nil {
		_, _, _, photoErr = service.CheckPhoto(photo)
	}
	if photoErr != nil {
		errs, ok := fieldErrors(r, photoErr)
		if !ok {
			return photoErr
		}
		return s.renderOutcome(w, r, http.StatusUnprocessableEntity, id, views.OutcomeData{Form: f,
			Problem: i18n.T(r.Context(), "results.not_saved_photo"), PhotoError: errs["photo"]})
	}
	again := ""
	if chosen {
		again = i18n.T(r.Context(), "results.photo_again")
	}
	err = s.svc.SaveOutcome(r.Context(), caller(r), id, f)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderOutcome(w, r, http.StatusUnprocessableEntity, id, views.OutcomeData{Form: f, Errors: errs, PhotoError: again})
	}
	if e, ok := errAsConflict(err); ok {
		return s.renderOutcome(w, r, http.StatusConflict, id, views.OutcomeData{Form: f, Problem: translate(r, e), PhotoError: again})
	}
	if err != nil {
		return err
	}
	saved := "outcome"
	if chosen {
		_, err = s.svc.AddPhoto(r.Context(), caller(r), id, bytes.NewReader(photo))
		if errs, ok := fieldErrors(r, err); ok {
			return s.renderOutcome(w, r, http.StatusUnprocessableEntity, id, views.OutcomeData{
				Saved: "results.saved.outcome_not_photo", PhotoError: errs["photo"]})
		}
		if e, ok := errAsConflict(err); ok {
			return s.renderOutcome(w, r, http.StatusConflict, id, views.OutcomeData{
				Saved: "results.saved.outcome_not_photo", PhotoError: translate(r, e)})
		}
		if err != nil {
			return err
		}
		saved = "outcome_photo"
	}
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"/outcome?saved="+saved, http.StatusSeeOther)
	return nil
}

// maxFieldBytes bounds one text field of a multipart form.
const maxFieldBytes = 64 << 10

// readOutcomeUpload reads a multipart form with an optional "photo" file: the
// text fields, the photo's bytes (at most one over the limit) and whether
// one was chosen. A photo fault comes with the fields read so far (the
// form puts the photo last); fields is nil when the form itself is
// unreadable.
func readOutcomeUpload(r *http.Request) (fields url.Values, photo []byte, chosen bool, err error) {
	tooLarge := domain.Invalid("photo", "err.photo.too_large", domain.MaxPhotoBytes>>20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, false, domain.Errorf(domain.CodeInvalid, "err.form")
	}
	fields = url.Values{}
	var maxBytes *http.MaxBytesError
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return fields, photo, chosen, nil
		}
		if errors.As(err, &maxBytes) {
			return fields, nil, true, tooLarge
		}
		if err != nil {
			return nil, nil, false, domain.Errorf(domain.CodeInvalid, "err.form")
		}
		name := part.FormName()
		if name != "photo" {
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes))
			part.Close()
			if err != nil {
				return nil, nil, false, domain.Errorf(domain.CodeInvalid, "err.form")
			}
			fields.Add(name, string(b))
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, domain.MaxPhotoBytes+1))
		part.Close()
		switch {
		case errors.As(err, &maxBytes), len(data) > domain.MaxPhotoBytes:
			return fields, nil, true, tooLarge
		case err != nil:
			return fields, nil, true, domain.Invalid("photo", "err.photo.read")
		}
		if len(data) > 0 || part.FileName() != "" {
			photo, chosen = data, true
		}
	}
}

// readPhoto reads the "photo" part of a multipart upload, at most one byte
// over the photo limit.
func readPhoto(r *http.Request) ([]byte, error) {
	tooLarge := domain.Invalid("photo", "err.photo.too_large", domain.MaxPhotoBytes>>20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, domain.Invalid("photo", "err.photo.no_file")
	}
	var maxBytes *http.MaxBytesError
	for {
		part, err := mr.NextPart()
		if errors.As(err, &maxBytes) {
			return nil, tooLarge
		}
		if err != nil {
			return nil, domain.Invalid("photo", "err.photo.no_file")
		}
		if part.FormName() != "photo" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, domain.MaxPhotoBytes+1))
		part.Close()
		switch {
		case errors.As(err, &maxBytes), len(data) > domain.MaxPhotoBytes:
			return nil, tooLarge
		case err != nil:
			return nil, domain.Invalid("photo", "err.photo.read")
		case len(data) == 0 && part.FileName() == "":
			return nil, domain.Invalid("photo", "err.photo.no_file")
		}
		return data, nil
	}
}

func (s *Server) uploadPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// Authorize before reading the upload.
	if _, err := s.svc.OutcomeForm(r.Context(), caller(r), id); err != nil {
		return err
	}
	data, err := readPhoto(r)
	if err == nil {
		_, err = s.svc.AddPhoto(r.Context(), caller(r), id, bytes.NewReader(data))
	}
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderOutcome(w, r, http.StatusUnprocessableEntity, id, views.OutcomeData{PhotoError: errs["photo"]})
	}
	if e, ok := errAsConflict(err); ok {
		return s.renderOutcome(w, r, http.StatusConflict, id, views.OutcomeData{PhotoError: translate(r, e)})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"/outcome?saved=photo#photos", http.StatusSeeOther)
	return nil
}

func (s *Server) photo(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return err
	}
	open := s.svc.Photo
	if r.URL.Query().Get("size") == "thumb" {
		open = s.svc.PhotoThumbnail
	}
	f, err := open(r.Context(), caller(r), id, pid)
	if err != nil {
		return err
	}
	defer f.File.Close()
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("ETag", `"`+f.SHA256+`"`)
	if r.Header.Get("If-None-Match") == `"`+f.SHA256+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	io.Copy(w, io.LimitReader(f.File, f.Size))
	return nil
}

func (s *Server) deletePhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return err
	}
	if err := s.svc.DeletePhoto(r.Context(), caller(r), id, pid); err != nil {
		return err
	}
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"/outcome?saved=deleted#photos", http.StatusSeeOther)
	return nil
}

// Metrics: the committee's list.

var metricSaved = map[string]string{
	"added": "results.metric.saved.added", "updated": "results.metric.saved.updated",
	"retired": "results.metric.saved.retired", "restored": "results.metric.saved.restored",
}

func (s *Server) metricsAdminPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMetrics(w, r, http.StatusOK, views.MetricsView{Saved: metricSaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderMetrics(w http.ResponseWriter, r *http.Request, status int, d views.MetricsView) error {
	rows, err := s.svc.MetricUsage(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Rows = rows
	if d.NewErrors == nil && d.New.Code == "" {
		for _, m := range rows {
			d.New.Sort = max(d.New.Sort, m.Sort+10)
		}
	}
	s.render(w, r, status, views.MetricsPage(page(r, "results.metric.title", "metrics"), d))
	return nil
}

func metricFromForm(r *http.Request) domain.Metric {
	sort, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("sort")))
	if err != nil {
		sort = -1
	}
	return domain.Metric{Code: r.PostForm.Get("code"), NameZH: r.PostForm.Get("name_zh"), NameEN: r.PostForm.Get("name_en"),
		UnitZH: r.PostForm.Get("unit_zh"), UnitEN: r.PostForm.Get("unit_en"), Sort: sort}
}

func (s *Server) createMetric(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	m := metricFromForm(r)
	_, err := s.svc.CreateMetric(r.Context(), caller(r), m)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderMetrics(w, r, http.StatusUnprocessableEntity, views.MetricsView{New: m, NewErrors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/metrics?saved=added", http.StatusSeeOther)
	return nil
}

func (s *Server) updateMetric(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	m := metricFromForm(r)
	m.ID = id
	err = s.svc.UpdateMetric(r.Context(), caller(r), m)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderMetrics(w, r, http.StatusUnprocessableEntity, views.MetricsView{EditID: id, Edit: m, EditErrors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/metrics?saved=updated#metric-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) retireMetric(w http.ResponseWriter, r *http.Request) error {
	return s.setMetricRetired(w, r, true)
}

func (s *Server) restoreMetric(w http.ResponseWriter, r *http.Request) error {
	return s.setMetricRetired(w, r, false)
}

func (s *Server) setMetricRetired(w http.ResponseWriter, r *http.Request, retired bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.SetMetricRetired(r.Context(), caller(r), id, retired); err != nil {
		return err
	}
	saved := "restored"
	if retired {
		saved = "retired"
	}
	http.Redirect(w, r, "/admin/metrics?saved="+saved+"#metric-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
