// Command loginflood fires parallel anonymous sign-ins at a running server
// and prints how they were answered, the slowest answer and the server's
// peak resident memory (VmHWM of its process). bench/login_flood.sh runs
// it against a fresh server; see there.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server")
	n := flag.Int("n", 200, "sign-ins at once")
	pid := flag.Int("pid", 0, "the server's process id, for its peak memory")
	xff := flag.Bool("xff", false, "send each sign-in from another address (X-Forwarded-For; the server needs --trust-proxy)")
	flag.Parse()

	tr := &http.Transport{MaxIdleConnsPerHost: *n, MaxConnsPerHost: 0}
	hc := &http.Client{Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var mu sync.Mutex
	var wg sync.WaitGroup
	statuses := map[string]int{}
	var times []time.Duration
	start := make(chan struct{})
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"username": {fmt.Sprintf("spray%03d", i)}, "password": {"wrong-pass-xx"}}
			req, _ := http.NewRequest(http.MethodPost, *base+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			// What a browser sends with a form posted from the site itself.
			req.Header.Set("Origin", *base)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if *xff {
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256+1))
			}
			<-start
			t0 := time.Now()
			resp, err := hc.Do(req)
			status := "error"
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status = fmt.Sprint(resp.StatusCode)
				if ra := resp.Header.Get("Retry-After"); ra != "" {
					status += " (Retry-After " + ra + ")"
				}
			}
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			statuses[status]++
			times = append(times, d)
		}()
	}
	close(start)
	wg.Wait()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Printf("%d parallel POST /login (distinct names%s)\n", *n, map[bool]string{true: ", distinct addresses", false: ", one address"}[*xff])
	keys := make([]string, 0, len(statuses))
	for k := range statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  %4d x %s\n", statuses[k], k)
	}
	fmt.Printf("  median answer %v, slowest answer %v\n", times[len(times)/2].Round(time.Millisecond), times[len(times)-1].Round(time.Millisecond))
	if *pid != 0 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", *pid))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "VmHWM:") || strings.HasPrefix(line, "VmRSS:") {
				fmt.Println("  server " + strings.Join(strings.Fields(line), " "))
			}
		}
	}
}
