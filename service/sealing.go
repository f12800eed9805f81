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

// sealID encrypts a normalised ID-card number with AES-256-GCM and returns
// it with its keyed hash and masked form. An empty number seals to nothing.
func (s *Service) sealID(id string) (store.SealedID, error) {
	if id == "" {
		return store.SealedID{}, nil
	}
	block, err := aes.NewCipher(s.subkey("encrypt/id_card"))
	if err != nil {
		return store.SealedID{}, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return store.SealedID{}, err
	}
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	sealed := gcm.Seal(nonce, nonce, []byte(id), []byte("id_card"))
	return store.SealedID{
		Cipher: base64.StdEncoding.EncodeToString(sealed),
		Hash:   s.KeyedHash("id_card", id),
		Masked: domain.MaskIDCard(id),
	}, nil
}

var errOpen = errors.New("id card: cannot decrypt (wrong secret key?)")

// openID decrypts what sealID produced.
func (s *Service) openID(cipherText string) (string, error) {
	if cipherText == "" {
		return "", nil
	}
	raw, err := base64.StdEncoding.DecodeString(cipherText)
	if err != nil {
		return "", errOpen
	}
	block, err := aes.NewCipher(s.subkey("encrypt/id_card"))
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(raw) < gcm.NonceSize() {
		return "", errOpen
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte("id_card"))
	if err != nil {
		return "", errOpen
	}
	return string(plain), nil
}
