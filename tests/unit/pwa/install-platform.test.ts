import { describe, expect, it } from "vitest";
import { installDismissed, installPlatform, isSignedInArea, offersInstall } from "@/components/pwa/install-platform";

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1";
const IPAD_AS_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15";
const ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

describe("install guidance", () => {
  it("tells iPhone and iPad users to add the app to the Home Screen (iOS needs it for alarms)", () => {
    expect(installPlatform({ userAgent: IPHONE, maxTouchPoints: 5, standalone: false })).toBe("ios");
    expect(installPlatform({ userAgent: IPAD_AS_MAC, maxTouchPoints: 5, standalone: false })).toBe("ios");
  });

  it("leaves a real Mac, Android and an installed app alone (Chromium offers its own prompt)", () => {
    expect(installPlatform({ userAgent: IPAD_AS_MAC, maxTouchPoints: 0, standalone: false })).toBe("other");
    expect(installPlatform({ userAgent: ANDROID, maxTouchPoints: 5, standalone: false })).toBe("other");
    expect(installPlatform({ userAgent: IPHONE, maxTouchPoints: 5, standalone: true })).toBe("installed");
  });

  it("is offered in the patient and caregiver areas only", () => {
    expect(offersInstall("/patient")).toBe(true);
    expect(offersInstall("/caregiver/patients/x")).toBe(true);
    expect(offersInstall("/patients")).toBe(false);
    expect(offersInstall("/sign-in")).toBe(false);
    expect(offersInstall("/clinic")).toBe(false);
    expect(isSignedInArea("/clinic/patients/x")).toBe(true);
    expect(isSignedInArea("/trials")).toBe(false);
  });

  it("stays dismissed for 30 days", () => {
    const now = new Date("2026-03-31T12:00:00Z");
    expect(installDismissed(null, now)).toBe(false);
    expect(installDismissed("2026-03-02T12:00:01Z", now)).toBe(true);
    expect(installDismissed("2026-03-01T12:00:00Z", now)).toBe(false);
    expect(installDismissed("garbage", now)).toBe(false);
  });
});
