package service

import "vanguard/store"

// writeDemoMinors adds this part of issue 15 to the demo city (nothing yet).
func (s *Service) writeDemoMinors(tx *store.Tx, c *demoCity) error { return nil }
