import webpush from "web-push";
import { describe, expect, it } from "vitest";
import { vapidAuthorization } from "@/lib/push/send";
import { verifyVapid } from "../../support/push-endpoint";

describe("VAPID tokens", () => {
  const keys = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.org" };
  const now = Date.now();

  it("signs one valid token per push service origin and reuses it until shortly before it expires", () => {
    const a = vapidAuthorization("https://fcm.googleapis.com/fcm/send/one", keys, now);
    expect(vapidAuthorization("https://fcm.googleapis.com/fcm/send/two", keys, now + 60_000)).toBe(a);
    expect(verifyVapid(a, "https://fcm.googleapis.com", keys.publicKey)).toBeNull();
    // Another push service has another audience.
    const b = vapidAuthorization("https://updates.push.services.mozilla.com/wpush/v2/x", keys, now);
    expect(b).not.toBe(a);
    expect(verifyVapid(b, "https://updates.push.services.mozilla.com", keys.publicKey)).toBeNull();
    expect(verifyVapid(b, "https://fcm.googleapis.com", keys.publicKey)).toMatch(/aud/);
    // Eleven hours later (one before the 12 h expiry) it is renewed.
    expect(vapidAuthorization("https://fcm.googleapis.com/fcm/send/one", keys, now + 11 * 3600_000 + 1000)).not.toBe(a);
  });

  it("a token signed with another key does not verify", () => {
    const other = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.org" };
    const t = vapidAuthorization("https://web.push.apple.com/abc", other, now);
    expect(verifyVapid(t, "https://web.push.apple.com", keys.publicKey)).toMatch(/not the server's/);
    const forged = t.replace(/k=[A-Za-z0-9_-]+$/, `k=${keys.publicKey}`);
    expect(verifyVapid(forged, "https://web.push.apple.com")).toMatch(/does not verify/);
  });
});
