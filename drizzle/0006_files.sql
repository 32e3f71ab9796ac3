CREATE TABLE "file_refs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "file_refs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"file_id" bigint,
	"purpose" smallint NOT NULL,
	"file_type" smallint NOT NULL,
	"scope_kind" smallint NOT NULL,
	"scope_low" bigint NOT NULL,
	"scope_high" bigint,
	"scope_seq" bigint DEFAULT 0 NOT NULL,
	"owner_id" bigint,
	"name" text DEFAULT '' NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stored_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"storage_key" text NOT NULL,
	"size" bigint NOT NULL,
	"mime_type" text NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"duration_ms" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "stored_files_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "stored_files_app_id_key" UNIQUE("app_id","id")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "file_ref_id" bigint;--> statement-breakpoint
ALTER TABLE "group_files" ADD COLUMN "file_ref_id" bigint;--> statement-breakpoint
ALTER TABLE "file_refs" ADD CONSTRAINT "file_refs_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_refs" ADD CONSTRAINT "file_refs_app_id_file_id_stored_files_app_id_id_fk" FOREIGN KEY ("app_id","file_id") REFERENCES "public"."stored_files"("app_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_refs" ADD CONSTRAINT "file_refs_app_id_owner_id_users_app_id_id_fk" FOREIGN KEY ("app_id","owner_id") REFERENCES "public"."users"("app_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "file_refs_file_idx" ON "file_refs" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "file_refs_pending_idx" ON "file_refs" USING btree ("expires_at") WHERE "file_refs"."file_id" is null;--> statement-breakpoint
CREATE INDEX "stored_files_deleted_idx" ON "stored_files" USING btree ("deleted_at") WHERE "stored_files"."deleted_at" is not null;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_file_ref_id_file_refs_id_fk" FOREIGN KEY ("file_ref_id") REFERENCES "public"."file_refs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_files" ADD CONSTRAINT "group_files_file_ref_id_file_refs_id_fk" FOREIGN KEY ("file_ref_id") REFERENCES "public"."file_refs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_file_ref_idx" ON "messages" USING btree ("file_ref_id") WHERE "messages"."file_ref_id" is not null;--> statement-breakpoint
CREATE INDEX "group_files_ref_idx" ON "group_files" USING btree ("file_ref_id");