package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"vanguard/app"
	"vanguard/domain"
	"vanguard/store"
)

// TestRateLimitsHoldUnderParallelRequests: limits counted in the database
// hold when the requests arrive at once, on both databases: 60 parallel
// certificate checks give exactly the 20 allowed per ten minutes, and 20
// parallel public orders for one phone create exactly the 3 allowed an hour.
func TestRateLimitsHoldUnderParallelRequests(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		f := publicFixtureOf(t, startApp(t, app.Config{DB: db, Demo: true}))
		a := f.a

		got := inParallel(t, 60, func(int) (int, error) {
			resp, err := a.tr.RoundTrip(mustRequest(http.MethodGet, a.url+"/verify?number=VG-2026-000001-ABCDEF"))
			if err != nil {
				return 0, err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, nil
		})
		if got[http.StatusTooManyRequests] != 40 || got[http.StatusNotFound] != 20 {
			t.Errorf("60 parallel GET /verify: %v, want 20 answered (404) and 40 refused (429)", got)
		}

		got = inParallel(t, 20, func(int) (int, error) {
			status, _, err := rawPost(a, "/order", f.orderForm(f.clinic), "", "")
			return status, err
		})
		if got[http.StatusSeeOther] != 3 || got[http.StatusTooManyRequests] != 17 {
			t.Errorf("20 parallel orders for one phone: %v, want 3 placed (303) and 17 refused (429)", got)
		}
		orders, _, err := a.Store.ListOrders(context.Background(), store.OrderFilter{Scope: domain.Scope{All: true}, Query: "巴特尔"})
		if err != nil || len(orders) != 3 {
			t.Errorf("orders stored: %d (%v), want 3", len(orders), err)
		}
	})
}

func mustRequest(method, url string) *http.Request {
	req, err := http.NewRequest(method, url, strings.NewReader(""))
	if err != nil {
		panic(err)
	}
	return req
}
