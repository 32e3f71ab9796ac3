CREATE SEQUENCE "public"."entity_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 10000000000 CACHE 1;--> statement-breakpoint
CREATE TABLE "apps" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "access_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"user_id" bigint,
	"device_id" bigint,
	"token_hash" "bytea" NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "devices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"device_sn" integer NOT NULL,
	"device_guid" text NOT NULL,
	"platform" smallint DEFAULT 0 NOT NULL,
	"push_token" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_settings" (
	"app_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"auth_mode" smallint DEFAULT 1 NOT NULL,
	"auth_question" text DEFAULT '' NOT NULL,
	"auth_answer" text DEFAULT '' NOT NULL,
	"auto_download" boolean DEFAULT true NOT NULL,
	"group_confirm" boolean DEFAULT false NOT NULL,
	"no_push" boolean DEFAULT false NOT NULL,
	"no_push_detail" boolean DEFAULT false NOT NULL,
	"no_push_start_hour" smallint DEFAULT 0 NOT NULL,
	"no_push_end_hour" smallint DEFAULT 0 NOT NULL,
	"silence_start_time" integer DEFAULT 0 NOT NULL,
	"silence_end_time" integer DEFAULT 0 NOT NULL,
	"no_sounds" boolean DEFAULT false NOT NULL,
	"vibratory" boolean DEFAULT true NOT NULL,
	"push_nick_name" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_settings_user_id_pk" PRIMARY KEY("user_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY DEFAULT nextval('entity_id_seq') NOT NULL,
	"app_id" text NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"mobile" text,
	"email" text,
	"nick_name" text,
	"avatar" text,
	"description" text,
	"public_info" text,
	"private_info" text,
	"ext" text,
	"push_alias" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_app_id_key" UNIQUE("app_id","id")
);
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_settings" ADD CONSTRAINT "user_settings_app_id_user_id_users_app_id_id_fk" FOREIGN KEY ("app_id","user_id") REFERENCES "public"."users"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_tokens_hash_key" ON "access_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "access_tokens_user_idx" ON "access_tokens" USING btree ("user_id") WHERE "access_tokens"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_user_guid_key" ON "devices" USING btree ("user_id","device_guid");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_user_sn_key" ON "devices" USING btree ("user_id","device_sn");--> statement-breakpoint
CREATE UNIQUE INDEX "users_app_username_key" ON "users" USING btree ("app_id","username");--> statement-breakpoint
CREATE UNIQUE INDEX "users_app_mobile_key" ON "users" USING btree ("app_id","mobile") WHERE "users"."mobile" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_app_email_key" ON "users" USING btree ("app_id",lower("email")) WHERE "users"."email" is not null;