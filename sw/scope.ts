/**
 * The few service-worker globals this worker uses, typed here so that the worker compiles in the
 * project's single TypeScript program (whose lib is "dom"; adding "webworker" there would clash).
 */
export interface WorkerExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

export interface WorkerMessageEvent extends WorkerExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}

export interface WorkerClient {
  readonly id: string;
  readonly url: string;
  postMessage(message: unknown): void;
}

export interface WorkerGlobal {
  readonly location: Location;
  readonly registration: ServiceWorkerRegistration;
  readonly clients: { matchAll(options?: { type?: "window" | "all"; includeUncontrolled?: boolean }): Promise<readonly WorkerClient[]> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "message", listener: (event: WorkerMessageEvent) => void): void;
}

export const worker = globalThis as unknown as WorkerGlobal;

/** Tells every open page something (an update, a replayed upload). */
export async function tellPages(message: unknown): Promise<void> {
  for (const client of await worker.clients.matchAll({ type: "window", includeUncontrolled: true })) client.postMessage(message);
}
