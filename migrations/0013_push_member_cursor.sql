-- Pace schema, version 13: a big channel's push expansion walks its members, not its pushes.
-- Each step of a message's expansion now takes the next members in user-id order (a range of
-- the members primary key) instead of the next subscriptions in id order, which made every
-- step scan and sort the whole channel: ten 1000-subscription steps over a channel of 10,000
-- held the writer 8 to 15 ms each. The cursor is therefore a user id; a message part-way
-- through its expansion at the upgrade starts over, so its first members may get it twice.
ALTER TABLE push_messages RENAME COLUMN next_subscription TO next_member;
UPDATE push_messages SET next_member = 0;
