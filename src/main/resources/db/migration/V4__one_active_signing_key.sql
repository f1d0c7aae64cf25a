-- One active signing key per algorithm for the whole cluster. Nodes that start at the same moment on an
-- empty database each used to generate a key of their own, and for a few seconds refused each other's
-- tokens. The database now lets exactly one active key per algorithm exist: the first node's insert
-- wins, the others load it.
--
-- Earlier races may have left several active keys: the newest (the one every node signs with) stays
-- active; the others are retired now and keep verifying for a token lifetime.
UPDATE signing_key SET retired_at = CURRENT_TIMESTAMP
 WHERE retired_at IS NULL
   AND kid NOT IN (SELECT kid FROM (
         SELECT kid, ROW_NUMBER() OVER (PARTITION BY algorithm ORDER BY created_at DESC, kid DESC) AS newest
           FROM signing_key WHERE retired_at IS NULL) active
        WHERE newest = 1);

-- The algorithm while the key signs, NULL once it is retired; unique, so one active key per algorithm.
ALTER TABLE signing_key ADD COLUMN active_algorithm VARCHAR(20);
UPDATE signing_key SET active_algorithm = algorithm WHERE retired_at IS NULL;
ALTER TABLE signing_key ADD CONSTRAINT signing_key_one_active UNIQUE (active_algorithm);
