-- When an event is over (UTC text as in 0001), for GET /events?active=true. NULL means not known
-- (no start, a start of "now", or an open-ended duration): such events count as active. Events
-- stored before this migration keep NULL until they are next written.
ALTER TABLE event ADD COLUMN ends VARCHAR(32);
CREATE INDEX event_ends ON event (ends)
