-- An instance of a cluster catches up from the database (as migrations/0012_cluster.sql).
CREATE INDEX messages_version ON messages (version);
