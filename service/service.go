// Package service holds Vanguard's use cases. Each method authorizes the
// caller with the policy function, validates input, and writes through one
// audited store transaction.
package service

import (
	"context"
	"log/slog"
	"runtime"
	"sync/atomic"

	"vanguard/domain"
	"vanguard/store"
)

// Service is the set of use cases the web layer and the command line call.
type Service struct {
	store  *store.Store
	hasher Hasher
	secret []byte // for keyed hashes and field encryption
	log    *slog.Logger
	// dummyHash is checked for unknown login names so that they take as long
	// as wrong passwords.
	dummyHash string
	// photoDir is where activity photos are kept (see photos.go).
	photoDir string
	// phones verifies phone numbers at registration (see registrations.go).
	phones PhoneVerifier
	// gateway says whether an SMS gateway is configured, so that phones
	// are confirmed by code (see phonecodes.go).
	gateway atomic.Bool
	// auditChain is the last walk of the audit chain, and auditWitness the
	// head kept outside the database (see audit.go).
	auditChain   auditChainCache
	auditWitness func() (store.AuditHead, error)
	// senders carry notifications by email and the gateway (notifications.go).
	senders Senders
	// vno writes and reads volunteer numbers (see volunteerno.go).
	vno domain.VolunteerCodec
}

// New returns the services over a store.
func New(s *store.Store, h Hasher, secret []byte, log *slog.Logger) *Service {
	h.gate = newHashGate(runtime.NumCPU())
	dummy, _ := h.Hash("not a real password, only for timing")
	sv := &Service{store: s, hasher: h, secret: secret, log: log, dummyHash: dummy}
	sv.vno = domain.NewVolunteerCodec(sv.subkey("volunteer_number"))
	return sv
}

// Housekeep removes expired sessions, login failures too old to count, old
// rate events, idempotency tokens older than a day and notifications older
// than their retention, and clears the contact details of orders and
// suggestions closed longer ago than the retention (see privacy.go).
func (s *Service) Housekeep(ctx context.Context) error {
	err := s.store.Housekeep(ctx, func(tx *store.Tx) error {
		if _, err := tx.DeleteExpiredSessions(); err != nil {
			return err
		}
		if err := tx.DeleteOldRateEvents(); err != nil {
			return err
		}
		if err := tx.DeleteOldTokens(); err != nil {
			return err
		}
		if err := tx.DeleteOldNotifications(); err != nil {
			return err
		}
		if err := tx.DeleteExpiredLoginChallenges(s.store.Now().Add(-LoginChallengeTTL)); err != nil {
			return err
		}
		if err := tx.DeleteOldLoginFailures(); err != nil {
			return err
		}
		return tx.DeleteOldPhoneCodes()
	})
	if err != nil {
		return err
	}
	return s.clearContactsRound(ctx)
}

// Store returns the underlying store, for the health check and metrics.
func (s *Service) Store() *store.Store { return s.store }
