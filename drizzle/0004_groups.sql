CREATE TABLE "group_announcements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "group_announcements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	"author_id" bigint,
	"title" text NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_applications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "group_applications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" smallint DEFAULT 0 NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_blocks" (
	"app_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_blocks_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "group_files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "group_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	"uploader_id" bigint,
	"name" text NOT NULL,
	"size" bigint NOT NULL,
	"type" text DEFAULT '' NOT NULL,
	"url" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_invitations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "group_invitations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" smallint DEFAULT 0 NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"inviter_id" bigint
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"app_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"joined_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"banned_until" timestamp (3) with time zone,
	"msg_mute_mode" smallint DEFAULT 0 NOT NULL,
	"msg_push_mode" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" bigint PRIMARY KEY DEFAULT nextval('entity_id_seq') NOT NULL,
	"app_id" text NOT NULL,
	"type" smallint NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"avatar" text DEFAULT '' NOT NULL,
	"ext" text DEFAULT '' NOT NULL,
	"owner_id" bigint NOT NULL,
	"capacity" integer NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"member_invite" boolean DEFAULT true NOT NULL,
	"member_modify" boolean DEFAULT false NOT NULL,
	"history_visible" boolean DEFAULT false NOT NULL,
	"read_ack" boolean DEFAULT false NOT NULL,
	"apply_approval" smallint DEFAULT 1 NOT NULL,
	"ban_all_until" timestamp (3) with time zone,
	"dissolved_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_app_id_key" UNIQUE("app_id","id")
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"app_id" text NOT NULL,
	"purpose" text NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signing_keys_app_id_purpose_pk" PRIMARY KEY("app_id","purpose")
);
--> statement-breakpoint
ALTER TABLE "group_announcements" ADD CONSTRAINT "group_announcements_app_id_group_id_groups_app_id_id_fk" FOREIGN KEY ("app_id","group_id") REFERENCES "public"."groups"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_announcements" ADD CONSTRAINT "group_announcements_app_id_author_id_users_app_id_id_fk" FOREIGN KEY ("app_id","author_id") REFERENCES "public"."users"("app_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_applications" ADD CONSTRAINT "group_applications_app_id_group_id_groups_app_id_id_fk" FOREIGN KEY ("app_id","group_id") REFERENCES "public"."groups"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_applications" ADD CONSTRAINT "group_applications_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_blocks" ADD CONSTRAINT "group_blocks_app_id_group_id_groups_app_id_id_fk" FOREIGN KEY ("app_id","group_id") REFERENCES "public"."groups"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_blocks" ADD CONSTRAINT "group_blocks_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_files" ADD CONSTRAINT "group_files_app_id_group_id_groups_app_id_id_fk" FOREIGN KEY ("app_id","group_id") REFERENCES "public"."groups"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_files" ADD CONSTRAINT "group_files_app_id_uploader_id_users_app_id_id_fk" FOREIGN KEY ("app_id","uploader_id") REFERENCES "public"."users"("app_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_invitations" ADD CONSTRAINT "group_invitations_app_id_group_id_groups_app_id_id_fk" FOREIGN KEY ("app_id","group_id") REFERENCES "public"."groups"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_invitations" ADD CONSTRAINT "group_invitations_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_invitations" ADD CONSTRAINT "group_invitations_app_id_inviter_id_users_app_id_id_fk" FOREIGN KEY ("app_id","inviter_id") REFERENCES "public"."users"("app_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_app_id_group_id_groups_app_id_id_fk" FOREIGN KEY ("app_id","group_id") REFERENCES "public"."groups"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_app_id_owner_id_users_app_id_id_fk" FOREIGN KEY ("app_id","owner_id") REFERENCES "public"."users"("app_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_announcements_group_idx" ON "group_announcements" USING btree ("app_id","group_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_applications_group_user_key" ON "group_applications" USING btree ("group_id","user_id");--> statement-breakpoint
CREATE INDEX "group_applications_list_idx" ON "group_applications" USING btree ("app_id","group_id","created_at","id");--> statement-breakpoint
CREATE INDEX "group_files_group_idx" ON "group_files" USING btree ("app_id","group_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_invitations_group_user_key" ON "group_invitations" USING btree ("group_id","user_id");--> statement-breakpoint
CREATE INDEX "group_invitations_invitee_idx" ON "group_invitations" USING btree ("app_id","user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "group_members_join_order_idx" ON "group_members" USING btree ("app_id","group_id","joined_at","user_id");--> statement-breakpoint
CREATE INDEX "group_members_user_idx" ON "group_members" USING btree ("app_id","user_id","group_id");--> statement-breakpoint
CREATE INDEX "group_members_banned_idx" ON "group_members" USING btree ("group_id","user_id") WHERE "group_members"."banned_until" is not null;--> statement-breakpoint
CREATE INDEX "groups_owner_idx" ON "groups" USING btree ("app_id","owner_id") WHERE "groups"."dissolved_at" is null;--> statement-breakpoint
CREATE INDEX "groups_public_idx" ON "groups" USING btree ("app_id","id") WHERE "groups"."type" = 1 and "groups"."dissolved_at" is null;