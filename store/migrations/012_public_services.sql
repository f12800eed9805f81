-- The public orders a service, not a team's item: an order may name the
-- team the requester would like (a wish the committee sees at dispatch,
-- not a binding choice). NULL is "no preference: the committee dispatches".
ALTER TABLE orders ADD COLUMN preferred_team_id BIGINT REFERENCES teams(id);
