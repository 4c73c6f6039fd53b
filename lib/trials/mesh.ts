/**
 * Small helpers shared by the cancer-type list, the ClinicalTrials.gov parser and the
 * matcher: MeSH descriptor ids and plain-text normalisation for synonym matching.
 * Pure functions only (runs in the browser, on the server and in tests).
 */

/** A MeSH descriptor as ClinicalTrials.gov reports it in `conditionBrowseModule`. */
export interface MeshRef {
  readonly id: string;
  readonly term: string;
}

const MESH_ID = /^D(\d{6}|\d{9})$/;

/** True for a syntactically valid MeSH descriptor UI ("D" + 6 or 9 digits). */
export function isMeshId(value: string): boolean {
  return MESH_ID.test(value.trim().toUpperCase());
}

/**
 * Comparison key for a MeSH descriptor id.
 *
 * Why: older descriptors have 6-digit UIs ("D011471") while ClinicalTrials.gov has been
 * seen serving the same descriptor zero-padded to 9 digits ("D000011471"). NLM numbers
 * descriptors from one sequence, so the numeric value identifies a descriptor whichever
 * width it is written in; we compare on that and keep the id as written for display.
 */
export function meshKey(id: string): string {
  const m = /^D(\d+)$/.exec(id.trim().toUpperCase());
  if (!m || m[1] === undefined) return id.trim().toUpperCase();
  return `D${Number.parseInt(m[1], 10)}`;
}

/** Builds a key set for fast membership tests ({@link meshKey} semantics). */
export function meshKeySet(ids: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) out.add(meshKey(id));
  return out;
}

/**
 * Words that qualify a diagnosis without changing which cancer it is. Stripped before
 * comparing a trial's condition with a synonym "exactly", so "Metastatic Colorectal
 * Cancer" counts as naming colorectal cancer.
 */
const QUALIFIERS = new Set([
  "advanced",
  "metastatic",
  "metastasis",
  "metastase",
  "recurrent",
  "refractory",
  "relapsed",
  "unresectable",
  "inoperable",
  "locally",
  "local",
  "stage",
  "i",
  "ii",
  "iii",
  "iiia",
  "iiib",
  "iiic",
  "iv",
  "iva",
  "ivb",
  "early",
  "late",
  "newly",
  "diagnosed",
  "progressive",
  "persistent",
  "previously",
  "treated",
  "untreated",
  "primary",
  "adult",
  "malignant",
]);

/** Spelling variants folded to one form before any comparison (British → US, as MeSH). */
const SPELLING: ReadonlyArray<readonly [RegExp, string]> = [
  [/tumour/g, "tumor"],
  [/oesophag/g, "esophag"],
  [/leukaem/g, "leukem"],
  [/haemat/g, "hemat"],
  [/haemo/g, "hemo"],
  [/\bfoetal\b/g, "fetal"],
];

/**
 * Lower-cases, removes accents and punctuation, folds British spellings and a trailing
 * plural "s" (not "-ss", "-is", "-us": "metastasis", "fungus"), and collapses spaces. Applied identically to synonyms and trial text, so
 * the same folding on both sides keeps comparisons honest.
 */
export function normaliseText(text: string): string {
  let s = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  s = s.replace(/['’]s\b/g, "");
  for (const [re, to] of SPELLING) s = s.replace(re, to);
  s = s.replace(/[^a-z0-9]+/g, " ").trim();
  return s
    .split(" ")
    .filter((w) => w.length > 0)
    .map((w) => (w.length > 3 && /[^siu]s$/.test(w) ? w.slice(0, -1) : w))
    .join(" ");
}

/** {@link normaliseText} and then drops qualifier words ("metastatic", "stage IV", …). */
export function coreText(text: string): string {
  return normaliseText(text)
    .split(" ")
    .filter((w) => w.length > 0 && !QUALIFIERS.has(w))
    .join(" ");
}

/** Words that turn a following name into its opposite ("non small cell lung cancer"). */
const NEGATORS = new Set(["non", "not", "no", "except", "excluding", "without", "other", "than"]);

/**
 * True when `phrase` occurs in `text` on whole-word boundaries (both already normalised)
 * and that occurrence is not negated by the word before it, so "small cell lung cancer"
 * is not found in "non small cell lung cancer", nor "hodgkin lymphoma" in
 * "non hodgkin lymphoma".
 */
export function containsPhrase(text: string, phrase: string): boolean {
  if (phrase.length === 0) return false;
  const hay = ` ${text} `;
  const needle = ` ${phrase} `;
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
    const before = hay.slice(0, at).trimEnd().split(" ").pop() ?? "";
    if (!NEGATORS.has(before)) return true;
  }
  return false;
}
