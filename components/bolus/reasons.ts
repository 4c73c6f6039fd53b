import type { UnavailableReason } from "@/lib/bolus/rules";

/** Plain words for why a bolus is not available now (the page lists every one that applies). */
export const UNAVAILABLE_TEXT: Record<UnavailableReason, string> = {
  disabled: "Your clinician has switched personal boluses off.",
  lockout: "It is too soon after your last bolus (lockout).",
  daily_max: "You have used all the boluses allowed in 24 hours.",
  reservoir_low: "The reservoir is too low for a bolus. Contact your clinic about a refill.",
  critical_alarm: "The pump has a critical alarm. Boluses are blocked until it is resolved.",
  not_connected: "Connect your handheld to give a bolus.",
  no_permission: "No personal bolus has been prescribed.",
};

/** The device's denial reasons (lib/pump-link result names) in plain words. */
export const DENIAL_TEXT: Record<string, string> = {
  lockout_active: "The pump said it is too soon after your last bolus (lockout).",
  daily_max_reached: "The pump said you have used all the boluses allowed in 24 hours.",
  bolus_disabled: "The pump said personal boluses are switched off.",
  reservoir_too_low: "The pump said the reservoir is too low for a bolus.",
  critical_alarm_active: "The pump has a critical alarm, so it did not give the bolus.",
  stale_permission: "Your handheld has older bolus settings. Sync it, then try again.",
  dose_not_permitted: "The pump did not accept this dose.",
  therapy_not_running: "The pump is paused or stopped, so it did not give the bolus.",
};
