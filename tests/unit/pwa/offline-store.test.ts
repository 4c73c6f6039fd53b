import { describe, expect, it } from "vitest";
import { readOfflineSnapshot } from "@/components/pwa/offline-read";
import { forgetOfflineData, parseMe, refreshOfflineData, rememberUser, saveStatus, type Me } from "@/components/pwa/offline-store";
import { OFFLINE_USER_CACHE, statusKey } from "@/sw/offline-keys";
import { MemoryCacheStorage } from "./memory-cache-storage";

const ALEX: Me = { userId: "u-alex", name: "Alex Morgan", roles: ["patient"], patientId: "p-alex" };
const JORDAN: Me = { userId: "u-jordan", name: "Jordan Reyes", roles: ["patient"], patientId: "p-jordan" };
const SAM: Me = { userId: "u-sam", name: "Sam Morgan", roles: ["caregiver"], patientId: null };

/** A status body shaped like lib/pump/status-json.ts produces. */
function statusOf(patientId: string, name: string, drug = "baclofen") {
  return {
    generatedAt: "2026-03-02T09:15:00.000Z",
    patient: { id: patientId, displayName: name, timeZone: "Europe/London", staleSyncThresholdSeconds: 172800 },
    pump: { id: "pump-1", model: "X", reservoirCapacityUl: 40000, batteryReplacementDueAt: null },
    therapy: { version: 1, drug, drugName: drug === "baclofen" ? "Baclofen" : "Morphine", doseUnit: "ug", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 2000, effectiveFrom: "2026-01-01T00:00:00.000Z" },
    bolusPermission: null,
    reading: { recordedAt: "2026-03-02T06:00:00.000Z", ageSeconds: 11700, stale: false, reservoirUl: 18400, percent: 46, batteryPercent: 81, therapyState: "running", alarms: [] },
    projection: {
      kind: "known",
      estimatedCurrentUl: 18300,
      worstCase: { status: "ok", lowReservoirAt: "2026-04-20T00:00:00.000Z", explanation: "w" },
      expected: { status: "ok", lowReservoirAt: "2026-05-01T00:00:00.000Z", explanation: "e" },
    },
    nextRefill: { id: "r1", scheduledAt: "2026-04-01T09:30:00.000Z", location: "Riverside clinic", clinicianName: "Dr Ada Okafor", check: "ok" },
  };
}

const SAVED_AT = new Date("2026-03-02T09:15:01.000Z");

describe("offline store", () => {
  it("keeps the signed-in patient's status and reads it back with its own times", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, ALEX);
    expect(await saveStatus(storage, ALEX.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT)).toBe(true);
    const { me, snapshot } = await readOfflineSnapshot(storage);
    expect(me?.userId).toBe("u-alex");
    expect(snapshot?.status.generatedAt).toBe("2026-03-02T09:15:00.000Z");
    expect(snapshot?.status.nextRefill?.scheduledAt).toBe("2026-04-01T09:30:00.000Z");
    expect(snapshot?.savedAt).toBe(SAVED_AT.toISOString());
  });

  it("empties everything of the previous user before a different user is recorded", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, ALEX);
    await saveStatus(storage, ALEX.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT);
    await rememberUser(storage, JORDAN);
    const { me, snapshot } = await readOfflineSnapshot(storage);
    expect(me?.userId).toBe("u-jordan");
    expect(snapshot).toBeNull();
    const dump = await storage.dump();
    expect(dump).not.toContain("Alex");
    expect(dump).not.toContain("p-alex");
  });

  it("refuses a status for anyone but the recorded user's own patient record", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, JORDAN);
    // A late answer for the previous user, and a status of someone else's record.
    expect(await saveStatus(storage, ALEX.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT)).toBe(false);
    expect(await saveStatus(storage, JORDAN.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT)).toBe(false);
    // A caregiver has no patient record of their own: nothing is kept.
    await rememberUser(storage, SAM);
    expect(await saveStatus(storage, SAM.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT)).toBe(false);
    expect(await storage.dump()).not.toContain("Alex Morgan\",\"timeZone");
  });

  it("keeps the last good status when a response is malformed", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, ALEX);
    await saveStatus(storage, ALEX.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT);
    expect(await saveStatus(storage, ALEX.userId, { error: { code: "internal" } }, SAVED_AT)).toBe(false);
    expect((await readOfflineSnapshot(storage)).snapshot?.status.patient.displayName).toBe("Alex Morgan");
  });

  it("does not write into a cache deleted by a sign-out that happened meanwhile", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, ALEX);
    await forgetOfflineData(storage);
    expect(await saveStatus(storage, ALEX.userId, statusOf("p-alex", "Alex Morgan"), SAVED_AT)).toBe(false);
    expect(await readOfflineSnapshot(storage)).toEqual({ me: null, snapshot: null });
  });

  it("ignores a stored status whose user does not match the recorded user", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, JORDAN);
    // Written under Jordan's key but claiming to be Alex's: never shown.
    const cache = await storage.open(OFFLINE_USER_CACHE);
    await cache.put(statusKey(JORDAN.userId), Response.json({ v: 1, userId: ALEX.userId, savedAt: SAVED_AT.toISOString(), status: statusOf("p-jordan", "Jordan Reyes") }));
    expect((await readOfflineSnapshot(storage)).snapshot).toBeNull();
  });
});

