package service

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"

	"vanguard/domain"
	"vanguard/store"
)

// apiTokenEncoding writes a token's random part in lower-case base32.
var apiTokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// apiTokenBytes is the random part of a token: 256 bits, well over the
// 160 a token must carry.
const apiTokenBytes = 32

// apiTokenHintLen is how much of a token its list shows: the prefix and
// four characters of the random part.
const apiTokenHintLen = len(domain.APITokenPrefix) + 4

// CreateAPIToken makes a personal API token for the caller, named name,
// valid until the end of expiresOn (China time; "" for no expiry), and
// returns the token. It is shown once: only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, c domain.Caller, name, expiresOn string) (string, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return "", err
	}
	expiresOn = strings.TrimSpace(expiresOn)
	name, err := domain.ValidateAPIToken(name, expiresOn, s.chinaToday())
	if err != nil {
		return "", err
	}
	b := make([]byte, apiTokenBytes)
	rand.Read(b)
	token := domain.APITokenPrefix + strings.ToLower(apiTokenEncoding.EncodeToString(b))
	t := domain.APIToken{UserID: c.UserID, Name: name, Hint: token[:apiTokenHintLen]}
	if expiresOn != "" {
		day, err := time.ParseInLocation("2006-01-02", expiresOn, china)
		if err != nil {
			return "", domain.Invalid("expires_on", "err.date_format")
		}
		t.ExpiresAt = day.AddDate(0, 0, 1)
	}
	err = s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		_, err := tx.CreateAPIToken(t, hashSecret(token))
		return err
	})
	return token, err
}

// RevokeAPIToken revokes one of the caller's own tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, c domain.Caller, id int64) error {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error { return tx.RevokeAPIToken(c.UserID, id) })
}

// APITokens lists the caller's own tokens.
func (s *Service) APITokens(ctx context.Context, c domain.Caller) ([]domain.APIToken, error) {
	if err := domain.Authorize(c.Principal, domain.ActSelf, domain.Target{}); err != nil {
		return nil, err
	}
	return s.store.APITokens(ctx, c.UserID)
}

// errBadToken answers every token that does not work — unknown, revoked,
// expired, or of a disabled account — alike, so a caller learns nothing
// about which.
var errBadToken = domain.Errorf(domain.CodeUnauthorized, "api.token.bad")

// AuthenticateToken returns the principal a bearer token stands for: the
// same principal a session of its user would give. A token that does not
// work is an unauthorized error. The token's last-used time is written at
// most once per domain.APITokenTouch, so requests are not writes.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (domain.Principal, error) {
	if !strings.HasPrefix(token, domain.APITokenPrefix) || len(token) > 200 {
		return domain.Principal{}, errBadToken
	}
	t, err := s.store.APITokenByHash(ctx, hashSecret(token))
	if domain.ErrCode(err) == domain.CodeNotFound {
		return domain.Principal{}, errBadToken
	} else if err != nil {
		return domain.Principal{}, err
	}
	now := s.store.Now()
	if !t.Active(now) {
		return domain.Principal{}, errBadToken
	}
	p, err := s.principalOf(ctx, t.UserID)
	if err != nil {
		return domain.Principal{}, err
	}
	if p.Anonymous() {
		return domain.Principal{}, errBadToken
	}
	if now.Sub(t.LastUsedAt) > domain.APITokenTouch {
		if err := s.store.Housekeep(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(t.ID) }); err != nil {
			return domain.Principal{}, err
		}
	}
	return p, nil
}
