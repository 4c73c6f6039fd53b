/**
 * The dev board's console: typed commands that change the simulated pump the way the real world
 * would (time passing, a refill at the clinic, an alarm), for demos and manual testing.
 * Pure: parsing and applying are separate, and nothing here touches Bluetooth or the terminal.
 */
import type { PumpSimulator } from "@/lib/pump-link/simulator";
import { ALARM_BITS, type AlarmName } from "@/lib/pump-link/types";
import { alarmNames } from "@/lib/pump-link/alarms";

export type DevboardCommand =
  | { kind: "status" }
  | { kind: "advance"; seconds: number }
  | { kind: "alarm"; alarm: AlarmName; on: boolean }
  | { kind: "refill"; addedUl: number }
  | { kind: "history"; count: number }
  | { kind: "busy"; on: boolean }
  | { kind: "help" }
  | { kind: "quit" };

export const DEVBOARD_HELP = [
  "status                  what the pump would report now",
  "advance <n>[s|m|h|d]    let simulated time pass (lockouts run down, basal drains, history accrues)",
  "alarm <name> | clear <name>   raise or clear an alarm: motorStall, memoryError, occlusion",
  "refill <mL>             a refill at the clinic",
  "history <n>             log n more history records (reservoir, battery, therapy)",
  "busy on|off             the handheld's own menu is in use: commands answer BUSY",
  "quit                    stop advertising and exit",
].join("\n");

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses one console line; a string result is an explanation of what was wrong. */
export function parseDevboardCommand(line: string): DevboardCommand | string {
  const [word = "", arg = "", ...rest] = line.trim().split(/\s+/);
  if (rest.length > 0) return `"${word}" takes at most one argument`;
  switch (word.toLowerCase()) {
    case "":
    case "status":
      return { kind: "status" };
    case "help":
    case "?":
      return { kind: "help" };
    case "quit":
    case "exit":
      return { kind: "quit" };
    case "advance": {
      const m = /^(\d+)([smhd]?)$/.exec(arg);
      if (!m) return "advance needs a duration such as 90m, 3h or 2d";
      const seconds = Number(m[1]) * (UNITS[m[2] || "s"] ?? 1);
      if (seconds <= 0 || seconds > 365 * 86_400) return "advance by between 1 second and a year";
      return { kind: "advance", seconds };
    }
    case "alarm":
    case "clear": {
      const alarm = (Object.keys(ALARM_BITS) as AlarmName[]).find((a) => a.toLowerCase() === arg.toLowerCase());
      if (!alarm || !["motorStall", "memoryError", "occlusion"].includes(alarm)) {
        return "alarms you can raise: motorStall, memoryError, occlusion (the others follow the reservoir, battery and clock)";
      }
      return { kind: "alarm", alarm, on: word.toLowerCase() === "alarm" };
    }
    case "refill": {
      const ml = Number(arg);
      if (!Number.isFinite(ml) || ml <= 0 || ml > 100) return "refill needs a volume in mL, e.g. refill 20";
      return { kind: "refill", addedUl: Math.round(ml * 1000) };
    }
    case "history": {
      const count = Number(arg);
      if (!Number.isInteger(count) || count < 1 || count > 100_000) return "history needs a count between 1 and 100000";
      return { kind: "history", count };
    }
    case "busy":
      if (arg !== "on" && arg !== "off") return "busy on | busy off";
      return { kind: "busy", on: arg === "on" };
    default:
      return `unknown command "${word}" (type help)`;
  }
}

/** Applies a command; returns what to print. `advance` is the dev board's clock skip. */
export function applyDevboardCommand(sim: PumpSimulator, command: DevboardCommand, advance: (seconds: number) => void): string {
  switch (command.kind) {
    case "status":
      return describeStatus(sim);
    case "help":
      return DEVBOARD_HELP;
    case "quit":
      return "bye";
    case "advance":
      advance(command.seconds);
      return describeStatus(sim);
    case "alarm":
      if (command.on) sim.injectAlarm(command.alarm);
      else sim.clearAlarm(command.alarm);
      return describeStatus(sim);
    case "refill":
      sim.refill(command.addedUl);
      return describeStatus(sim);
    case "history":
      sim.seedHistory(command.count);
      return describeStatus(sim);
    case "busy":
      sim.setBusy(command.on);
      return command.on ? "busy: commands now answer BUSY" : "ready for commands";
  }
}

export function describeStatus(sim: PumpSimulator): string {
  const s = sim.status();
  const alarms = alarmNames(s.alarmFlags);
  return [
    `device time ${new Date(s.deviceTime * 1000).toISOString()} · log ${s.logId.toString(16)} · newest record #${s.highestSeq}`,
    `reservoir ${(s.reservoirUl / 1000).toFixed(1)} of ${(s.capacityUl / 1000).toFixed(1)} mL · battery ${s.batteryPercent}% · therapy ${s.therapyState}`,
    `bolus ${s.permission.enabled ? `${s.permission.dose} per bolus, ${s.bolus.usedLast24h}/${s.permission.maxPer24h} in 24 h, lockout ${s.bolus.lockoutRemainingS} s left` : "disabled"} · alarms ${alarms.length ? alarms.join(", ") : "none"}`,
  ].join("\n");
}
