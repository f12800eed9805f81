package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
	"vanguard/web/views"
)

func (s *Server) overview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Overview(r.Context(), caller(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.Overview(page(r, "overview.title", "overview"), c))
	return nil
}

func (s *Server) orgsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOrgs(w, r, http.StatusOK, views.OrgsView{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderOrgs(w http.ResponseWriter, r *http.Request, status int, d views.OrgsView) error {
	orgs, err := s.svc.OrgTree(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Orgs = orgs
	d.CanWrite = domain.Can(principal(r), domain.ActRegistryWrite, domain.Target{})
	s.render(w, r, status, views.Orgs(page(r, "orgs.title", "orgs"), d))
	return nil
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	d := views.OrgsView{Name: r.PostForm.Get("name"), Kind: r.PostForm.Get("kind"), ParentID: formID(r, "parent_id")}
	_, err := s.svc.CreateOrg(r.Context(), caller(r), d.ParentID, domain.OrgKind(d.Kind), d.Name)
	if errs, ok := fieldErrors(r, err); ok {
		d.Errors = errs
		return s.renderOrgs(w, r, http.StatusUnprocessableEntity, d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/orgs?saved=1", http.StatusSeeOther)
	return nil
}

// renameOrg renames an org in the caller's subtree.
func (s *Server) renameOrg(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	d := views.OrgsView{RenameID: formID(r, "org_id"), RenameName: r.PostForm.Get("name")}
	err := s.svc.RenameOrg(r.Context(), caller(r), d.RenameID, d.RenameName)
	if errs, ok := fieldErrors(r, err); ok {
		d.RenameErrors = errs
		return s.renderOrgs(w, r, http.StatusUnprocessableEntity, d)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/orgs?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegions(w, r, http.StatusOK, views.RegionsView{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderRegions(w http.ResponseWriter, r *http.Request, status int, d views.RegionsView) error {
	regions, err := s.svc.Regions(r.Context())
	if err != nil {
		return err
	}
	d.Regions = regions
	d.CanManage = domain.Can(principal(r), domain.ActRegionManage, domain.Target{})
	s.render(w, r, status, views.Regions(page(r, "regions.title", "regions"), d))
	return nil
}

func (s *Server) createRegion(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := views.RegionForm{ParentID: formID(r, "parent_id"), Level: r.PostForm.Get("level"),
		Name: r.PostForm.Get("name"), Lat: strings.TrimSpace(r.PostForm.Get("lat")), Lng: strings.TrimSpace(r.PostForm.Get("lng"))}
	lat, err1 := strconv.ParseFloat(f.Lat, 64)
	lng, err2 := strconv.ParseFloat(f.Lng, 64)
	if err1 != nil || err2 != nil {
		lat, lng = -1, -1 // reported as bad coordinates with the other faults
	}
	_, err := s.svc.CreateRegion(r.Context(), caller(r), domain.Region{
		ParentID: f.ParentID, Level: domain.RegionLevel(f.Level), Name: f.Name, Lat: lat, Lng: lng})
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderRegions(w, r, http.StatusUnprocessableEntity, views.RegionsView{Form: f, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/regions?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) sitesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSites(w, r, http.StatusOK, views.SitesView{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderSites(w http.ResponseWriter, r *http.Request, status int, d views.SitesView) error {
	ctx, c := r.Context(), caller(r)
	sites, err := s.svc.Sites(ctx, c, store.SiteFilter{})
	if err != nil {
		return err
	}
	if d.Lookups, err = s.lookups(ctx); err != nil {
		return err
	}
	d.Sites = sites
	d.CanWrite = domain.Can(c.Principal, domain.ActRegistryWrite, domain.Target{})
	if d.CanWrite {
		if d.Orgs, err = s.svc.OrgTree(ctx, c); err != nil {
			return err
		}
	}
	s.render(w, r, status, views.Sites(page(r, "sites.title", "sites"), d))
	return nil
}

func (s *Server) createSite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	x := domain.Site{
		Name: r.PostForm.Get("name"), Kind: domain.SiteKind(r.PostForm.Get("kind")),
		RegionID: formID(r, "region_id"), OrgID: formID(r, "org_id"), Address: r.PostForm.Get("address"),
	}
	_, err := s.svc.CreateSite(r.Context(), caller(r), x)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderSites(w, r, http.StatusUnprocessableEntity, views.SitesView{Form: x, Errors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/sites?saved=1", http.StatusSeeOther)
	return nil
}

// lookups loads the category and region names registry pages show. Retired
// categories are included, so that old records still show theirs; pickers
// offer only active ones (Lookups.pickCategories).
func (s *Server) lookups(ctx context.Context) (views.Lookups, error) {
	cats, err := s.svc.Categories(ctx, true)
	if err != nil {
		return views.Lookups{}, err
	}
	regions, err := s.svc.Regions(ctx)
	return views.Lookups{Categories: cats, Regions: regions}, err
}

// formID reads a positive id from a form field; anything else is 0.
func formID(r *http.Request, key string) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(key)), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// formIDs reads a list of positive ids from repeated form fields.
func formIDs(r *http.Request, key string) []int64 {
	var out []int64
	for _, s := range r.PostForm[key] {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > 0 {
			out = append(out, v)
		}
	}
	return out
}

// formAvailability reads the availability checkboxes.
func formAvailability(r *http.Request) domain.Availability {
	var a domain.Availability
	for _, id := range formIDs(r, "availability") {
		a |= domain.Availability(id)
	}
	return a & 0x3f
}

// pathID reads a positive id from a path wildcard, or answers not found.
func pathID(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, domain.Errorf(domain.CodeNotFound, "err.not_found")
	}
	return v, nil
}

// today is the current date in China, for date fields' defaults.
func today() string { return time.Now().In(cst).Format("2006-01-02") }
