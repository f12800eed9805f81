package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"vanguard/service"
)

// TestBrowserLedgerPrint: the org admin nmj-admin opens the ledger index,
// picks a team of their unit by name and opens its ledger for the year;
// the page heads with the committee's name. Printed (print media on an
// A4-sized window) the navigation and the tools are gone and the running
// header shows; as a PDF the ledger is A4 pages, several of them. The
// screenshots of both are kept under VANGUARD_E2E_SHOTS with the PDF.
func TestBrowserLedgerPrint(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)

	b.navigate("/login")
	b.login("nmj-admin", service.DemoPassword)
	b.navigate("/ledgers")
	b.expectPage("/ledgers", "台帐", "zh-CN")
	if n := b.count("#ledger-org-form"); n != 1 {
		t.Errorf("the org admin's index has %d org forms, want 1", n)
	}
	if n := b.count("#ledger-register-form"); n != 0 {
		t.Error("the org admin's index offers the order register")
	}
	team := b.eval(`document.querySelector("#ledger-team option").textContent`)
	if !strings.Contains(team, "市农牧业局") {
		t.Errorf("the first team offered is %q, want one of 市农牧业局", team)
	}
	b.screenshot("ledger-index")
	b.click("#ledger-team-open")
	if p := b.path(); !strings.HasPrefix(p, "/ledgers/teams/") {
		t.Fatalf("after choosing a team: on %s", p)
	}
	if got := b.text("#ledger-title"); !strings.Contains(got, "台帐") {
		t.Errorf("ledger title %q", got)
	}
	if got := b.text("#ledger-committee"); got != "市直机关工委" {
		t.Errorf("ledger committee %q, want 市直机关工委", got)
	}
	if got := b.text("#ledger-total-person-times"); !regexp.MustCompile(`^\d+$`).MatchString(got) {
		t.Errorf("person-times %q", got)
	}
	b.noCatalogueKeys("team ledger")
	if keys := regexp.MustCompile(`\bledger\.[a-z_]+(\.[a-z_]+)+`).FindAllString(b.text("body"), -1); len(keys) > 0 {
		t.Errorf("the ledger shows untranslated keys %v", keys)
	}
	b.screenshot("ledger-screen")

	// Print: an A4-sized window (96 dpi) in print media.
	b.step("A4 window", chromedp.EmulateViewport(794, 1123))
	b.media("print")
	for _, sel := range []string{"header.top", "#year-nav", "#ledger-filters"} {
		if got := b.eval(`getComputedStyle(document.querySelector("` + sel + `")).display`); got != "none" {
			t.Errorf("in print %s shows (display %q)", sel, got)
		}
	}
	if got := b.eval(`getComputedStyle(document.querySelector(".ledger-frame > thead")).display`); got != "table-header-group" {
		t.Errorf("in print the running header is %q, want a repeated table-header-group", got)
	}
	if got := b.text(".ledger-running"); !strings.Contains(got, "市直机关工委") {
		t.Errorf("running header %q", got)
	}
	b.screenshot("ledger-print")

	pdf := printPDF(b)
	b.media("")
	pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)
	if len(pages) < 2 {
		t.Errorf("the PDF has %d pages, want the ledger over several", len(pages))
	}
	// A4 is 595 × 842 points.
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]`).Match(pdf) {
		t.Errorf("the PDF's pages are not A4: %q", firstMatch(`/MediaBox\s*\[[^\]]*\]`, pdf))
	}
	t.Logf("PDF: %d pages, %d bytes", len(pages), len(pdf))
	if dir := os.Getenv("VANGUARD_E2E_SHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, t.Name()+"-ledger.pdf"), pdf, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// printPDF prints the page as Chromium would to paper, with the page size
// the stylesheet asks for.
func printPDF(b *browser) []byte {
	b.t.Helper()
	return value(b, "print to PDF", chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		prefer := true
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}))
}

// TestBrowserRegisterPrint: the committee opens the order register of the
// year from the index and prints it across A4 pages (landscape).
func TestBrowserRegisterPrint(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("admin", service.DemoPassword)
	b.navigate("/ledgers")
	b.click("#ledger-register-open")
	b.expectPage("/ledgers/orders", "点单派单台帐", "zh-CN")
	if n := b.count("#register-table tbody tr"); n == 0 {
		t.Error("the register of the year lists no order")
	}
	b.screenshot("register-screen")
	b.step("A4 landscape window", chromedp.EmulateViewport(1123, 794))
	b.media("print")
	b.screenshot("register-print")
	pdf := printPDF(b)
	b.media("")
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0 0 84[12](\.\d+)? 59[45](\.\d+)?\s*\]`).Match(pdf) {
		t.Errorf("the register's pages are not A4 landscape: %q", firstMatch(`/MediaBox\s*\[[^\]]*\]`, pdf))
	}
	if dir := os.Getenv("VANGUARD_E2E_SHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, t.Name()+"-register.pdf"), pdf, 0o644); err != nil {
			t.Error(err)
		}
	}
}

func firstMatch(re string, b []byte) string {
	m := regexp.MustCompile(re).Find(b)
	return string(bytes.TrimSpace(m))
}
