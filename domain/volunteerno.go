package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// A volunteer number (志愿者统一编号) is the public identifier of a person
// who volunteers: stable, not guessable from the person's id or from other
// numbers, short enough to read out, and never the ID-card number. It is
// the person's id (up to 2^40) permuted by a keyed Feistel network, written
// as eight Crockford base-32 characters and one check character after the
// prefix XF: "XF3K7M-9QXPT". The same key always gives the same number, so
// nothing needs storing; without the key the numbers of other people cannot
// be worked out from one's own.
type VolunteerCodec struct{ key []byte }

// NewVolunteerCodec returns a codec under key (a purpose-bound key derived
// from the installation's secret).
func NewVolunteerCodec(key []byte) VolunteerCodec { return VolunteerCodec{key: key} }

const (
	vnoAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford: no I, L, O, U
	vnoHalf     = 20
	vnoMask     = 1<<vnoHalf - 1
	vnoRounds   = 4
	vnoPrefix   = "XF"
)

func (c VolunteerCodec) round(i int, r uint64) uint64 {
	m := hmac.New(sha256.New, c.key)
	var b [9]byte
	b[0] = byte(i)
	binary.BigEndian.PutUint64(b[1:], r)
	m.Write(b[:])
	return binary.BigEndian.Uint64(m.Sum(nil)) & vnoMask
}

// Number returns the volunteer number of person id; "" for an id outside
// 1..2^40-1.
func (c VolunteerCodec) Number(id int64) string {
	if id <= 0 || id >= 1<<(2*vnoHalf) || len(c.key) == 0 {
		return ""
	}
	l, r := uint64(id)>>vnoHalf, uint64(id)&vnoMask
	for i := range vnoRounds {
		l, r = r, l^c.round(i, r)
	}
	v := l<<vnoHalf | r
	var b [9]byte
	sum := 0
	for i := 7; i >= 0; i-- {
		d := int(v & 31)
		b[i] = vnoAlphabet[d]
		v >>= 5
	}
	for i := range 8 {
		sum += (i + 1) * strings.IndexByte(vnoAlphabet, b[i])
	}
	b[8] = vnoAlphabet[sum%31]
	return vnoPrefix + string(b[:4]) + "-" + string(b[4:])
}

// ID returns the person id a volunteer number stands for. It accepts the
// number as people type it: lower case, spaces or hyphens anywhere, O for
// 0 and I or L for 1. ok is false for anything that is not a number this
// codec wrote (a wrong check character, say).
func (c VolunteerCodec) ID(number string) (id int64, ok bool) {
	s := strings.ToUpper(number)
	s = strings.NewReplacer(" ", "", "-", "", "\u3000", "", "O", "0", "I", "1", "L", "1").Replace(s)
	if !strings.HasPrefix(s, vnoPrefix) || len(s) != len(vnoPrefix)+9 || len(c.key) == 0 {
		return 0, false
	}
	s = s[len(vnoPrefix):]
	var v uint64
	sum := 0
	for i := range 8 {
		d := strings.IndexByte(vnoAlphabet, s[i])
		if d < 0 {
			return 0, false
		}
		v = v<<5 | uint64(d)
		sum += (i + 1) * d
	}
	if s[8] != vnoAlphabet[sum%31] {
		return 0, false
	}
	l, r := v>>vnoHalf, v&vnoMask
	for i := vnoRounds - 1; i >= 0; i-- {
		l, r = r^c.round(i, l), l
	}
	n := int64(l<<vnoHalf | r)
	if c.Number(n) == "" {
		return 0, false
	}
	return n, true
}
