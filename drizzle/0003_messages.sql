CREATE SEQUENCE "public"."message_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "conversation_members" (
	"app_id" text NOT NULL,
	"conversation_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"read_seq" bigint DEFAULT 0 NOT NULL,
	"cleared_seq" bigint DEFAULT 0 NOT NULL,
	"joined_seq" bigint DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_members_conversation_id_user_id_pk" PRIMARY KEY("conversation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"kind" smallint NOT NULL,
	"user_low" bigint,
	"user_high" bigint,
	"group_id" bigint,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"last_message_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_streams" (
	"app_id" text PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigint PRIMARY KEY DEFAULT ((floor(extract(epoch from clock_timestamp()) * 1000)::bigint - 1577836800000) << 12) | (nextval('message_id_seq') % 4096) NOT NULL,
	"app_id" text NOT NULL,
	"conversation_id" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"sent_position" bigint NOT NULL,
	"position" bigint NOT NULL,
	"from_user_id" bigint,
	"from_device_sn" smallint,
	"to_kind" smallint NOT NULL,
	"to_id" bigint NOT NULL,
	"content_type" smallint NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"attachment" text DEFAULT '' NOT NULL,
	"config" text DEFAULT '' NOT NULL,
	"ext" text DEFAULT '' NOT NULL,
	"mentions" bigint[] DEFAULT '{}' NOT NULL,
	"mention_all" boolean DEFAULT false NOT NULL,
	"system" boolean DEFAULT false NOT NULL,
	"transaction_id" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"edited_at" timestamp with time zone,
	"recalled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "conversation_members" ADD CONSTRAINT "conversation_members_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_members" ADD CONSTRAINT "conversation_members_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_streams" ADD CONSTRAINT "message_streams_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_members_user_idx" ON "conversation_members" USING btree ("user_id","conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_direct_key" ON "conversations" USING btree ("app_id","user_low","user_high") WHERE "conversations"."kind" = 1;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_group_key" ON "conversations" USING btree ("app_id","group_id") WHERE "conversations"."kind" = 2;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_conversation_seq_key" ON "messages" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_app_position_key" ON "messages" USING btree ("app_id","position");--> statement-breakpoint
CREATE INDEX "messages_conversation_position_idx" ON "messages" USING btree ("conversation_id","position");--> statement-breakpoint
CREATE INDEX "messages_conversation_sent_idx" ON "messages" USING btree ("conversation_id","sent_position");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_transaction_key" ON "messages" USING btree ("conversation_id",coalesce("from_user_id", 0),"transaction_id") WHERE "messages"."transaction_id" is not null;