describe("reading what the server said", () => {
  it("accepts only a well-formed /api/me answer", () => {
    expect(parseMe(ALEX)).toEqual(ALEX);
    expect(parseMe(SAM)).toEqual(SAM);
    expect(parseMe({ ...ALEX, userId: "" })).toBeNull();
    expect(parseMe({ ...ALEX, roles: "patient" })).toBeNull();
    expect(parseMe({ ...ALEX, patientId: 7 })).toBeNull();
    expect(parseMe(null)).toBeNull();
  });

  it("shows a saved status only when every field the offline page uses is valid", async () => {
    const storage = new MemoryCacheStorage();
    await rememberUser(storage, ALEX);
    const broken = { ...statusOf("p-alex", "Alex Morgan"), reading: { recordedAt: "yesterday" } };
    expect(await saveStatus(storage, ALEX.userId, broken, SAVED_AT)).toBe(true);
    expect((await readOfflineSnapshot(storage)).snapshot).toBeNull();
  });
});

describe("refreshOfflineData", () => {
  function server(routes: Record<string, () => Response>): typeof fetch {
    return (async (input: RequestInfo | URL) => {
      const url = String(input);
      const handler = routes[url];
      if (!handler) throw new TypeError(`Failed to fetch ${url}`);
      return handler();
    }) as typeof fetch;
  }

  it("records the user and their status; a 401 afterwards forgets everything", async () => {
    const storage = new MemoryCacheStorage();
    const online = server({
      "/api/me": () => Response.json(ALEX),
      "/api/patients/p-alex/status": () => Response.json(statusOf("p-alex", "Alex Morgan")),
    });
    expect(await refreshOfflineData(storage, online, { withStatus: true })).toBe("saved");
    expect((await readOfflineSnapshot(storage)).snapshot?.status.patient.id).toBe("p-alex");
    const signedOut = server({ "/api/me": () => Response.json({ error: { code: "unauthenticated" } }, { status: 401 }) });
    expect(await refreshOfflineData(storage, signedOut, { withStatus: true })).toBe("signed-out");
    expect(await storage.dump()).toBe("");
  });

  it("keeps the last good copy when the status request fails or the network is down", async () => {
    const storage = new MemoryCacheStorage();
    await refreshOfflineData(storage, server({ "/api/me": () => Response.json(ALEX), "/api/patients/p-alex/status": () => Response.json(statusOf("p-alex", "Alex Morgan")) }), { withStatus: true });
    const failing = server({ "/api/me": () => Response.json(ALEX), "/api/patients/p-alex/status": () => Response.json({ error: {} }, { status: 503 }) });
    expect(await refreshOfflineData(storage, failing, { withStatus: true })).toBe("remembered");
    await expect(refreshOfflineData(storage, server({}), { withStatus: true })).rejects.toThrow(TypeError);
    expect((await readOfflineSnapshot(storage)).snapshot?.status.patient.id).toBe("p-alex");
  });

  it("a different user's /api/me answer drops the previous user's status before anything else", async () => {
    const storage = new MemoryCacheStorage();
    await refreshOfflineData(storage, server({ "/api/me": () => Response.json(ALEX), "/api/patients/p-alex/status": () => Response.json(statusOf("p-alex", "Alex Morgan")) }), { withStatus: true });
    // Jordan's status request fails: Alex's copy must be gone all the same.
    await refreshOfflineData(storage, server({ "/api/me": () => Response.json(JORDAN), "/api/patients/p-jordan/status": () => new Response("", { status: 500 }) }), { withStatus: true });
    expect(await readOfflineSnapshot(storage)).toEqual({ me: JORDAN, snapshot: null });
    expect(await storage.dump()).not.toContain("p-alex");
  });
});
