-- Push expansion walks a channel's members by user id (as migrations/0013_push_member_cursor.sql).
ALTER TABLE push_messages RENAME COLUMN next_subscription TO next_member;
UPDATE push_messages SET next_member = 0;
