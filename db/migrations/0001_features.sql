CREATE TYPE "public"."bolus_state" AS ENUM('requested', 'confirmed', 'denied', 'unconfirmed');--> statement-breakpoint
CREATE TYPE "public"."alarm_severity" AS ENUM('critical', 'warning', 'info');--> statement-breakpoint
CREATE TYPE "public"."alarm_state" AS ENUM('active', 'acknowledged', 'resolved');--> statement-breakpoint
CREATE TABLE "bolus_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pump_id" uuid NOT NULL,
	"token" bigint NOT NULL,
	"requested_by_user_id" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"dose" integer NOT NULL,
	"permission_version" integer,
	"state" "bolus_state" DEFAULT 'requested' NOT NULL,
	"result_code" text,
	"delivered_at" timestamp with time zone,
	"device_seq" bigint,
	"outcome_source" text,
	"limit_violation" boolean DEFAULT false NOT NULL,
	"violation_detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bolus_requests_pump_token_uq" UNIQUE("pump_id","token")
);
--> statement-breakpoint
CREATE TABLE "alarm_preferences" (
	"user_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"warnings" boolean DEFAULT true NOT NULL,
	"info" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alarm_preferences_user_id_patient_id_pk" PRIMARY KEY("user_id","patient_id")
);
--> statement-breakpoint
CREATE TABLE "alarm_snoozes" (
	"alarm_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"until" timestamp with time zone NOT NULL,
	CONSTRAINT "alarm_snoozes_alarm_id_user_id_pk" PRIMARY KEY("alarm_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "alarms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"severity" "alarm_severity" NOT NULL,
	"dedupe_key" text NOT NULL,
	"state" "alarm_state" DEFAULT 'active' NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by_user_id" uuid,
	"resolved_at" timestamp with time zone,
	"notify_round" integer DEFAULT 0 NOT NULL,
	"next_notify_at" timestamp with time zone,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "push_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alarm_id" uuid,
	"subscription_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_outbox_message_uq" UNIQUE("alarm_id","subscription_id","kind","round")
);
--> statement-breakpoint
CREATE TABLE "push_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"label" text DEFAULT 'This device' NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_success_at" timestamp with time zone,
	CONSTRAINT "push_subscriptions_endpoint_unique" UNIQUE("endpoint")
);
--> statement-breakpoint
CREATE TABLE "trial_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"intake_id" uuid NOT NULL,
	"event" text NOT NULL,
	"text_version" text NOT NULL,
	"text_sha256" text NOT NULL,
	"signer_name" text NOT NULL,
	"signer_role" text NOT NULL,
	"guardian_relationship" text,
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "trial_intakes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid,
	"submitted_by_user_id" uuid,
	"access_token_hash" text NOT NULL,
	"answers" jsonb NOT NULL,
	"cancer_type_id" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"sex" text NOT NULL,
	"zip" text,
	"latitude" double precision,
	"longitude" double precision,
	"travel_km" integer,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trial_intakes_access_token_hash_unique" UNIQUE("access_token_hash")
);
--> statement-breakpoint
CREATE TABLE "trials" (
	"nct_id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"overall_status" text NOT NULL,
	"last_update_post_date" date,
	"study" jsonb NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_hits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bolus_requests" ADD CONSTRAINT "bolus_requests_pump_id_pumps_id_fk" FOREIGN KEY ("pump_id") REFERENCES "public"."pumps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bolus_requests" ADD CONSTRAINT "bolus_requests_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_preferences" ADD CONSTRAINT "alarm_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_preferences" ADD CONSTRAINT "alarm_preferences_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_snoozes" ADD CONSTRAINT "alarm_snoozes_alarm_id_alarms_id_fk" FOREIGN KEY ("alarm_id") REFERENCES "public"."alarms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_snoozes" ADD CONSTRAINT "alarm_snoozes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_acknowledged_by_user_id_users_id_fk" FOREIGN KEY ("acknowledged_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_outbox" ADD CONSTRAINT "push_outbox_alarm_id_alarms_id_fk" FOREIGN KEY ("alarm_id") REFERENCES "public"."alarms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_outbox" ADD CONSTRAINT "push_outbox_subscription_id_push_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."push_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trial_consents" ADD CONSTRAINT "trial_consents_intake_id_trial_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."trial_intakes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trial_consents" ADD CONSTRAINT "trial_consents_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trial_intakes" ADD CONSTRAINT "trial_intakes_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trial_intakes" ADD CONSTRAINT "trial_intakes_submitted_by_user_id_users_id_fk" FOREIGN KEY ("submitted_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bolus_requests_pump_time_idx" ON "bolus_requests" USING btree ("pump_id","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alarms_open_dedupe_uq" ON "alarms" USING btree ("patient_id","dedupe_key") WHERE "alarms"."state" <> 'resolved';--> statement-breakpoint
CREATE INDEX "alarms_patient_raised_idx" ON "alarms" USING btree ("patient_id","raised_at");--> statement-breakpoint
CREATE INDEX "alarms_next_notify_idx" ON "alarms" USING btree ("next_notify_at");--> statement-breakpoint
CREATE INDEX "push_outbox_due_idx" ON "push_outbox" USING btree ("sent_at","next_attempt_at");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "push_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "trial_consents_intake_idx" ON "trial_consents" USING btree ("intake_id","at");--> statement-breakpoint
CREATE INDEX "trial_intakes_patient_idx" ON "trial_intakes" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "trials_status_idx" ON "trials" USING btree ("overall_status");--> statement-breakpoint
CREATE INDEX "rate_limit_hits_bucket_key_at_idx" ON "rate_limit_hits" USING btree ("bucket","key","at");