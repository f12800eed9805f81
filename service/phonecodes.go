package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"vanguard/domain"
	"vanguard/i18n"
	"vanguard/store"
)

// Phone codes (短信验证码). With an SMS gateway configured, a person proves
// that they hold a phone by typing the six-digit code sent to it: at
// self-registration (the PhoneVerifier of Register) and when an order is
// found by its number and phone. Without a gateway nothing is sent,
// registration relies on the approver alone and an order is found by its
// number and the phone's last four digits.
//
// Sending is limited per phone (one a minute, five an hour, ten a day) and per address
// (twenty an hour: a village office shares one), so that nobody floods a
// phone or the gateway's bill. A code is kept as a keyed hash, expires after
// ten minutes, is accepted once and dies after five wrong tries; asking for
// a new one replaces it.

// Limits on sending codes.
const (
	codeMinuteLimit     = 1
	codeMinuteWindow    = time.Minute
	codePhoneLimit      = 5
	codePhoneWindow     = time.Hour
	codeDayLimit        = 10
	codeDayWindow       = 24 * time.Hour
	codeIPLimit         = 20
	codeIPWindow        = time.Hour
	rateCodeIP          = "phone_code.ip"
	rateCodePhoneMinute = "phone_code.phone_minute"
	rateCodePhoneHour   = "phone_code.phone_hour"
	rateCodePhoneDay    = "phone_code.phone_day"
)

// SetGatewayEnabled says whether an SMS gateway is configured (the app sets
// it when --gateway-url is given). With it, registration and the order
// lookup by number and phone ask for a code sent to the phone; without it
// they work without codes. Set it before serving; tests may flip it.
func (s *Service) SetGatewayEnabled(on bool) { s.gateway.Store(on) }

// PhoneCodesOn reports whether phones are confirmed by code, so that forms
// show the code field and the "send code" button.
func (s *Service) PhoneCodesOn() bool { return s.gateway.Load() }

var errCodesOff = domain.Errorf(domain.CodeConflict, "err.phonecode.off")

// SendRegisterCode sends a code to the phone typed on the registration form.
func (s *Service) SendRegisterCode(ctx context.Context, c domain.Caller, phone string) error {
	if !s.PhoneCodesOn() {
		return errCodesOff
	}
	phone, err := validCodePhone(phone)
	if err != nil {
		return err
	}
	if err := s.allowPhoneCode(ctx, c.IP, phone); err != nil {
		return err
	}
	return s.sendPhoneCode(ctx, c, domain.PhoneCodeRegister, phone)
}

// SendTrackCode sends a code for finding an order by its number and phone,
// to that phone when the two belong to one order. It answers the same
// whether or not they do, and counts against the same limits, so that it
// cannot be used to learn which phone placed which order.
func (s *Service) SendTrackCode(ctx context.Context, c domain.Caller, number, phone string) error {
	if !s.PhoneCodesOn() {
		return errCodesOff
	}
	id, isNumber := domain.ParseOrderNumber(number)
	phone, err := validCodePhone(phone)
	switch {
	case !isNumber:
		return domain.Invalid("number", "err.phonecode.number")
	case err != nil:
		return err
	}
	if err := s.allowPhoneCode(ctx, c.IP, phone); err != nil {
		return err
	}
	if !s.orderHasPhone(ctx, id, phone) {
		return nil
	}
	return s.sendPhoneCode(ctx, c, domain.PhoneCodeTrack, phone)
}

