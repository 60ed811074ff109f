-- Create "match_states" table
CREATE TABLE `match_states` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `version` integer NOT NULL DEFAULT (0));
-- Set sequence for "match_states" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("match_states", 111669149696);

-- The version of the matchmaking data starts at 0
INSERT INTO `match_states` (`version`) VALUES (0);
