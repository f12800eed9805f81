package service

import (
	"context"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// Categories of service are data the committee keeps: it adds them, renames
// them in both languages, orders them and retires them. A retired category
// leaves every picker but stays on the records that name it.

const (
	categoryCodeMax = 40
	categoryNameMax = 40
	categorySortMax = 100000
)

// validCategoryCode reports whether code is lower-case letters and
// underscores, starting with a letter.
func validCategoryCode(code string) bool {
	if code == "" || len(code) > categoryCodeMax || code[0] == '_' {
		return false
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r == '_') {
			return false
		}
	}
	return true
}

// validateCategory checks a category's names and place in the order, and
// its code when it is new, and returns it trimmed.
func validateCategory(c domain.Category, isNew bool) (domain.Category, error) {
	var v domain.Validation
	if isNew {
		c.Code = strings.TrimSpace(c.Code)
		v.Check(validCategoryCode(c.Code), "code", "err.category.code", categoryCodeMax)
	}
	c.NameZH = domain.ValidateName(&v, "name_zh", c.NameZH, categoryNameMax)
	c.NameEN = domain.ValidateName(&v, "name_en", c.NameEN, 2*categoryNameMax)
	v.Check(c.Sort >= 0 && c.Sort <= categorySortMax, "sort", "err.category.sort", categorySortMax)
	return c, v.Err()
}

// CategoryUsage lists every category, retired ones included, with how many
// menu items, teams and willing people use each.
func (s *Service) CategoryUsage(ctx context.Context, c domain.Caller) ([]store.CategoryUsage, error) {
	if err := domain.Authorize(c.Principal, domain.ActCategoryManage, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.ListCategoryUsage(ctx)
}

// CreateCategory adds a category of service.
func (s *Service) CreateCategory(ctx context.Context, c domain.Caller, cat domain.Category) (int64, error) {
	if err := domain.Authorize(c.Principal, domain.ActCategoryManage, domain.Target{}); err != nil {
		return 0, err
	}
	cat, err := validateCategory(cat, true)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err = tx.CreateCategory(cat)
		return err
	})
	return id, err
}

// UpdateCategory renames a category in both languages and moves it in the
// order; its code stays.
func (s *Service) UpdateCategory(ctx context.Context, c domain.Caller, cat domain.Category) error {
	if err := domain.Authorize(c.Principal, domain.ActCategoryManage, domain.Target{}); err != nil {
		return err
	}
	before, err := s.store.CategoryByID(ctx, cat.ID)
	if err != nil {
		return err
	}
	if cat, err = validateCategory(cat, false); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.UpdateCategory(before, cat) })
}

// SetCategoryRetired retires a category, or restores a retired one.
func (s *Service) SetCategoryRetired(ctx context.Context, c domain.Caller, id int64, retired bool) error {
	if err := domain.Authorize(c.Principal, domain.ActCategoryManage, domain.Target{}); err != nil {
		return err
	}
	before, err := s.store.CategoryByID(ctx, id)
	if err != nil {
		return err
	}
	if before.Retired == retired {
		return nil // already so: a second click changes nothing
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.SetCategoryRetired(before, retired) })
}
