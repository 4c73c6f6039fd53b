/**
 * Alarm notifications in the service worker (imported by sw/index.ts).
 *
 * - `push`: shows the alarm the server sent (lib/alarms/payload.ts builds it). Critical alarms
 *   stay on screen until the user acts (requireInteraction), vibrate, and carry "Acknowledge".
 *   Reminders, all clears and "acknowledged by …" reuse the alarm's tag, so one alarm is one
 *   notification whose text changes, never a pile.
 * - `notificationclick`: "Acknowledge" POSTs the acknowledgement with the user's own session
 *   cookie; a failure (signed out, offline) is shown, never swallowed — an alarm must not look
 *   acknowledged when it is not. Any other click opens (or focuses) the alarm's page.
 */

import {
  ALARM_ACKNOWLEDGED_MESSAGE,
  isPath,
  notificationFor,
  parsePushPayload,
  SEVERITIES,
  type AlarmNotificationOptions,
} from "../lib/alarms/notification-display";

interface PushMessageData {
  text(): string;
}

interface WorkerPushEvent extends Event {
  readonly data: PushMessageData | null;
  waitUntil(promise: Promise<unknown>): void;
}

interface WorkerNotificationEvent extends Event {
  readonly action: string;
  readonly notification: Notification;
  waitUntil(promise: Promise<unknown>): void;
}

interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
  navigate?(url: string): Promise<unknown>;
  postMessage(message: unknown): void;
}

interface PushWorkerGlobal {
  readonly location: { readonly origin: string };
  readonly registration: {
    showNotification(title: string, options: AlarmNotificationOptions): Promise<void>;
  };
  readonly clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(type: "push", listener: (event: WorkerPushEvent) => void): void;
  addEventListener(type: "notificationclick", listener: (event: WorkerNotificationEvent) => void): void;
}

function readData(data: unknown): AlarmNotificationOptions["data"] {
  const d = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const severity = SEVERITIES.find((s) => s === d.severity) ?? "critical";
  return {
    url: isPath(d.url) ? d.url : "/alarms",
    ackUrl: isPath(d.ackUrl) ? d.ackUrl : null,
    alarmId: typeof d.alarmId === "string" ? d.alarmId : null,
    severity,
    title: typeof d.title === "string" ? d.title : "Pump Portal alarm",
  };
}

const worker = globalThis as unknown as PushWorkerGlobal;

/** How long "Acknowledge" waits for the server before saying it could not acknowledge. */
const ACK_TIMEOUT_MS = 15_000;

async function openPage(path: string): Promise<void> {
  const target = new URL(path, worker.location.origin).href;
  const windows = await worker.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((w) => new URL(w.url).origin === worker.location.origin);
  if (open) {
    try {
      if (open.navigate) await open.navigate(target);
      await open.focus();
      return;
    } catch {
      // An uncontrolled page cannot be navigated from here: open a new window instead.
    }
  }
  await worker.clients.openWindow(target);
}

async function acknowledge(data: AlarmNotificationOptions["data"], tag: string): Promise<void> {
  let problem: string | null = null;
  try {
    // Bounded: a request that hangs on a bad network must end in a visible "not acknowledged".
    const res = await fetch(data.ackUrl!, { method: "POST", credentials: "include", headers: { Accept: "application/json" }, signal: AbortSignal.timeout(ACK_TIMEOUT_MS) });
    if (res.status === 401) problem = "Not acknowledged: you are signed out. Open the alarm, sign in and acknowledge it there.";
    else if (!res.ok) problem = "Not acknowledged: the server refused. Open the alarm to acknowledge it.";
  } catch {
    problem = "Not acknowledged: no connection. Open the alarm to acknowledge it when you are back online.";
  }
  const now = Date.now();
  if (problem) {
    // The alarm is still live: keep it on screen until the user deals with it.
    await worker.registration.showNotification(data.title, {
      ...notificationFor({ kind: "raise", alarmId: data.alarmId, severity: data.severity, title: data.title, body: problem, tag, url: data.url, ackUrl: null }, now).options,
      requireInteraction: true,
    });
    return;
  }
  await worker.registration.showNotification(data.title, {
    ...notificationFor({ kind: "acknowledged", alarmId: data.alarmId, severity: data.severity, title: data.title, body: "Acknowledged. Reminders have stopped for everyone.", tag, url: data.url, ackUrl: null }, now).options,
  });
  for (const page of await worker.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    page.postMessage({ type: ALARM_ACKNOWLEDGED_MESSAGE, alarmId: data.alarmId });
  }
}

worker.addEventListener("push", (event) => {
  let text: string | null = null;
  try {
    text = event.data?.text() ?? null;
  } catch {
    text = null;
  }
  const { title, options } = notificationFor(parsePushPayload(text), Date.now());
  event.waitUntil(worker.registration.showNotification(title, options));
});

worker.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  const data = readData(notification.data);
  const acknowledging = event.action === "acknowledge" && data.ackUrl !== null;
  // Acknowledge: the alarm stays on screen until the server's answer replaces it (same tag). Closing
  // it first would show nothing while the request runs, and a close that the browser processes after
  // the replacement would hide the answer — an alarm must never vanish without a confirmed ack.
  if (!acknowledging) notification.close();
  const work = acknowledging ? acknowledge(data, notification.tag) : openPage(data.url);
  event.waitUntil(work.catch(() => undefined));
});
