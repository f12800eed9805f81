package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/report"
	"vanguard/service"
	"vanguard/web/views"
)

// Excel: import templates, imports of people and rosters, and exports.

// importMaxBody is the body limit of an upload: the file's limit plus room
// for the multipart envelope, so that a file just over the limit still gets
// the file's own clear message.
const importMaxBody = report.MaxUploadBytes + 1<<20

func excelTranslator(r *http.Request) report.Translate {
	ctx := r.Context()
	return func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
}

func (s *Server) peopleTemplate(w http.ResponseWriter, r *http.Request) error {
	book, err := s.svc.PeopleTemplate(r.Context(), caller(r), excelTranslator(r))
	if err != nil {
		return err
	}
	return sendBook(w, book, i18n.T(r.Context(), "excel.file.people_template"), "people-import-template")
}

func (s *Server) rosterTemplate(w http.ResponseWriter, r *http.Request) error {
	book, err := s.svc.RosterTemplate(r.Context(), caller(r), excelTranslator(r))
	if err != nil {
		return err
	}
	return sendBook(w, book, i18n.T(r.Context(), "excel.file.roster_template"), "roster-import-template")
}

func (s *Server) exportPeople(w http.ResponseWriter, r *http.Request) error {
	ex, err := s.svc.ExportPeople(r.Context(), caller(r), peopleFilterFromQuery(r), r.URL.Query().Get("full") == "1")
	if err != nil {
		return err
	}
	return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
}

func (s *Server) exportRoster(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ex, err := s.svc.ExportRoster(r.Context(), caller(r), id, r.URL.Query().Get("full") == "1")
	if err != nil {
		return err
	}
	return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
}

// sendBook sends a workbook as a download. It is written to memory first
// (an export of 50,000 people is a few MB), so a failure still gets an
// error page rather than half a file.
func sendBook(w http.ResponseWriter, b *report.Book, name, ascii string) error {
	defer b.Close()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", report.ContentType)
	h.Set("Content-Disposition", excelAttachment(name+".xlsx", ascii+".xlsx"))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	buf.WriteTo(w) // an error here means the client went away; nothing more to tell it
	return nil
}

// excelAttachment is a Content-Disposition for a download: an ASCII file name
// for old clients and the real, possibly Chinese, one in RFC 5987's
// filename* form.
func excelAttachment(name, ascii string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, ascii)
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + b.String()
}

func peopleImportView() views.ImportView {
	return views.ImportView{
		Title: "excel.import.people_title", Lead: "excel.import.people_lead", Action: "/people/import",
		Template: "/people/template.xlsx", Back: "/people", BackKey: "excel.result.back_people",
		MaxMB: report.MaxUploadBytes >> 20, MaxRows: report.MaxDataRows,
	}
}

func (s *Server) peopleImportPage(w http.ResponseWriter, r *http.Request) error {
	v := peopleImportView()
	s.render(w, r, http.StatusOK, views.Import(page(r, v.Title, "people"), v))
	return nil
}

func (s *Server) importPeople(w http.ResponseWriter, r *http.Request) error {
	data, err := readUpload(r)
	var res service.ImportResult
	if err == nil {
		res, err = s.svc.ImportPeople(r.Context(), caller(r), data)
	}
	v := peopleImportView()
	if err == nil && res.OK() && domain.Can(principal(r), domain.ActUserManage, domain.Target{}) {
		v.Accounts = res.PersonIDs
	}
	return s.renderImport(w, r, v, res, err)
}

func (s *Server) rosterImportView(r *http.Request) (views.ImportView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return views.ImportView{}, err
	}
	t, err := s.svc.RosterImportTeam(r.Context(), caller(r), id)
	if err != nil {
		return views.ImportView{}, err
	}
	team := "/teams/" + strconv.FormatInt(t.ID, 10)
	return views.ImportView{
		Title: "excel.import.roster_title", Lead: "excel.import.roster_lead", Team: t.Name,
		Action: team + "/import", Template: "/teams/template.xlsx", Back: team, BackKey: "excel.result.back_team",
		MaxMB: report.MaxUploadBytes >> 20, MaxRows: report.MaxDataRows,
	}, nil
}

func (s *Server) rosterImportPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.rosterImportView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.Import(page(r, v.Title, "teams"), v))
	return nil
}

func (s *Server) importRoster(w http.ResponseWriter, r *http.Request) error {
	v, err := s.rosterImportView(r) // authorizes before the upload is read
	if err != nil {
		return err
	}
	data, err := readUpload(r)
	var res service.ImportResult
	if err == nil {
		id, _ := pathID(r, "id")
		res, err = s.svc.ImportRoster(r.Context(), caller(r), id, data)
	}
	return s.renderImport(w, r, v, res, err)
}

// readUpload reads the file field of a multipart form, refusing a file over
// report.MaxUploadBytes with a message that says the limit.
func readUpload(r *http.Request) ([]byte, error) {
	tooLarge := domain.Errorf(domain.CodeInvalid, "err.excel.too_large", report.MaxUploadBytes>>20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, domain.Errorf(domain.CodeInvalid, "err.excel.no_file")
	}
	var maxBytes *http.MaxBytesError
	for {
		part, err := mr.NextPart()
		if errors.As(err, &maxBytes) {
			return nil, tooLarge
		}
		if err != nil {
			return nil, domain.Errorf(domain.CodeInvalid, "err.excel.no_file")
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, report.MaxUploadBytes+1))
		part.Close()
		switch {
		case errors.As(err, &maxBytes), len(data) > report.MaxUploadBytes:
			return nil, tooLarge
		case err != nil:
			return nil, domain.Errorf(domain.CodeInvalid, "err.form")
		case len(data) == 0 && part.FileName() == "":
			return nil, domain.Errorf(domain.CodeInvalid, "err.excel.no_file")
		}
		return data, nil
	}
}

// renderImport shows the import page again with what the import did: how
// many rows it imported, or every fault (up to the listed maximum) by row,
// column and reason, or why the file could not be read at all.
func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, v views.ImportView, res service.ImportResult, err error) error {
	status := http.StatusOK
	if err != nil {
		e, ok := domain.AsError(err)
		if !ok || e.Code != domain.CodeInvalid {
			return err
		}
		v.Error = i18n.T(r.Context(), e.Key, e.Args...)
		status = http.StatusUnprocessableEntity
	} else {
		out := &views.ImportOutcome{Rows: res.Rows, Imported: res.Imported, More: res.More}
		for _, f := range res.Faults {
			out.Faults = append(out.Faults, views.ImportFault{Row: f.Row, Column: f.Column,
				Reason: i18n.T(r.Context(), f.Key, f.Args...)})
		}
		v.Result = out
		if !res.OK() {
			status = http.StatusUnprocessableEntity
		}
	}
	nav := "people"
	if v.Team != "" {
		nav = "teams"
	}
	s.render(w, r, status, views.Import(page(r, v.Title, nav), v))
	return nil
}
