package web

import (
	"net/http"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/web/views"
)

// Ledgers (台帐): the index, a team's and an org's ledger, the committee's
// order register, each as a printable page and as xlsx with the same
// filters (year, or from–to).

// ledgerFilters reads the filters of a ledger request as typed.
func ledgerFilters(r *http.Request) views.LedgerFilters {
	q := r.URL.Query()
	f := views.LedgerFilters{Year: q.Get("year"), From: q.Get("from"), To: q.Get("to")}
	f.TeamID, _ = strconv.ParseInt(q.Get("team"), 10, 64)
	f.OrgID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	return f
}

func ledgerPeriod(f views.LedgerFilters) (domain.Period, error) {
	return domain.ParsePeriod(f.Year, f.From, f.To, today())
}

// ledgersPage is the index: pick a period and a team or org by name. A
// choice made on it (team= or org=) goes on to that ledger.
func (s *Server) ledgersPage(w http.ResponseWriter, r *http.Request) error {
	f := ledgerFilters(r)
	if f.TeamID != 0 || f.OrgID != 0 {
		p, err := ledgerPeriod(f)
		if err != nil {
			return s.ledgerIndex(w, r, f, err)
		}
		to := "/ledgers/orgs/" + strconv.FormatInt(f.OrgID, 10)
		if f.TeamID != 0 {
			to = "/ledgers/teams/" + strconv.FormatInt(f.TeamID, 10)
		}
		http.Redirect(w, r, to+"?"+p.Query(), http.StatusSeeOther)
		return nil
	}
	return s.ledgerIndex(w, r, f, nil)
}

// ledgerIndex shows the index, with the faults of bad filters (422) and
// the filters as typed.
func (s *Server) ledgerIndex(w http.ResponseWriter, r *http.Request, f views.LedgerFilters, bad error) error {
	errs, ok := fieldErrors(r, bad)
	if bad != nil && !ok {
		return bad
	}
	choices, err := s.svc.LedgerChoices(r.Context(), caller(r))
	if err != nil {
		return err
	}
	if f.Year == "" && f.From == "" && f.To == "" {
		f.Year = today()[:4]
	}
	status := http.StatusOK
	if bad != nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, views.LedgersPage(page(r, "ledger.title", "stats"), views.LedgerIndexData{
		Choices: choices, Filters: f, Errors: errs}))
	return nil
}

func (s *Server) teamLedgerPage(w http.ResponseWriter, r *http.Request) error {
	return s.ledgerPage(w, r, "team")
}

func (s *Server) orgLedgerPage(w http.ResponseWriter, r *http.Request) error {
	return s.ledgerPage(w, r, "org")
}

func (s *Server) ledgerPage(w http.ResponseWriter, r *http.Request, kind string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := ledgerFilters(r)
	p, err := ledgerPeriod(f)
	if err != nil {
		return s.ledgerIndex(w, r, f, err)
	}
	var l service.Ledger
	if kind == "team" {
		l, err = s.svc.TeamLedger(r.Context(), caller(r), id, p, true)
	} else {
		l, err = s.svc.OrgLedger(r.Context(), caller(r), id, p, true)
	}
	if err != nil {
		return err
	}
	choices, err := s.svc.LedgerChoices(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.LedgerPage(page(r, "ledger.title", "stats"), views.LedgerData{
		Ledger: l, Kind: kind, ID: id, Choices: choices}))
	return nil
}

func (s *Server) teamLedgerXLSX(w http.ResponseWriter, r *http.Request) error {
	return s.ledgerXLSX(w, r, "team")
}

func (s *Server) orgLedgerXLSX(w http.ResponseWriter, r *http.Request) error {
	return s.ledgerXLSX(w, r, "org")
}

func (s *Server) ledgerXLSX(w http.ResponseWriter, r *http.Request, kind string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := ledgerFilters(r)
	p, err := ledgerPeriod(f)
	if err != nil {
		return s.ledgerIndex(w, r, f, err)
	}
	var ex service.Export
	if kind == "team" {
		ex, err = s.svc.ExportTeamLedger(r.Context(), caller(r), id, p, excelTranslator(r))
	} else {
		ex, err = s.svc.ExportOrgLedger(r.Context(), caller(r), id, p, excelTranslator(r))
	}
	if err != nil {
		return err
	}
	return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
}

// registerGroups fold the register's columns (service.RegisterCells) into
// fewer for the page, so that it prints on A4 across: number and time;
// channel; site, requester and phone; items; review, its time, who took it
// and the reason; the group; confirmations and declines; state; service
// days; person-times and hours; beneficiaries; rating, comment and
// complaint. The xlsx keeps one column each.
var registerGroups = [][]int{{0, 1}, {2}, {3, 4, 5}, {6}, {8, 9, 7, 10}, {11}, {12, 13}, {14}, {15}, {16, 17}, {18}, {19, 20, 21}}

// orderRegisterPage is the committee's order register of a period.
func (s *Server) orderRegisterPage(w http.ResponseWriter, r *http.Request) error {
	f := ledgerFilters(r)
	p, err := ledgerPeriod(f)
	if err != nil {
		return s.ledgerIndex(w, r, f, err)
	}
	v, err := s.svc.OrderRegisterView(r.Context(), caller(r), p)
	if err != nil {
		return err
	}
	tr := excelTranslator(r)
	d := views.RegisterData{Register: v}
	for _, g := range registerGroups {
		var heads []string
		for _, i := range g {
			heads = append(heads, service.RegisterColumns(tr)[i].Header)
		}
		d.Headers = append(d.Headers, strings.Join(heads, " / "))
	}
	for i := range v.Rows {
		cells := service.RegisterCells(&v.Rows[i], tr)
		row := make([]string, len(registerGroups))
		for j, g := range registerGroups {
			var parts []string
			for _, k := range g {
				if cells[k] != "" {
					parts = append(parts, cells[k])
				}
			}
			row[j] = strings.Join(parts, "\n")
		}
		d.Cells = append(d.Cells, row)
	}
	s.render(w, r, http.StatusOK, views.RegisterPage(page(r, "ledger.register.title", "stats"), d))
	return nil
}

func (s *Server) orderRegisterXLSX(w http.ResponseWriter, r *http.Request) error {
	f := ledgerFilters(r)
	p, err := ledgerPeriod(f)
	if err != nil {
		return s.ledgerIndex(w, r, f, err)
	}
	ex, err := s.svc.ExportOrderRegister(r.Context(), caller(r), p, excelTranslator(r))
	if err != nil {
		return err
	}
	return sendBook(w, ex.Book, ex.Name, ex.ASCIIName)
}