// FindOrderByPhone is FindOrder with a gateway: the order's number, its
// full phone and the code just sent to that phone. A wrong, expired or used
// code gets one answer, whether or not the number and phone belong
// together, and the code is checked before the pair; it returns the
// order's tracking code.
func (s *Service) FindOrderByPhone(ctx context.Context, c domain.Caller, number, phone, code string) (string, error) {
	if !s.PhoneCodesOn() {
		return "", errCodesOff
	}
	var allowed bool
	err := s.store.Housekeep(ctx, func(tx *store.Tx) (err error) {
		allowed, err = tx.Allow(rateTrackBucket, c.IP, trackLimit, trackWindow)
		return err
	})
	if err != nil {
		return "", err
	}
	if !allowed {
		return "", domain.TooMany(trackWindow, "err.rate.track", int(trackWindow.Minutes()))
	}
	id, isNumber := domain.ParseOrderNumber(number)
	phone, err = validCodePhone(phone)
	switch {
	case !isNumber:
		return "", domain.Invalid("number", "err.phonecode.number")
	case err != nil:
		return "", err
	}
	if err := codeTyped(code); err != nil {
		return "", err
	}
	check, _, err := s.usePhoneCode(ctx, domain.PhoneCodeTrack, phone, code)
	if err != nil {
		return "", err
	}
	if check != codeOK {
		return "", domain.Invalid("phone_code", "err.phonecode.track")
	}
	o, err := s.store.OrderByID(ctx, id)
	if domain.ErrCode(err) == domain.CodeNotFound || (err == nil && o.RequesterPhone != phone) {
		return "", errNoSuchNumber
	} else if err != nil {
		return "", err
	}
	return o.Code, nil
}

// orderHasPhone reports whether order id was placed with phone.
func (s *Service) orderHasPhone(ctx context.Context, id int64, phone string) bool {
	o, err := s.store.OrderByID(ctx, id)
	return err == nil && o.RequesterPhone != "" && hmac.Equal([]byte(o.RequesterPhone), []byte(phone))
}

func validCodePhone(phone string) (string, error) {
	phone = domain.NormalizePhone(phone)
	switch {
	case phone == "":
		return "", domain.Invalid("phone", "err.required")
	case !domain.ValidPhone(phone):
		return "", domain.Invalid("phone", "err.phone")
	}
	return phone, nil
}

// codeTyped refuses an empty or malformed code before anything is counted.
func codeTyped(code string) error {
	switch {
	case len(code) == 0:
		return domain.Invalid("phone_code", "err.phonecode.required")
	case domain.NormalizePhoneCode(code) == "":
		return domain.Invalid("phone_code", "err.phonecode.format", domain.PhoneCodeLen)
	}
	return nil
}

