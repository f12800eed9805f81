package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Webhook posts each message as signed JSON to an SMS or WeChat gateway.
//
// The body is a GatewayPayload. Headers:
//
//	Idempotency-Key:     the payload's id, the same on every retry
//	X-Vanguard-Timestamp: Unix seconds
//	X-Vanguard-Signature: "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body))
//
// Any 2xx answer is success; anything else, or no answer in 15 s, is a
// failure the queue retries with backoff.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	Now    func() time.Time
}

// GatewayPayload is what the gateway receives.
type GatewayPayload struct {
	ID     string `json:"id"`
	Event  string `json:"event"`
	Phone  string `json:"phone,omitempty"`
	OpenID string `json:"openid,omitempty"`
	Lang   string `json:"lang"`
	Text   string `json:"text"`
	Link   string `json:"link,omitempty"`
}

// Send posts m to the gateway.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(GatewayPayload{ID: m.Key, Event: m.Event, Phone: m.Phone, OpenID: m.OpenID,
		Lang: m.Lang, Text: m.Text, Link: m.Link})
	if err != nil {
		return err
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("gateway request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Idempotency-Key", m.Key)
	req.Header.Set("X-Vanguard-Timestamp", ts)
	req.Header.Set("X-Vanguard-Signature", Sign(w.Secret, ts, body))
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("gateway answered %s", resp.Status)
	}
	return nil
}

// Sign is the signature of a webhook body sent at timestamp ts.
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a webhook's signature and that its timestamp is within
// maxSkew of now, as a gateway should before it sends anything.
func Verify(secret []byte, ts string, body []byte, signature string, now time.Time, maxSkew time.Duration) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature))
}
