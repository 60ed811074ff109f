-- hub_fold: text in lower case without diacritics, for searches that ignore
-- case and accents (internal/collation: FoldSQL, the same as Fold on SQLite).
CREATE FUNCTION "hub_fold" (text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT translate(regexp_replace(normalize(lower($1 COLLATE "und-x-icu"), NFD), '[\u0300-\u036f]', '', 'g'), 'łđøħıς', 'ldohiσ') $$;
-- Names sort in the Unicode root collation: diacritics beside their base letter.
ALTER TABLE "associations" ALTER COLUMN "name" TYPE character varying COLLATE "und-x-icu";
ALTER TABLE "countries" ALTER COLUMN "name" TYPE character varying COLLATE "und-x-icu";
ALTER TABLE "municipalities" ALTER COLUMN "name" TYPE character varying COLLATE "und-x-icu";
ALTER TABLE "regions" ALTER COLUMN "name" TYPE character varying COLLATE "und-x-icu";