// allowPhoneCode counts one code sent to phone from ip against the limits,
// the address first (see serializeOn on lock order). The attempt counts
// even when nothing is then sent, so that the limits say nothing about
// whether an order exists.
func (s *Service) allowPhoneCode(ctx context.Context, ip, phone string) error {
	var refused error
	key := s.KeyedHash("rate_phone", phone)
	err := s.store.Housekeep(ctx, func(tx *store.Tx) error {
		ok, wait, err := tx.AllowOrWait(rateCodeIP, ip, codeIPLimit, codeIPWindow)
		if err != nil || !ok {
			refused = domain.TooMany(wait, "err.phonecode.rate_ip", minutesOf(wait))
			return err
		}
		if ok, wait, err = tx.AllowOrWait(rateCodePhoneMinute, key, codeMinuteLimit, codeMinuteWindow); err != nil || !ok {
			refused = domain.TooMany(wait, "err.phonecode.rate_minute", int(math.Ceil(wait.Seconds())))
			return err
		}
		if ok, wait, err = tx.AllowOrWait(rateCodePhoneHour, key, codePhoneLimit, codePhoneWindow); err != nil || !ok {
			refused = domain.TooMany(wait, "err.phonecode.rate_hour", codePhoneLimit, minutesOf(wait))
			return err
		}
		if ok, wait, err = tx.AllowOrWait(rateCodePhoneDay, key, codeDayLimit, codeDayWindow); err != nil || !ok {
			refused = domain.TooMany(wait, "err.phonecode.rate_day", codeDayLimit)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	return refused
}

func minutesOf(d time.Duration) int { return int(math.Ceil(d.Minutes())) }

// sendPhoneCode makes a new code for phone and purpose and queues its text
// to the gateway, urgent (quiet hours do not hold back a code asked for
// now), in one audited transaction. The purpose is named in the text in the
// language of the page that asked.
func (s *Service) sendPhoneCode(ctx context.Context, c domain.Caller, purpose domain.PhoneCodePurpose, phone string) error {
	code, err := newPhoneCode()
	if err != nil {
		return err
	}
	lang := i18n.From(ctx)
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		id, err := tx.CreatePhoneCode(s.phoneCodePhone(phone), purpose, s.phoneCodeHash(purpose, phone, code), domain.PhoneCodeTTL)
		if err != nil {
			return err
		}
		if err := notifyTx(tx, store.NewNotification{Event: domain.EventPhoneCode, Subject: "code:" + strconv.FormatInt(id, 10),
			Phone: phone, Lang: string(lang), Args: []string{code, i18n.Translate(lang, "phonecode.purpose."+string(purpose))},
			Urgent: true}); err != nil {
			return err
		}
		return tx.Audit("phone_code.send", "phone_code", strconv.FormatInt(id, 10), nil,
			map[string]any{"purpose": string(purpose), "phone": domain.MaskPhone(phone)})
	})
}

// newPhoneCode is six random digits from crypto/rand.
func newPhoneCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("phone code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// phoneCodePhone is how the codes table names a phone: a keyed hash.
func (s *Service) phoneCodePhone(phone string) string { return s.KeyedHash("phone_code_phone", phone) }

// phoneCodeHash is how the codes table keeps a code: a keyed hash of the
// purpose, phone and code, so that a copy of the table reveals no code
// (six digits unkeyed would be tried in a moment).
func (s *Service) phoneCodeHash(purpose domain.PhoneCodePurpose, phone, code string) string {
	return s.KeyedHash("phone_code", string(purpose)+"\x00"+phone+"\x00"+code)
}

// codeCheck is what checking a typed code found.
type codeCheck int

const (
	codeOK      codeCheck = iota
	codeNone              // none was sent to this phone for this purpose
	codeWrong             // wrong; tries are left
	codeExpired           // older than domain.PhoneCodeTTL
	codeUsed              // accepted once already
	codeSpent             // too many wrong tries
)

// usePhoneCode checks a typed code against the newest code sent to phone
// for purpose and, when right, uses it up. A wrong try is counted and
// committed whatever the caller then does; left is how many remain.
func (s *Service) usePhoneCode(ctx context.Context, purpose domain.PhoneCodePurpose, phone, code string) (check codeCheck, left int, err error) {
	code = domain.NormalizePhoneCode(code)
	err = s.store.Housekeep(ctx, func(tx *store.Tx) error {
		pc, found, err := tx.LatestPhoneCode(s.phoneCodePhone(phone), purpose)
		switch {
		case err != nil:
			return err
		case !found:
			check = codeNone
		case pc.Used:
			check = codeUsed
		case !tx.Now().Before(pc.ExpiresAt):
			check = codeExpired
		case pc.Attempts >= domain.PhoneCodeMaxTries:
			check = codeSpent
		case code == "" || !hmac.Equal([]byte(s.phoneCodeHash(purpose, phone, code)), []byte(pc.CodeHash)):
			counted, err := tx.CountPhoneCodeTry(pc.ID, domain.PhoneCodeMaxTries)
			check, left = codeWrong, domain.PhoneCodeMaxTries-pc.Attempts-1
			if !counted || left <= 0 {
				check, left = codeSpent, 0
			}
			return err
		default:
			used, err := tx.UsePhoneCode(pc.ID, domain.PhoneCodeMaxTries)
			if check = codeOK; !used {
				check = codeUsed // another request took it a moment ago
			}
			return err
		}
		return nil
	})
	return check, left, err
}

// smsVerifier is the PhoneVerifier with a gateway: the code typed must be
// the newest one sent to the phone for registering. Each refusal says what
// to do next; the phone is the applicant's own, so nothing is given away.
type smsVerifier struct{ s *Service }

func (v smsVerifier) Verify(ctx context.Context, phone, code string) error {
	if err := codeTyped(code); err != nil {
		return err
	}
	check, left, err := v.s.usePhoneCode(ctx, domain.PhoneCodeRegister, phone, code)
	if err != nil {
		return err
	}
	switch check {
	case codeOK:
		return nil
	case codeNone:
		return domain.Invalid("phone_code", "err.phonecode.none")
	case codeWrong:
		return domain.Invalid("phone_code", "err.phonecode.wrong", left)
	case codeExpired:
		return domain.Invalid("phone_code", "err.phonecode.expired", int(domain.PhoneCodeTTL.Minutes()))
	case codeUsed:
		return domain.Invalid("phone_code", "err.phonecode.used")
	default:
		return domain.Invalid("phone_code", "err.phonecode.spent")
	}
}
