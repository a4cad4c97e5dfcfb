-- The outbox id is a random UUID per event: its unique index cost every event two index entries
-- (the insert, and the relay's non-HOT update of sent_at) and guarded against nothing.
DROP INDEX "outbox_message_id_key";
