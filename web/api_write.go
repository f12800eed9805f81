package web

import (
	"crypto/sha256"
	"encoding/base32"
	"net/http"
	"strings"

	"vanguard/domain"
	"vanguard/service"
)

// The API's writes. Each calls the service the matching form calls, so the
// same validation, policy, lifecycle and audit apply. Bodies are JSON
// (readJSON); an action without fields takes an empty body or {}.

// apiOrderIn is an order from the API, the fields of the order form.
type apiOrderIn struct {
	RequesterName   string  `json:"requester_name"`
	RequesterPhone  string  `json:"requester_phone"`
	SiteID          int64   `json:"site_id"`
	RegionID        int64   `json:"region_id"`
	Address         string  `json:"address"`
	DateFrom        string  `json:"date_from"`
	DateTo          string  `json:"date_to"`
	Beneficiaries   int     `json:"beneficiaries"`
	Need            string  `json:"need"`
	Notes           string  `json:"notes"`
	ItemIDs         []int64 `json:"item_ids"`
	PreferredTeamID int64   `json:"preferred_team_id"`
}

type apiPlaced struct {
	Code     string `json:"code"`
	TrackURL string `json:"track_url"`
}

// apiPlaceOrder places an order as POST /order does: a site contact for
// their site, anyone else as the public under the same limits per address
// and phone number. An Idempotency-Key makes a retry answer the first
// order and create nothing.
func (s *Server) apiPlaceOrder(w http.ResponseWriter, r *http.Request) error {
	var b apiOrderIn
	if err := readJSON(r, &b); err != nil {
		return err
	}
	if len(b.ItemIDs) > maxChosenItems {
		return domain.Invalid("item_ids", "api.order.items", maxChosenItems)
	}
	in := domain.OrderInput{RequesterName: b.RequesterName, RequesterPhone: b.RequesterPhone, SiteID: b.SiteID,
		RegionID: b.RegionID, Address: b.Address, DateFrom: strings.TrimSpace(b.DateFrom), DateTo: strings.TrimSpace(b.DateTo),
		Beneficiaries: b.Beneficiaries, Need: b.Need, Notes: b.Notes, ItemIDs: b.ItemIDs, PreferredTeamID: b.PreferredTeamID}
	if in.SiteID > 0 {
		in.RegionID, in.Address = 0, "" // the site says where
	}
	c := caller(r)
	if len(siteContactSites(c.Principal)) == 0 {
		c.Principal = domain.Principal{}
	}
	key, err := idempotencyToken(r, c)
	if err != nil {
		return err
	}
	code, err := s.svc.PlaceOrderOnce(r.Context(), c, key, in)
	if err != nil {
		return err
	}
	return writeAPI(w, r, http.StatusCreated, apiPlaced{Code: code, TrackURL: "/track?code=" + code})
}

// idempotencyToken turns an Idempotency-Key header into a token of the
// order form's kind (service/idempotency.go): a hash of the key and of who
// sends it, so that two clients choosing the same key never share an
// answer. No header, no token.
func idempotencyToken(r *http.Request, c domain.Caller) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return "", nil
	}
	if len(key) > 200 || !domain.CleanLine(key) {
		return "", domain.Invalid("Idempotency-Key", "api.idempotency_key")
	}
	who := "ip:" + c.IP
	if !c.Anonymous() {
		who = "user:" + idKey(c.UserID)
	} else if tok, ok := bearerToken(r); ok && tok != "" {
		who = "token:" + tok
	}
	sum := sha256.Sum256([]byte("api-order\x00" + who + "\x00" + key))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16])), nil
}

// apiOrderState is an order's state after a review.
type apiOrderState struct {
	ID    int64  `json:"id"`
	State string `json:"state"`
}

type apiReason struct {
	Reason string `json:"reason"`
}

func (s *Server) apiReviewOrder(e domain.OrderEvent) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var b apiReason
		if err := readJSON(r, &b); err != nil {
			return err
		}
		if err := s.svc.ReviewOrder(r.Context(), caller(r), id, e, b.Reason); err != nil {
			return err
		}
		o, _, err := s.svc.Order(r.Context(), caller(r), id)
		if err != nil {
			return err
		}
		return writeAPI(w, r, http.StatusOK, apiOrderState{ID: o.ID, State: string(o.State)})
	}
}

