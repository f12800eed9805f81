package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"vanguard/domain"
	"vanguard/service"
	"vanguard/store"
)

// TestBrowserImportPeople: an org admin downloads the people template,
// imports a file with one bad row and reads which row and column are wrong
// (nothing is imported), fixes it, imports again and finds both people.
func TestBrowserImportPeople(t *testing.T) {
	chromiumPath(t)
	srv := startServer(t, true)
	b := newBrowser(t, srv.URL)
	b.navigate("/login")
	b.login("nmj-admin", service.DemoPassword)

	// Download the template as a person would: by clicking its link.
	downloads := t.TempDir()
	b.step("allow downloads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
		return err
	}))
	b.navigate("/people/import")
	b.expectPage("/people/import", "", "zh-CN")
	b.screenshot("import-page")
	b.step("click the template link", chromedp.Click(chromedp.CSS("#import-template")))
	file := waitForDownload(t, downloads, ".xlsx")

	// Fill it in: two people, the second with a bad mobile number.
	book, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("the downloaded template does not open: %v", err)
	}
	sheet := book.GetSheetName(0)
	headers, _ := book.GetRows(sheet)
	if len(headers) == 0 || headers[0][0] != "姓名" {
		t.Fatalf("template headers = %v", headers)
	}
	book.RemoveRow(sheet, 2) // the example row
	row := func(n int, name, phone string) {
		values := []any{name, "男", phone, "", "中共党员", "市农牧业局", "", "兽医", "疫病防治", "周末上午", ""}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := book.SetSheetRow(sheet, cell, &values); err != nil {
			t.Fatal(err)
		}
	}
	row(2, "苏和巴特尔", "13612340001")
	row(3, "阿拉坦仓", "1361234")
	bad := filepath.Join(t.TempDir(), "人员.xlsx")
	if err := book.SaveAs(bad); err != nil {
		t.Fatal(err)
	}

	upload := func(path string) {
		b.navigate("/people/import")
		b.step("choose "+filepath.Base(path), chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}))
		b.step("submit", chromedp.Click(chromedp.CSS("#import-submit")),
			chromedp.WaitVisible(chromedp.CSS("#import-faults, #import-ok")))
	}
	upload(bad)
	b.screenshot("import-fault")
	faults := b.text("#import-faults")
	if !strings.Contains(faults, "3") || !strings.Contains(faults, "手机号") {
		t.Errorf("the fault list does not name row 3 and 手机号: %q", faults)
	}
	ctx := context.Background()
	if _, n, _ := srv.Main.Store.ListPeople(ctx, store.PeopleFilter{Scope: domain.Scope{All: true}, Query: "苏和巴特尔"}); n != 0 {
		t.Fatalf("a file with a bad row imported %d people", n)
	}

	// Fix the row and import again.
	row(3, "阿拉坦仓", "13612340002")
	good := filepath.Join(t.TempDir(), "人员.xlsx")
	if err := book.SaveAs(good); err != nil {
		t.Fatal(err)
	}
	upload(good)
	b.screenshot("import-ok")
	if got := b.text("#import-ok"); !strings.Contains(got, "2") {
		t.Errorf("the result says %q, want 2 imported", got)
	}
	b.navigate("/people?q=阿拉坦仓")
	if got := b.text("#people-table"); !strings.Contains(got, "阿拉坦仓") || !strings.Contains(got, "136****0002") {
		t.Errorf("the people list after the import shows %q", got)
	}
}

// waitForDownload waits for a finished download with the extension in dir.
func waitForDownload(t *testing.T, dir, ext string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ext) {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no %s file was downloaded into %s", ext, dir)
	return ""
}
