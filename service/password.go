package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"vanguard/domain"
)

// Hasher hashes passwords with argon2id and checks them. Its parameters are
// written into every hash, so a hash stays checkable after they change.
type Hasher struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8

	gate *hashGate // bounds the hashes at once; set by New
}

// DefaultHasher uses t=1, 64 MiB, p=2: about 90 ms per hash on the machines
// measured in FINDINGS.md.
var DefaultHasher = Hasher{Time: 1, Memory: 64 * 1024, Threads: 2}

const saltLen, keyLen = 16, 32

var b64 = base64.RawStdEncoding

// Hash returns the PHC-style encoding of password's argon2id hash.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := h.idKey([]byte(password), salt, h.Time, h.Memory, h.Threads, keyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.Memory, h.Time, h.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("password hash: unknown format")

// Verify reports whether password matches encoded, in constant time. Like
// Hash, it waits for a hashing slot and returns a CodeTooMany error when
// none comes free in time.
func (h Hasher) Verify(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var p Hasher
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got, err := h.idKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// OneTimePassword returns a random password for a first login, in groups that
// are easy to read aloud: "k7rm-4qxz-p2wd-9tne". It avoids 0/o and 1/l.
func OneTimePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}

// Each hash takes Memory KiB (64 MiB by default) for its whole run, so a
// flood of sign-ins, which hash whether or not the name exists, would take
// the server's memory with it. A hashGate lets as many hashes run at once as
// there are slots (the number of cores: more would not finish sooner); the
// others wait for a slot at most wait and are then refused as busy, with a
// time to try again. Its queue bounds the sign-ins under way, from before
// their attempt is recorded until their password is checked, to about as
// many as can be hashed within wait: one that finds the queue full is
// refused at once, so a flood costs a write each instead of a place in the
// line of the database writer and of the slots. So every answer comes
// within a few seconds and memory stays near slots × Memory. New gives each
// Service one gate; a Hasher without one (in tests) is not bounded.
type hashGate struct {
	slots, queue   chan struct{}
	wait           time.Duration
	inFlight, peak atomic.Int64
}

func newHashGate(slots int) *hashGate {
	slots = max(1, slots)
	return &hashGate{slots: make(chan struct{}, slots), queue: make(chan struct{}, 8*slots), wait: 2 * time.Second}
}

// enter takes a place in the queue, if there is one, and returns the
// function that gives it back (once, however often it is called).
func (g *hashGate) enter() (leave func(), ok bool) {
	if g == nil {
		return func() {}, true
	}
	select {
	case g.queue <- struct{}{}:
		return sync.OnceFunc(func() { <-g.queue }), true
	default:
		return nil, false
	}
}

// errHashBusy is the answer when no hashing slot came free in time.
var errHashBusy = domain.TooMany(5*time.Second, "err.login.busy")

// idKey is argon2.IDKey run in one of the gate's slots.
func (h Hasher) idKey(password, salt []byte, time_, memory uint32, threads uint8, n uint32) ([]byte, error) {
	g := h.gate
	if g == nil {
		return argon2.IDKey(password, salt, time_, memory, threads, n), nil
	}
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		return nil, errHashBusy
	}
	in := g.inFlight.Add(1)
	for peak := g.peak.Load(); in > peak && !g.peak.CompareAndSwap(peak, in); peak = g.peak.Load() {
	}
	key := argon2.IDKey(password, salt, time_, memory, threads, n)
	g.inFlight.Add(-1)
	<-g.slots
	if memory >= collectAfter {
		// The hash's memory is garbage now. Left to itself the collector
		// lets the heap grow to twice what is live, and while hashes run
		// that is mostly their memory: collect now, so the next hash reuses
		// these pages instead of new ones (bench/login_flood.sh: a peak of
		// about 300 MB instead of 430 MB under 200 parallel sign-ins).
		runtime.GC()
	}
	return key, nil
}

// collectAfter is the hash memory (KiB) from which a hash is followed by a
// collection.
const collectAfter = 16 * 1024

// HashSlots is how many password hashes the service runs at once.
func (s *Service) HashSlots() int { return cap(s.hasher.gate.slots) }

// HashPeak is the most password hashes that ran at once since ResetHashPeak.
func (s *Service) HashPeak() int { return int(s.hasher.gate.peak.Load()) }

// ResetHashPeak starts a new measure of HashPeak.
func (s *Service) ResetHashPeak() { s.hasher.gate.peak.Store(s.hasher.gate.inFlight.Load()) }
