package web

import (
	"net/http"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/web/views"
)

// categorySaved maps the saved= value of the categories page to its message.
var categorySaved = map[string]string{
	"added": "cat.saved.added", "updated": "cat.saved.updated",
	"retired": "cat.saved.retired", "restored": "cat.saved.restored",
}

func (s *Server) categoriesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCategories(w, r, http.StatusOK, views.CategoriesView{Saved: categorySaved[r.URL.Query().Get("saved")]})
}

func (s *Server) renderCategories(w http.ResponseWriter, r *http.Request, status int, d views.CategoriesView) error {
	rows, err := s.svc.CategoryUsage(r.Context(), caller(r))
	if err != nil {
		return err
	}
	d.Rows = rows
	if d.NewErrors == nil && d.New.Code == "" {
		// The next place in the order, in steps of ten like the defaults.
		for _, c := range rows {
			d.New.Sort = max(d.New.Sort, c.Sort+10)
		}
	}
	s.render(w, r, status, views.CategoriesPage(page(r, "cat.title", "categories"), d))
	return nil
}

// categoryFromForm reads a category's fields; a sort that is not a number
// is -1, which validation reports.
func categoryFromForm(r *http.Request) domain.Category {
	sort, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("sort")))
	if err != nil {
		sort = -1
	}
	return domain.Category{
		Code: r.PostForm.Get("code"), NameZH: r.PostForm.Get("name_zh"), NameEN: r.PostForm.Get("name_en"), Sort: sort,
	}
}

func (s *Server) createCategory(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	c := categoryFromForm(r)
	_, err := s.svc.CreateCategory(r.Context(), caller(r), c)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderCategories(w, r, http.StatusUnprocessableEntity, views.CategoriesView{New: c, NewErrors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/categories?saved=added", http.StatusSeeOther)
	return nil
}

func (s *Server) updateCategory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	c := categoryFromForm(r)
	c.ID = id
	err = s.svc.UpdateCategory(r.Context(), caller(r), c)
	if errs, ok := fieldErrors(r, err); ok {
		return s.renderCategories(w, r, http.StatusUnprocessableEntity, views.CategoriesView{EditID: id, Edit: c, EditErrors: errs})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/categories?saved=updated#category-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) retireCategory(w http.ResponseWriter, r *http.Request) error {
	return s.setCategoryRetired(w, r, true)
}

func (s *Server) restoreCategory(w http.ResponseWriter, r *http.Request) error {
	return s.setCategoryRetired(w, r, false)
}

func (s *Server) setCategoryRetired(w http.ResponseWriter, r *http.Request, retired bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.SetCategoryRetired(r.Context(), caller(r), id, retired); err != nil {
		return err
	}
	saved := "restored"
	if retired {
		saved = "retired"
	}
	http.Redirect(w, r, "/admin/categories?saved="+saved+"#category-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
