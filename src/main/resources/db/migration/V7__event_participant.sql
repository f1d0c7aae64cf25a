-- An event's participant is called so everywhere in Parley (see docs/api.md, Glossary).
ALTER TABLE engagement_event RENAME COLUMN actor_id TO participant_id;
