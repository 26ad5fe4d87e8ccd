-- Up Migration
-- An entity taken out of the register (only the fictional sample register is ever taken out: `--replace-sample`)
-- stays as a row marked removed at the revision that removed it, so every instance learns of the removal from the
-- rows changed since the revision it holds, as it learns of any other change.
ALTER TABLE register_entities ADD COLUMN removed boolean NOT NULL DEFAULT false;
