/**
 * Great-circle distances and "nearest open site" for trial matching.
 *
 * Straight-line (haversine) distance on a spherical Earth: good to about 0.5 %, which is
 * far finer than a ZIP-code centroid locates a patient. It is not driving distance, and
 * the matcher's wording says "about … away" for that reason.
 */
import type { OverallStatus, TrialSite } from "@/lib/trials/ctgov";
import { OPEN_STATUSES } from "@/lib/trials/ctgov";

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** IUGG mean Earth radius (km). */
export const EARTH_RADIUS_KM = 6371.0088;
export const KM_PER_MILE = 1.609344;

export function kmToMiles(km: number): number {
  return km / KM_PER_MILE;
}

export function milesToKm(miles: number): number {
  return miles * KM_PER_MILE;
}

/** True for finite coordinates within ±90° latitude and ±180° longitude. */
export function isValidLatLon(p: LatLon): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

const toRad = (deg: number): number => (deg * Math.PI) / 180;

/**
 * Haversine great-circle distance in kilometres.
 * @throws RangeError for coordinates outside the valid range (a caller bug, never silent).
 */
export function haversineKm(a: LatLon, b: LatLon): number {
  if (!isValidLatLon(a) || !isValidLatLon(b)) {
    throw new RangeError(`haversineKm: invalid coordinates (${a.lat}, ${a.lon}) / (${b.lat}, ${b.lon})`);
  }
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  // min() guards against h creeping above 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function haversineMiles(a: LatLon, b: LatLon): number {
  return kmToMiles(haversineKm(a, b));
}

/** Site statuses under which a site takes new participants. */
const OPEN_SITE_STATUSES: ReadonlySet<string> = new Set(["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"]);

/**
 * Whether a site can take new participants. A site with no status of its own inherits the
 * trial's overall status: many registrations only state per-site status once sites
 * differ, and a blank site on a recruiting trial is normally recruiting.
 */
export function isSiteOpen(site: TrialSite, trialStatus: OverallStatus): boolean {
  if (site.status === null) return OPEN_STATUSES.has(trialStatus);
  return OPEN_SITE_STATUSES.has(site.status);
}

export interface NearestSite {
  readonly site: TrialSite;
  readonly distanceKm: number;
}

/**
 * The site nearest to `from` among those with coordinates, or null if none has any.
 * Ties keep the earlier site, so the result is stable for a given list.
 */
export function nearestSite(from: LatLon, sites: readonly TrialSite[]): NearestSite | null {
  let best: NearestSite | null = null;
  for (const site of sites) {
    if (site.lat === null || site.lon === null) continue;
    const d = haversineKm(from, { lat: site.lat, lon: site.lon });
    if (best === null || d < best.distanceKm) best = { site, distanceKm: d };
  }
  return best;
}

/** The nearest site that is open to new participants (see {@link isSiteOpen}). */
export function nearestOpenSite(
  from: LatLon,
  sites: readonly TrialSite[],
  trialStatus: OverallStatus,
): NearestSite | null {
  return nearestSite(
    from,
    sites.filter((s) => isSiteOpen(s, trialStatus)),
  );
}
