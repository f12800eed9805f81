package service

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"vanguard/domain"
	"vanguard/store"
)

// The job queue as the committee watches it at /admin/jobs: how many jobs
// wait, run, failed or died, and a retry or cancel for each.

// JobListStates are the states /admin/jobs lists, in page order: waiting,
// running, failed and to be retried, dead (discarded after the last
// attempt), cancelled.
var JobListStates = []string{"available", "scheduled", "running", "retryable", "discarded", "cancelled"}

// JobsPerState is how many jobs of each state the page lists.
const JobsPerState = 50

// QueueJob is one job as /admin/jobs shows it.
type QueueJob struct {
	store.Job
	Channel   domain.NoticeChannel // for a deliver job: email or gateway; "" when unknown
	LastError string               // shortened, personal data masked

	deliveryID int64
}

// JobsOverview is the whole page: counts per state, the lists, and the
// deliveries by channel and state.
type JobsOverview struct {
	Counts     map[string]int
	Lists      map[string][]QueueJob
	Deliveries map[string]map[string]int
}

// Jobs returns the queue for /admin/jobs.
func (s *Service) Jobs(ctx context.Context, c domain.Caller) (JobsOverview, error) {
	var out JobsOverview
	if err := domain.Authorize(c.Principal, domain.ActJobsManage, domain.Target{}); err != nil {
		return out, err
	}
	var err error
	if out.Counts, err = s.store.JobCounts(ctx); err != nil {
		return out, err
	}
	if out.Deliveries, err = s.store.DeliveryCounts(ctx); err != nil {
		return out, err
	}
	out.Lists = map[string][]QueueJob{}
	var deliveries []int64
	for _, st := range JobListStates {
		if out.Counts[st] == 0 {
			continue
		}
		jobs, err := s.store.Jobs(ctx, st, JobsPerState)
		if err != nil {
			return out, err
		}
		for _, j := range jobs {
			q := QueueJob{Job: j, LastError: ScrubJobError(j.LastError), deliveryID: deliveryOf(j)}
			q.Job.Args = nil // not for the page
			q.Job.LastError = ""
			if q.deliveryID != 0 {
				deliveries = append(deliveries, q.deliveryID)
			}
			out.Lists[st] = append(out.Lists[st], q)
		}
	}
	if len(deliveries) == 0 {
		return out, nil
	}
	channels, err := s.store.DeliveryChannels(ctx, deliveries)
	if err != nil {
		return out, err
	}
	for _, list := range out.Lists {
		for i := range list {
			list[i].Channel = channels[list[i].deliveryID]
		}
	}
	return out, nil
}

// deliveryOf is the delivery a deliver job sends, 0 for any other job.
func deliveryOf(j store.Job) int64 {
	if j.Kind != (store.DeliverArgs{}).Kind() {
		return 0
	}
	var a store.DeliverArgs
	if json.Unmarshal(j.Args, &a) != nil {
		return 0
	}
	return a.DeliveryID
}

// RetryJob makes a failed, dead or cancelled job available again.
func (s *Service) RetryJob(ctx context.Context, c domain.Caller, id int64) error {
	return s.jobAction(ctx, c, id, "job.retry", func(tx *store.Tx) error { return tx.RetryJob(id) })
}

// CancelJob cancels a job that has not completed.
func (s *Service) CancelJob(ctx context.Context, c domain.Caller, id int64) error {
	return s.jobAction(ctx, c, id, "job.cancel", func(tx *store.Tx) error { return tx.CancelJob(id) })
}

func (s *Service) jobAction(ctx context.Context, c domain.Caller, id int64, action string, fn func(*store.Tx) error) error {
	if err := domain.Authorize(c.Principal, domain.ActJobsManage, domain.Target{}); err != nil {
		return err
	}
	return s.store.Write(ctx, c.Actor(), func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Audit(action, "job", strconv.FormatInt(id, 10), nil, nil)
	})
}

var (
	emailInText  = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phoneInText  = regexp.MustCompile(`(^|[^0-9])(1[3-9][0-9]{9})([^0-9]|$)`)
	openIDInText = regexp.MustCompile(`\b[A-Za-z0-9_-]{28}\b`)
)

// MaxJobError is how much of a job's last error the page shows, in
// characters.
const MaxJobError = 160

// ScrubJobError shortens a job's error for the page and masks what in it
// could be personal: email addresses, mobile numbers and WeChat openids an
// SMTP server or gateway may have echoed back.
func ScrubJobError(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = emailInText.ReplaceAllStringFunc(s, domain.MaskEmail)
	s = phoneInText.ReplaceAllStringFunc(s, func(m string) string {
		g := phoneInText.FindStringSubmatch(m)
		return g[1] + domain.MaskPhone(g[2]) + g[3]
	})
	s = openIDInText.ReplaceAllStringFunc(s, domain.MaskIDCard)
	if r := []rune(s); len(r) > MaxJobError {
		s = string(r[:MaxJobError-1]) + "…"
	}
	return s
}
