package store

import (
	"context"
	"fmt"
	"strings"

	"vanguard/domain"
)

// DeliveryChannels returns the channel of each of the given deliveries, so
// /admin/jobs can name a deliver job "send a notification (email)" with one
// query for a whole list.
func (s *Store) DeliveryChannels(ctx context.Context, ids []int64) (map[int64]domain.NoticeChannel, error) {
	out := map[int64]domain.NoticeChannel{}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")
		rows, err := s.query(ctx, "SELECT id, channel FROM notification_deliveries WHERE id IN ("+marks+")", args...)
		if err != nil {
			return nil, fmt.Errorf("delivery channels: %w", err)
		}
		for rows.Next() {
			var id int64
			var ch string
			if err := rows.Scan(&id, &ch); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = domain.NoticeChannel(ch)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
