ALTER TABLE "conversations" ADD COLUMN "position" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "conversations" c SET "position" = m.p FROM (SELECT "conversation_id", max("position") AS p FROM "messages" GROUP BY "conversation_id") m WHERE m."conversation_id" = c."id";
