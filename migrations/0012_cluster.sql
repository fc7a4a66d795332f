-- Pace schema, version 12: an instance of a cluster catches up from the database.
-- When Redis loses pub/sub messages (or restarts), an instance reads every message whose
-- version moved after the last change it knows it delivered, across all conversations
-- (Sources/PaceApp/Cluster/StoreCatchUp.swift); this index makes that a range scan of the
-- last few seconds instead of a pass over the whole table.
CREATE INDEX messages_version ON messages (version);
