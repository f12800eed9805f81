package service

import "vanguard/store"

// writeDemoDeclared adds this part of issue 15 to the demo city (nothing yet).
func (s *Service) writeDemoDeclared(tx *store.Tx, c *demoCity) error { return nil }
