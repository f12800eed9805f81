package notify

import (
	"context"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// Mailer sends email through one SMTP server.
type Mailer struct {
	host string
	from string
	opts []mail.Option
}

// NewMailer configures a Mailer from a URL:
//
//	smtp://user:password@host:587?from=noreply@example.org   STARTTLS required
//	smtps://user:password@host:465?from=…                    TLS from the start
//	smtp://host:25?from=…&tls=none                            plain (a relay on the same host)
//	smtp://host:25?from=…&tls=opportunistic                   STARTTLS when offered
func NewMailer(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, fmt.Errorf("SMTP URL: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	q := u.Query()
	from := q.Get("from")
	if _, err := netmail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("SMTP URL: give the sender address as ?from=name@example.org")
	}
	m := &Mailer{host: u.Hostname(), from: from}
	if m.host == "" {
		return nil, fmt.Errorf("SMTP URL: no host")
	}
	m.opts = append(m.opts, mail.WithTimeout(20*time.Second))
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("SMTP URL: port %q", p)
		}
		m.opts = append(m.opts, mail.WithPort(n))
	}
	switch tls := q.Get("tls"); {
	case u.Scheme == "smtps":
		m.opts = append(m.opts, mail.WithSSL())
	case tls == "none":
		m.opts = append(m.opts, mail.WithTLSPolicy(mail.NoTLS))
	case tls == "opportunistic":
		m.opts = append(m.opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case tls == "" || tls == "starttls":
		m.opts = append(m.opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		return nil, fmt.Errorf("SMTP URL: tls must be starttls, opportunistic or none, not %q", tls)
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.opts = append(m.opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(u.User.Username()), mail.WithPassword(pw))
	}
	return m, nil
}

// Send sends m.Text to m.Email. The message id is made from m.Key, so a
// retried delivery is recognisably the same message.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	e := mail.NewMsg()
	if err := e.From(m.from); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := e.To(msg.Email); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	e.Subject(msg.Subject)
	e.SetMessageIDWithValue(msg.Key + "@vanguard")
	e.SetDate()
	e.SetBodyString(mail.TypeTextPlain, msg.Text)
	c, err := mail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("SMTP client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, e); err != nil {
		return fmt.Errorf("send email: %w", err)
	}
	return nil
}
