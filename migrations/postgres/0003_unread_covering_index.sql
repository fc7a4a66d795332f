-- Unread counts from the index alone (as migrations/0003_unread_covering_index.sql).
DROP INDEX messages_conversation_seq;
CREATE INDEX messages_conversation_seq ON messages (conversation_id, seq, sender_id, deleted);
