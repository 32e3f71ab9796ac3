CREATE TABLE "push_credentials" (
	"app_id" text NOT NULL,
	"provider" smallint NOT NULL,
	"environment" smallint NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"provider_app_id" text DEFAULT '' NOT NULL,
	"app_key" text DEFAULT '' NOT NULL,
	"url" text,
	"sealed" "bytea" NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_credentials_app_id_provider_environment_pk" PRIMARY KEY("app_id","provider","environment")
);
--> statement-breakpoint
CREATE TABLE "push_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "push_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"task_id" bigint,
	"message_id" bigint,
	"user_id" bigint,
	"device_id" bigint,
	"endpoint_id" bigint,
	"channel" smallint NOT NULL,
	"environment" smallint DEFAULT 1 NOT NULL,
	"token" text DEFAULT '' NOT NULL,
	"payload" text NOT NULL,
	"status" smallint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "push_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "push_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"kind" smallint NOT NULL,
	"ref_id" bigint NOT NULL,
	"payload" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_tasks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "push_tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"request_id" text,
	"audience" text NOT NULL,
	"message" text NOT NULL,
	"strategy" smallint DEFAULT 0 NOT NULL,
	"sequence" text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_endpoints_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"url" text NOT NULL,
	"sealed_secret" "bytea" NOT NULL,
	"events" text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "push_credentials" ADD CONSTRAINT "push_credentials_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_tasks" ADD CONSTRAINT "push_tasks_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "push_deliveries_due_idx" ON "push_deliveries" USING btree ("next_attempt_at") WHERE "push_deliveries"."status" = 0;--> statement-breakpoint
CREATE INDEX "push_deliveries_task_idx" ON "push_deliveries" USING btree ("task_id") WHERE "push_deliveries"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "push_deliveries_message_idx" ON "push_deliveries" USING btree ("message_id") WHERE "push_deliveries"."message_id" is not null;--> statement-breakpoint
CREATE INDEX "push_deliveries_endpoint_idx" ON "push_deliveries" USING btree ("endpoint_id","id") WHERE "push_deliveries"."endpoint_id" is not null;--> statement-breakpoint
CREATE INDEX "push_outbox_order_idx" ON "push_outbox" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "push_tasks_request_key" ON "push_tasks" USING btree ("app_id","request_id") WHERE "push_tasks"."request_id" is not null;--> statement-breakpoint
CREATE INDEX "webhook_endpoints_app_idx" ON "webhook_endpoints" USING btree ("app_id");