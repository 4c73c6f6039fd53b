import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { preferencesFor } from "@/lib/alarms/queries";
import { requirePageActor } from "@/lib/auth/guard";
import { formatDateTime, formatRelativeAge } from "@/lib/pump/time";
import { listDevices } from "@/lib/push/subscriptions";
import { vapidKeys } from "@/lib/push/vapid";
import { DeviceList } from "./device-list";
import { PreferencesForm } from "./preferences-form";
import { ThisDevice } from "./this-device";

export const metadata: Metadata = { title: "Alarms & notifications" };

export default async function NotificationsPage() {
  await connection();
  const actor = await requirePageActor();
  const db = await getDb();
  const now = new Date();
  const devices = await listDevices(db, actor.userId);
  const prefs = await preferencesFor(db, actor.userId);
  let publicKey: string | null = null;
  let keyProblem: string | null = null;
  try {
    publicKey = vapidKeys().publicKey;
  } catch (e) {
    keyProblem = e instanceof Error ? e.message : "Push keys are not configured.";
  }
  return (
    <>
      <h1 className="text-2xl font-bold">Alarms & notifications</h1>
      <p className="text-base">
        Alarms ring on every device you turn on here. Critical alarms repeat every few minutes until someone acknowledges them. See current alarms on the{" "}
        <Link href="/alarms" className="text-brand-800 underline">
          Alarms
        </Link>{" "}
        page.
      </p>
      {keyProblem ? (
        <Alert tone="danger">
          <p>Notifications cannot be turned on: {keyProblem}</p>
        </Alert>
      ) : null}
      {prefs.length === 0 ? (
        <Alert tone="info">
          <p>Nobody has shared their alarms with you yet. When someone does, their alarms reach the devices below.</p>
        </Alert>
      ) : null}
      <Card title="This device">
        <ThisDevice publicKey={publicKey} devices={devices.map((d) => ({ id: d.id, endpoint: d.endpoint, label: d.label }))} />
      </Card>
      <Card title="Your devices">
        <DeviceList
          devices={devices.map((d) => ({
            id: d.id,
            label: d.label,
            service: d.service,
            endpoint: d.endpoint,
            addedText: formatDateTime(d.createdAt, actor.timeZone),
            lastDeliveredText: d.lastSuccessAt ? formatRelativeAge(d.lastSuccessAt, now) : null,
          }))}
        />
      </Card>
      {prefs.length > 0 ? (
        <Card title="What you receive">
          <div className="flex flex-col gap-4">
            {prefs.map((p) => (
              <PreferencesForm key={p.patientId} patientId={p.patientId} who={p.isSelf ? "Your own pump" : p.displayName} warnings={p.warnings} info={p.info} />
            ))}
          </div>
        </Card>
      ) : null}
    </>
  );
}