// apiAnswered is a team's answer to a dispatch.
type apiAnswered struct {
	OrderID int64  `json:"order_id"`
	TeamID  int64  `json:"team_id"`
	Answer  string `json:"answer"`
}

func (s *Server) apiAnswerDispatch(confirm bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		orderID, err := pathID(r, "order")
		if err != nil {
			return err
		}
		teamID, err := pathID(r, "team")
		if err != nil {
			return err
		}
		var b apiReason
		if err := readJSON(r, &b); err != nil {
			return err
		}
		if err := s.svc.AnswerDispatch(r.Context(), caller(r), orderID, teamID, confirm, b.Reason); err != nil {
			return err
		}
		answer := "declined"
		if confirm {
			answer = "confirmed"
		}
		return writeAPI(w, r, http.StatusOK, apiAnswered{OrderID: orderID, TeamID: teamID, Answer: answer})
	}
}

// apiSignupState is the caller's place after signing up or cancelling.
type apiSignupState struct {
	ActivityID int64  `json:"activity_id"`
	State      string `json:"state"`
}

func (s *Server) apiSignUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readJSON(r, &struct{}{}); err != nil {
		return err
	}
	state, err := s.svc.SignUp(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return writeAPI(w, r, http.StatusOK, apiSignupState{ActivityID: id, State: string(state)})
}

func (s *Server) apiCancelSignup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readJSON(r, &struct{}{}); err != nil {
		return err
	}
	if err := s.svc.CancelSignup(r.Context(), caller(r), id); err != nil {
		return err
	}
	return writeAPI(w, r, http.StatusOK, apiSignupState{ActivityID: id, State: string(domain.SignupCancelled)})
}

type apiCheckinIn struct {
	Token string `json:"token"`
}

type apiCheckedIn struct {
	ActivityID    int64   `json:"activity_id"`
	ActivityTitle string  `json:"activity_title"`
	Kind          string  `json:"kind"`
	Already       bool    `json:"already"`
	At            apiTime `json:"at"`
}

// apiCheckin checks the caller in or out with the token of the activity's
// QR code (the t= of its link), as scanning it does.
func (s *Server) apiCheckin(w http.ResponseWriter, r *http.Request) error {
	var b apiCheckinIn
	if err := readJSON(r, &b); err != nil {
		return err
	}
	if b.Token == "" {
		return domain.Invalid("token", "err.required")
	}
	res, err := s.svc.CheckInByToken(r.Context(), caller(r), b.Token)
	if err != nil {
		return err
	}
	return writeAPI(w, r, http.StatusOK, apiCheckedIn{ActivityID: res.Activity.ID, ActivityTitle: res.Activity.Title,
		Kind: string(res.Kind), Already: res.Already, At: apiTime(res.At)})
}

type apiAttendanceIn struct {
	PersonID int64  `json:"person_id"`
	Kind     string `json:"kind"` // "in" or "out"
}

type apiAttendanceMarked struct {
	ActivityID int64  `json:"activity_id"`
	PersonID   int64  `json:"person_id"`
	Kind       string `json:"kind"`
	Already    bool   `json:"already"`
}

// apiMarkAttendance records a check-in or check-out by hand, as the
// on-site page's buttons do.
func (s *Server) apiMarkAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b apiAttendanceIn
	if err := readJSON(r, &b); err != nil {
		return err
	}
	var v domain.Validation
	v.Check(b.PersonID > 0, "person_id", "err.required")
	v.Check(b.Kind == string(service.KindIn) || b.Kind == string(service.KindOut), "kind", "api.attendance.kind")
	if err := v.Err(); err != nil {
		return err
	}
	already, err := s.svc.MarkAttendance(r.Context(), caller(r), id, b.PersonID, b.Kind == string(service.KindIn))
	if err != nil {
		return err
	}
	return writeAPI(w, r, http.StatusOK, apiAttendanceMarked{ActivityID: id, PersonID: b.PersonID, Kind: b.Kind, Already: already})
}
