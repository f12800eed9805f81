// Package notify holds the transports that carry a notification outside
// the site: email by SMTP and a signed webhook to an SMS or WeChat gateway.
// It knows nothing of Vanguard's data: the service renders a Message and
// hands it to a Sender.
package notify

import "context"

// Message is one notification ready to send.
type Message struct {
	// Key identifies this delivery across retries: a gateway that sees a
	// key twice sends once.
	Key     string
	Event   string
	Email   string // for email
	Phone   string // for the gateway
	OpenID  string // for the gateway: a WeChat openid
	Lang    string
	Subject string
	Text    string // the body, with the link on its own line
	Link    string // absolute
}

// A Sender sends a message or says why it could not.
type Sender interface {
	Send(ctx context.Context, m Message) error
}
