// GET /api/patients/:patientId/refills/:appointmentId/calendar.ics — one appointment as an iCalendar file.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { patients, pumps, refillAppointments } from "@/db/schema";
import { authorizePatient, requireActor } from "@/lib/auth/guard";
import { notFound } from "@/lib/http/errors";
import { parseParam, route } from "@/lib/http/respond";
import { buildIcsEvent, formatDateTime } from "@/lib/pump/time";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ patientId: string; appointmentId: string }> }>(async (_req, { params }) => {
  const p = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, p.patientId, "refills:read");
  const appointmentId = parseParam(z.string().uuid(), p.appointmentId, "appointment id");
  const [row] = await db
    .select({ appointment: refillAppointments, timeZone: patients.timeZone })
    .from(refillAppointments)
    .innerJoin(pumps, eq(pumps.id, refillAppointments.pumpId))
    .innerJoin(patients, eq(patients.id, pumps.patientId))
    .where(and(eq(refillAppointments.id, appointmentId), eq(pumps.patientId, p.patientId)))
    .limit(1);
  if (!row) throw notFound("That appointment");
  const a = row.appointment;
  const ics = buildIcsEvent({
    uid: `refill-${a.id}@pump-portal`,
    start: a.scheduledAt,
    durationMinutes: a.durationMinutes,
    timeZone: row.timeZone,
    // No drug names on a calendar that may sync to other devices.
    summary: "Pump refill appointment",
    location: a.location,
    description: `Pump refill at ${formatDateTime(a.scheduledAt, row.timeZone)} (${row.timeZone}). Bring your handheld.`,
    dtstamp: new Date(),
  });
  return new Response(ics, {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": 'attachment; filename="pump-refill.ics"', "Cache-Control": "private, no-store" },
  });
});
