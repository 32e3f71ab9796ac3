CREATE TABLE "open_ids" (
	"app_id" text NOT NULL,
	"type" text NOT NULL,
	"open_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open_ids_app_id_type_open_id_pk" PRIMARY KEY("app_id","type","open_id")
);
--> statement-breakpoint
CREATE TABLE "push_tags" (
	"app_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"tag" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_tags_user_id_tag_pk" PRIMARY KEY("user_id","tag")
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"id" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"device_sn" integer,
	"server_id" text NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_device_id_devices_id_fk";
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "notifier_name" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "push_badge" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "open_ids" ADD CONSTRAINT "open_ids_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_tags" ADD CONSTRAINT "push_tags_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "open_ids_user_idx" ON "open_ids" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "push_tags_app_tag_idx" ON "push_tags" USING btree ("app_id","tag");--> statement-breakpoint
CREATE INDEX "connections_user_idx" ON "connections" USING btree ("app_id","user_id","heartbeat_at");--> statement-breakpoint
CREATE INDEX "connections_server_idx" ON "connections" USING btree ("server_id");--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;