/**
 * The history-sync upload (POST /api/patients/:patientId/sync), shared by the browser that builds
 * it and the server that validates it. Records keep the pump link's decoded shape
 * (lib/pump-link/types.ts PumpRecord), so the phone forwards what the pump said without
 * re-interpreting it; the server stores each record's fields (minus seq/time/kind) as the event
 * payload, the same shapes the demo seed uses.
 */
import { z } from "zod";
import { BOLUS_DENIAL_RESULTS } from "@/lib/pump-link/types";
import type { PumpRecord, PumpStatus } from "@/lib/pump-link/types";

/** One request carries at most this many records; the phone uploads longer histories in chunks. */
export const MAX_RECORDS_PER_UPLOAD = 2000;
/** Body cap: 2000 of the longest records as JSON stay well below this. */
export const SYNC_BODY_LIMIT_BYTES = 1024 * 1024;

const U32_MAX = 0xffff_ffff;
/**
 * Doses and volumes go into 32-bit signed database columns. No pump delivers 2 kg of drug, so a
 * larger value is a broken device, refused as a whole rather than stored truncated.
 */
const I32_MAX = 0x7fff_ffff;

const uint = (max: number, what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(max, `${what} is larger than the pump protocol allows`);
const u8 = (what: string) => uint(0xff, what);
const u16 = (what: string) => uint(0xffff, what);
const u32 = (what: string) => uint(U32_MAX, what);
const quantity = (what: string) => uint(I32_MAX, what);
const positive = (what: string) => quantity(what).min(1, `${what} must be at least 1`);
const percent = (what: string) => uint(100, what);
const token = u32("token").min(1, "token 0 is reserved");
const alarmBit = uint(15, "alarmBit");
const therapyState = z.enum(["stopped", "running", "paused"], { error: "therapyState must be stopped, running or paused" });

const recordBase = {
  seq: u32("seq").min(1, "sequence numbers start at 1"),
  /** Device time of the event, UTC seconds. */
  time: u32("time"),
};

/** One pump record per kind, exactly as protocol §7.3 defines it (strict: unknown fields are refused). */
export const syncRecordSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ ...recordBase, kind: z.literal("bolus_delivered"), token, dose: positive("dose"), volumeUl: positive("volumeUl"), permissionVersion: u16("permissionVersion") }),
    z.strictObject({ ...recordBase, kind: z.literal("bolus_denied"), token, requestedDose: quantity("requestedDose"), reason: z.enum(BOLUS_DENIAL_RESULTS) }),
    z.strictObject({ ...recordBase, kind: z.literal("alarm_raised"), alarmBit, alarmFlags: u16("alarmFlags") }),
    z.strictObject({ ...recordBase, kind: z.literal("alarm_cleared"), alarmBit, alarmFlags: u16("alarmFlags") }),
    z.strictObject({ ...recordBase, kind: z.literal("refill"), addedUl: quantity("addedUl"), reservoirUl: quantity("reservoirUl"), concentration: positive("concentration") }),
    z.strictObject({ ...recordBase, kind: z.literal("therapy_changed"), therapyState, basalDosePerDay: quantity("basalDosePerDay"), concentration: positive("concentration") }),
    z.strictObject({ ...recordBase, kind: z.literal("reservoir_reading"), reservoirUl: quantity("reservoirUl") }),
    z.strictObject({ ...recordBase, kind: z.literal("battery"), percent: percent("percent"), millivolts: u16("millivolts") }),
    z.strictObject({
      ...recordBase,
      kind: z.literal("permission_changed"),
      enabled: z.boolean(),
      dose: quantity("dose"),
      lockoutS: u32("lockoutS"),
      durationS: u32("durationS"),
      maxPer24h: u8("maxPer24h"),
      version: u16("version"),
    }),
    z.strictObject({ ...recordBase, kind: z.literal("time_set"), previousTime: u32("previousTime"), newTime: u32("newTime") }),
    // Newer firmware may log record types this version does not know: kept verbatim, never dropped.
    z.strictObject({
      ...recordBase,
      kind: z.literal("unknown"),
      typeCode: u8("typeCode").min(1, "record type 0 is reserved"),
      payloadHex: z.string().regex(/^(?:[0-9a-f]{2}){0,255}$/, "payloadHex must be lowercase hex of at most 255 bytes"),
    }),
  ],
  { error: "kind is not a pump record type" },
);
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/** The parts of the pump's Status the server stores as a status reading. */
export const syncStatusSchema = z
  .strictObject({
    /** Device UTC seconds when the phone read the status. */
    deviceTime: u32("deviceTime"),
    reservoirUl: quantity("reservoirUl"),
    capacityUl: positive("capacityUl"),
    batteryPercent: percent("batteryPercent"),
    alarmFlags: u16("alarmFlags"),
    therapyState,
    highestSeq: u32("highestSeq"),
  })
  .refine((s) => s.reservoirUl <= s.capacityUl, { message: "reservoirUl exceeds capacityUl", path: ["reservoirUl"] });
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncUploadSchema = z
  .strictObject({
    /** Generated by the phone per upload; a retried upload reuses it (it ties audit entries together). */
    uploadId: z.uuid({ error: "uploadId must be a UUID" }),
    device: z.strictObject({ logId: u32("logId"), status: syncStatusSchema }),
    records: z.array(syncRecordSchema).max(MAX_RECORDS_PER_UPLOAD, `at most ${MAX_RECORDS_PER_UPLOAD} records per upload`),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<number>();
    body.records.forEach((r, i) => {
      if (seen.has(r.seq)) ctx.addIssue({ code: "custom", message: `sequence number ${r.seq} appears twice`, path: ["records", i, "seq"] });
      seen.add(r.seq);
    });
  });
