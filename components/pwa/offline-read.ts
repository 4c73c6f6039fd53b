/**
 * Reading the offline copy back for the offline page: everything shown is validated here first
 * (zod), and only the recorded user's own status is returned. Loaded only by the offline page.
 */
import * as z from "zod/mini";
import { OFFLINE_USER_CACHE, statusKey } from "@/sw/offline-keys";
import { currentMe, readJson, type CacheStorageLike, type Me } from "./offline-store";

const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), "not a date"));

const scenario = z.object({ status: z.string(), lowReservoirAt: z.nullable(isoDate), explanation: z.string() });

/** The parts of GET /api/patients/:id/status (lib/pump/status-json.ts) that the offline page shows. */
export const OfflineStatusSchema = z.object({
  generatedAt: isoDate,
  patient: z.object({ id: z.string(), displayName: z.string(), timeZone: z.string(), staleSyncThresholdSeconds: z.number() }),
  pump: z.object({ reservoirCapacityUl: z.number(), batteryReplacementDueAt: z.nullable(isoDate) }),
  therapy: z.nullable(
    z.object({ drug: z.string(), drugName: z.string(), concentration: z.number(), dailyDose: z.number(), lowReservoirThresholdUl: z.number() }),
  ),
  reading: z.nullable(
    z.object({
      recordedAt: isoDate,
      stale: z.boolean(),
      reservoirUl: z.number(),
      percent: z.number(),
      batteryPercent: z.nullable(z.number()),
      therapyState: z.string(),
      alarms: z.array(z.object({ name: z.string(), severity: z.enum(["critical", "warning"]), text: z.string() })),
    }),
  ),
  projection: z.object({ kind: z.string(), worstCase: scenario, expected: scenario }),
  nextRefill: z.nullable(z.object({ scheduledAt: isoDate, location: z.string(), clinicianName: z.nullable(z.string()), check: z.string() })),
});
export type OfflineStatus = z.infer<typeof OfflineStatusSchema>;

const SnapshotSchema = z.object({ v: z.literal(1), userId: z.string(), savedAt: isoDate, status: OfflineStatusSchema });
export type StatusSnapshot = z.infer<typeof SnapshotSchema>;

/** What the offline page may show: the recorded user and, if saved, their own status. */
export async function readOfflineSnapshot(storage: CacheStorageLike): Promise<{ me: Me | null; snapshot: StatusSnapshot | null }> {
  const cache = await storage.open(OFFLINE_USER_CACHE);
  const me: Me | null = await currentMe(cache);
  if (!me) return { me: null, snapshot: null };
  const parsed = SnapshotSchema.safeParse(await readJson(cache, statusKey(me.userId)));
  const snapshot = parsed.success && parsed.data.userId === me.userId && parsed.data.status.patient.id === me.patientId ? parsed.data : null;
  return { me, snapshot };
}

