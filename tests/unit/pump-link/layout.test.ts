/**
 * Byte layouts written out by hand from docs/pump-link-protocol.md, independently of the codec:
 * if the codec (and with it the generated vectors) drifts from the document, this fails.
 */
import { describe, expect, it } from "vitest";
import { toHex } from "@/lib/pump-link/bytes";
import { encodeControlPoint, encodeRecords, encodeResponse, encodeStatus } from "@/lib/pump-link/codec";
import { crc16Bitwise } from "@/lib/pump-link/crc";

function frame(payload: number[], counter: number): string {
  const body = Uint8Array.from([...payload, counter]);
  const crc = crc16Bitwise(body);
  return toHex(Uint8Array.from([...body, crc & 0xff, crc >>> 8]));
}
const le16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

describe("byte layout per the specification", () => {
  it("Status (§4.1)", () => {
    const expected = frame(
      [
        1, // version
        1, // dose unit: milli-unit
        2, // therapy: paused
        55, // battery %
        ...le32(1_767_225_600), // device time
        ...le32(0xa1b2c3d4), // log id
        ...le32(4321), // highest seq
        ...le32(12_345), // reservoir µL
        ...le32(20_000), // capacity µL
        ...le32(2_500), // low threshold µL
        ...le32(100), // concentration
        ...le32(30_000), // basal per day
        ...le32(1_000), // bolus dose
        ...le32(10), // bolus volume µL
        ...le32(7_200), // lockout s
        ...le32(90), // bolus duration s
        ...le32(300), // lockout remaining s
        ...le32(0), // daily max reset s
        ...le16(0x8011), // alarm flags
        ...le16(9), // permission version
        1, // bolus flags: enabled
        5, // max per 24 h
        2, // used in last 24 h
      ],
      0x42,
    );
    const actual = encodeStatus(
      {
        protocolVersion: 1,
        doseUnit: "milliunit",
        therapyState: "paused",
        batteryPercent: 55,
        deviceTime: 1_767_225_600,
        logId: 0xa1b2c3d4,
        highestSeq: 4321,
        reservoirUl: 12_345,
        capacityUl: 20_000,
        lowReservoirThresholdUl: 2_500,
        concentration: 100,
        basalDosePerDay: 30_000,
        alarmFlags: 0x8011,
        permission: { enabled: true, dose: 1_000, volumeUl: 10, lockoutS: 7_200, durationS: 90, maxPer24h: 5, version: 9 },
        bolus: { lockoutRemainingS: 300, usedLast24h: 2, dailyMaxResetS: 0 },
      },
      0x42,
    );
    expect(toHex(actual)).toBe(expected);
    expect(actual.length).toBe(70);
  });

  it("Control Point (§5.2)", () => {
    expect(toHex(encodeControlPoint({ op: "request_bolus", requestId: 0x0102, token: 0x0a0b0c0d, dose: 500, permissionVersion: 7 }, 3))).toBe(
      frame([0x01, ...le16(0x0102), ...le32(0x0a0b0c0d), ...le32(500), ...le16(7)], 3),
    );
    expect(toHex(encodeControlPoint({ op: "select_records", requestId: 2, fromSeq: 601, maxCount: 1024 }, 4))).toBe(
      frame([0x02, ...le16(2), ...le32(601), ...le16(1024)], 4),
    );
    expect(toHex(encodeControlPoint({ op: "set_time", requestId: 3, time: 1_800_000_000 }, 5))).toBe(
      frame([0x03, ...le16(3), ...le32(1_800_000_000)], 5),
    );
    expect(toHex(encodeControlPoint({ op: "query_bolus", requestId: 4, token: 77 }, 6))).toBe(frame([0x04, ...le16(4), ...le32(77)], 6));
  });

  it("Response (§6)", () => {
    expect(
      toHex(
        encodeResponse(
          {
            opcode: 1,
            requestId: 0x0102,
            result: "success",
            body: { kind: "bolus", token: 0x0a0b0c0d, dose: 500, volumeUl: 5, time: 1_767_225_601, recordSeq: 99, replayed: true },
          },
          9,
        ),
      ),
    ).toBe(frame([1, ...le16(0x0102), 0x00, ...le32(0x0a0b0c0d), ...le32(500), ...le32(5), ...le32(1_767_225_601), ...le32(99), 0x01], 9));
    expect(
      toHex(encodeResponse({ opcode: 1, requestId: 8, result: "reservoir_too_low", body: { kind: "bolus", token: 1, dose: 0, volumeUl: 0, time: 5, recordSeq: 6, replayed: false } }, 1)),
    ).toBe(frame([1, ...le16(8), 0x04, ...le32(1), ...le32(0), ...le32(0), ...le32(5), ...le32(6), 0], 1));
    expect(toHex(encodeResponse({ opcode: 2, requestId: 2, result: "success", body: { kind: "selection", count: 600, firstSeq: 1, highestSeq: 600 } }, 2))).toBe(
      frame([2, ...le16(2), 0x00, ...le16(600), ...le32(1), ...le32(600)], 2),
    );
    expect(toHex(encodeResponse({ opcode: 3, requestId: 3, result: "success", body: { kind: "time", previousTime: 10, newTime: 1_800_000_000 } }, 3))).toBe(
      frame([3, ...le16(3), 0x00, ...le32(10), ...le32(1_800_000_000)], 3),
    );
    expect(toHex(encodeResponse({ opcode: 4, requestId: 4, result: "token_unknown", body: { kind: "none" } }, 4))).toBe(frame([4, ...le16(4), 0x85], 4));
  });

  it("Records (§7)", () => {
    const t = 1_767_225_600;
    expect(
      toHex(
        encodeRecords(
          {
            more: true,
            records: [
              { seq: 10, time: t, kind: "bolus_delivered", token: 0x11223344, dose: 50, volumeUl: 25, permissionVersion: 3 },
              { seq: 11, time: t + 1, kind: "bolus_denied", token: 0x55667788, requestedDose: 50, reason: "daily_max_reached" },
              { seq: 12, time: t + 2, kind: "alarm_raised", alarmBit: 1, alarmFlags: 0x0003 },
              { seq: 13, time: t + 3, kind: "therapy_changed", therapyState: "running", basalDosePerDay: 400, concentration: 2000 },
              { seq: 14, time: t + 4, kind: "battery", percent: 42, millivolts: 2936 },
              { seq: 15, time: t + 5, kind: "permission_changed", enabled: true, dose: 75, lockoutS: 3600, durationS: 30, maxPer24h: 4, version: 5 },
            ],
          },
          0x10,
        ),
      ),
    ).toBe(
      frame(
        [
          6, // count
          0x01, // flags: more
          ...le32(10), ...le32(t), 0x01, 14, ...le32(0x11223344), ...le32(50), ...le32(25), ...le16(3),
          ...le32(11), ...le32(t + 1), 0x02, 9, ...le32(0x55667788), ...le32(50), 0x02,
          ...le32(12), ...le32(t + 2), 0x03, 3, 1, ...le16(0x0003),
          ...le32(13), ...le32(t + 3), 0x06, 9, 1, ...le32(400), ...le32(2000),
          ...le32(14), ...le32(t + 4), 0x08, 3, 42, ...le16(2936),
          ...le32(15), ...le32(t + 5), 0x09, 16, 0x01, ...le32(75), ...le32(3600), ...le32(30), 4, ...le16(5),
        ],
        0x10,
      ),
    );
  });
});