export type SyncUpload = z.infer<typeof syncUploadSchema>;

/** What the server answers to an upload. */
export interface SyncUploadResult {
  /** Records stored for the first time. */
  newEvents: number;
  /** Records the server already had (a retry, or an overlap with an earlier sync): ignored. */
  duplicateEvents: number;
  /** Highest sequence number stored for this pump and log after the upload (0 when none). */
  lastSeq: number;
  /** Whether the status became a new status reading (false when the same reading was already stored). */
  readingStored: boolean;
}

/** GET /api/patients/:patientId/sync — where the phone resumes, and what the server holds. */
export interface SyncStateJson {
  /** The log these numbers describe: the one asked for, else the log of the latest stored event (null: none yet). */
  logId: number | null;
  /** Highest sequence number stored for that log; 0 when none. */
  lastSeq: number;
  /** Lowest sequence number stored for that log; 0 when none. */
  firstSeq: number;
  /** Events stored for that log. With firstSeq and lastSeq it shows whether any are missing. */
  eventCount: number;
  /** When the server last received anything synced from this patient's pump (ISO), or null. */
  lastSyncAt: string | null;
}

/** Optional `?logId=` of the GET. */
export const syncStateQuerySchema = z.object({ logId: z.coerce.number().int().min(0).max(U32_MAX).optional() });

/** The Status fields an upload carries. */
export function statusForUpload(status: PumpStatus): SyncStatus {
  return {
    deviceTime: status.deviceTime,
    reservoirUl: status.reservoirUl,
    capacityUl: status.capacityUl,
    batteryPercent: status.batteryPercent,
    alarmFlags: status.alarmFlags,
    therapyState: status.therapyState,
    highestSeq: status.highestSeq,
  };
}

/** A decoded pump record as the upload carries it (the decoded shape is the wire shape). */
export function recordForUpload(record: PumpRecord): SyncRecord {
  return { ...record };
}

/** The record's fields other than seq, time and kind: what device_events.payload holds. */
export function recordPayload(record: SyncRecord): Record<string, unknown> {
  const { seq: _seq, time: _time, kind: _kind, ...payload } = record;
  return payload;
}
