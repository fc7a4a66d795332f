-- Pace schema, version 9: unread counts without counting messages (issue 17).
-- A conversation list used to count, per conversation, the messages above the member's read
-- marker: about 60 ms for a user in 500 channels with 500,000 unread messages. Now each message
-- has its ordinal `n` in its conversation (1, 2, 3… in seq order, never reused), the conversation
-- its `message_count` (the highest ordinal), and each member the ordinal of the message at their
-- marker (`read_n`), how many of their own messages lie above it (`own_above`, deleted or not)
-- and how many deleted messages of others do (`deleted_above`). Unread is then
-- message_count - read_n - own_above - deleted_above, read from the rows the list already joins.
-- A send changes one member row (the sender's); a delete, the rows of members who had not read
-- it yet; a read marker recounts only what lies above its new position.
ALTER TABLE messages ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN read_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN own_above INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN deleted_above INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET n = ordinals.n
FROM (SELECT id, row_number() OVER (PARTITION BY conversation_id ORDER BY seq) AS n FROM messages) AS ordinals
WHERE ordinals.id = messages.id;
UPDATE conversations SET message_count = COALESCE((SELECT max(x.n) FROM messages x WHERE x.conversation_id = conversations.id), 0);
UPDATE members SET
    read_n = COALESCE((SELECT x.n FROM messages x WHERE x.conversation_id = members.conversation_id
                       AND x.seq <= members.last_read_seq ORDER BY x.seq DESC LIMIT 1), 0),
    own_above = (SELECT count(*) FROM messages x WHERE x.conversation_id = members.conversation_id
                 AND x.seq > members.last_read_seq AND x.sender_id = members.user_id),
    deleted_above = (SELECT count(*) FROM messages x WHERE x.conversation_id = members.conversation_id
                     AND x.seq > members.last_read_seq AND x.sender_id <> members.user_id AND x.deleted = 1);

-- `@channel` and `@here` take one row per message instead of one per member: writing a row into
-- three indexes for each of 200 members cost a send 5 to 12 ms, where a plain send costs under
-- one. A member's mention count is their own rows (`@username`) of messages without such a row,
-- plus these rows above their marker that others sent.
CREATE TABLE channel_mentions (
    conversation_id INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    sender_id       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX channel_mentions_message ON channel_mentions (message_id);
INSERT INTO channel_mentions (conversation_id, seq, message_id, sender_id)
SELECT DISTINCT n.conversation_id, n.seq, n.message_id, x.sender_id
FROM mentions n JOIN messages x ON x.id = n.message_id WHERE n.explicit = 0;
DELETE FROM mentions WHERE explicit = 0;
