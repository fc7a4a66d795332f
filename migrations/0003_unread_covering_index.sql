-- Pace schema, version 2: unread counts from the index alone.
-- A conversation list counts, per conversation, the messages above the member's read marker that
-- others sent and that are not deleted. With messages_conversation_seq on (conversation_id, seq)
-- that count reads every such row from the table (about 20 ms for a user in 500 conversations
-- with 50 unread messages each); with sender_id and deleted in the index it never leaves the index
-- (about 3 ms). Pages and replay use the same (conversation_id, seq) prefix as before, so the
-- index is widened in place, keeping its name, rather than adding a second one to every insert.
DROP INDEX messages_conversation_seq;
CREATE INDEX messages_conversation_seq ON messages (conversation_id, seq, sender_id, deleted);
