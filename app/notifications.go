package app

import (
	"fmt"
	"net/url"

	"vanguard/notify"
	"vanguard/service"
)

// senders builds the outside channels from the configuration. A channel
// not configured is nil: its notifications are logged, not sent.
func (cfg Config) senders() (service.Senders, error) {
	var x service.Senders
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return x, fmt.Errorf("--base-url %q: give the address people open, such as https://vanguard.example.gov.cn", cfg.BaseURL)
		}
		x.BaseURL = cfg.BaseURL
	}
	if cfg.SMTPURL != "" {
		m, err := notify.NewMailer(cfg.SMTPURL)
		if err != nil {
			return x, fmt.Errorf("--smtp-url: %w", err)
		}
		x.Email = m
	}
	if cfg.GatewayURL != "" {
		u, err := url.Parse(cfg.GatewayURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return x, fmt.Errorf("--gateway-url %q is not an http(s) address", cfg.GatewayURL)
		}
		if len(cfg.GatewaySecret) < 16 {
			return x, fmt.Errorf("--gateway-secret: give the gateway's signing secret, at least 16 characters, with --gateway-url")
		}
		x.Gateway = &notify.Webhook{URL: cfg.GatewayURL, Secret: []byte(cfg.GatewaySecret)}
	}
	return x, nil
}
