ALTER TABLE "device_events" DROP CONSTRAINT "device_events_pump_seq_uq";--> statement-breakpoint
ALTER TABLE "device_events" ADD COLUMN "log_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_pump_log_seq_uq" UNIQUE("pump_id","log_id","device_seq");