package service

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"vanguard/domain"
	"vanguard/store"
)

// subkey derives a purpose-bound key from the secret key, so the encryption
// key and the hashing key are never the same bytes.
func (s *Service) subkey(purpose string) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("vanguard/" + purpose + "/v1"))
	return m.Sum(nil)
}

// KeyedHash returns HMAC-SHA256 of v under a key derived from the secret:
// equal inputs give equal hashes, so duplicates are found without storing
// or decrypting the value, and without the key nobody can test guesses.
func (s *Service) KeyedHash(purpose, v string) string {
	m := hmac.New(sha256.New, s.subkey("hash/"+purpose))
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// sealID encrypts a normalised ID-card number (sealSecret) and returns it
// with its keyed hash and masked form. An empty number seals to nothing.
func (s *Service) sealID(id string) (store.SealedID, error) {
	if id == "" {
		return store.SealedID{}, nil
	}
	sealed, err := s.sealSecret("id_card", id)
	if err != nil {
		return store.SealedID{}, err
	}
	return store.SealedID{Cipher: sealed, Hash: s.KeyedHash("id_card", id), Masked: domain.MaskIDCard(id),
		BirthDate: domain.BirthDateFromID(id)}, nil
}

// openID decrypts what sealID produced.
func (s *Service) openID(cipherText string) (string, error) {
	if cipherText == "" {
		return "", nil
	}
	return s.openSecret("id_card", cipherText)
}

// sealSecret encrypts a secret (an ID number, a TOTP secret) with
// AES-256-GCM under a key derived from the platform key for purpose; the
// purpose is also the additional data, so a value sealed for one purpose
// does not open for another.
func (s *Service) sealSecret(purpose, plain string) (string, error) {
	gcm, err := s.gcm(purpose)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, []byte(plain), []byte(purpose))), nil
}

var errOpen = errors.New("sealed value: cannot decrypt (wrong secret key?)")

// openSecret decrypts what sealSecret produced.
func (s *Service) openSecret(purpose, sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", errOpen
	}
	gcm, err := s.gcm(purpose)
	if err != nil {
		return "", err
	}
	if len(raw) < gcm.NonceSize() {
		return "", errOpen
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(purpose))
	if err != nil {
		return "", errOpen
	}
	return string(plain), nil
}

func (s *Service) gcm(purpose string) (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.subkey("encrypt/" + purpose))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
