/**
 * Does a trial's condition cover the patient's cancer type?
 *
 * Evidence is tried from strongest to weakest, and the first that applies decides:
 *  1. MeSH, exact: the trial is indexed under the patient's own descriptor → pass.
 *  2. MeSH, broader: the trial is indexed under one of its ancestors (or a related
 *     heading such as "Brain Neoplasms" for glioblastoma) → pass.
 *  3. MeSH, narrower: the patient's descriptor is an ancestor of the trial's (patient says
 *     "lung cancer", trial is for NSCLC) → needs review: the patient may or may not have
 *     that subtype.
 *  4. Name: a trial condition is, apart from words like "metastatic" or "stage IV", one
 *     of the type's synonyms → pass.
 *  5. Basket trials indexed only as "Neoplasms" (e.g. "Advanced Solid Tumors"): pass for a
 *     solid tumour when the trial says solid tumours, fail for a blood cancer; otherwise
 *     needs review (the trial team decides which cancers qualify).
 *  6. A synonym only in a keyword, or only inside a longer condition name → needs review.
 *  7. Nothing → fail.
 * Only the trial's conditions and keywords are read, never its title or free text, which
 * mention other cancers too often ("patients with prior breast cancer are excluded").
 */
import type { CancerType } from "@/lib/trials/cancer-types";
import { GENERIC_MESH_IDS } from "@/lib/trials/cancer-types";
import type { TrialRecord } from "@/lib/trials/ctgov";
import type { MeshRef } from "@/lib/trials/mesh";
import { containsPhrase, coreText, meshKey, meshKeySet, normaliseText } from "@/lib/trials/mesh";

export type Outcome = "pass" | "fail" | "review";

export type ConditionMatchKind =
  | "mesh_exact"
  | "mesh_broader"
  | "mesh_narrower"
  | "name"
  | "solid_tumour_basket"
  | "blood_cancer_excluded"
  | "all_cancers"
  | "keyword_or_partial"
  | "no_conditions"
  | "none";

export interface ConditionMatch {
  readonly kind: ConditionMatchKind;
  readonly outcome: Outcome;
  /** Plain-words explanation for the patient. */
  readonly text: string;
}

const GENERIC_KEYS = meshKeySet(GENERIC_MESH_IDS);

/** "solid tumour(s)", "solid cancers", "solid malignancies", "solid organ tumors", … */
const SOLID_TUMOUR = /\bsolid (organ )?(tumor|cancer|neoplasm|malignanc)/;

function describeMesh(ref: MeshRef): string {
  return `"${ref.term}" (MeSH ${ref.id})`;
}

function quoteList(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).map((s) => `"${s}"`);
  const more = items.length > max ? ` and ${items.length - max} more` : "";
  return shown.join(", ") + more;
}

export function matchCondition(type: CancerType, trial: TrialRecord): ConditionMatch {
  const label = `"${type.label}"`;
  const typeKey = meshKey(type.mesh.id);
  const typeIsGeneric = GENERIC_KEYS.has(typeKey);
  const trialMeshByKey = new Map<string, MeshRef>(trial.meshes.map((m) => [meshKey(m.id), m]));
  const trialAncestorKeys = meshKeySet(trial.ancestorMeshIds);

  // 1. exact
  const exact = typeIsGeneric ? undefined : trialMeshByKey.get(typeKey);
  if (exact) {
    return {
      kind: "mesh_exact",
      outcome: "pass",
      text: `Exact match: the trial studies ${describeMesh(exact)}, the same as your cancer type ${label}.`,
    };
  }

  // 2. broader (specific ancestors first, nearest first; generic roots are step 5)
  for (const ref of [...type.ancestors, ...type.related]) {
    const key = meshKey(ref.id);
    if (GENERIC_KEYS.has(key)) continue;
    const hit = trialMeshByKey.get(key);
    if (hit) {
      return {
        kind: "mesh_broader",
        outcome: "pass",
        text: `Broader match: the trial studies ${describeMesh(hit)}, which includes your cancer type ${label}.`,
      };
    }
  }

  // 3. narrower
  if (!typeIsGeneric && trialAncestorKeys.has(typeKey)) {
    const specific = trial.meshes.filter((m) => !GENERIC_KEYS.has(meshKey(m.id))).map((m) => m.term);
    return {
      kind: "mesh_narrower",
      outcome: "review",
      text:
        `Needs checking: the trial studies a more specific kind of your cancer type ${label} ` +
        `(${quoteList(specific.length > 0 ? specific : trial.conditions)}). Your doctor can tell whether your cancer is this kind.`,
    };
  }

  const synonyms = [...new Set([type.label, ...type.synonyms].map(coreText).filter((s) => s !== ""))];

  // 4. a condition that is exactly one of the type's names
  for (const condition of trial.conditions) {
    const core = coreText(condition);
    const hit = synonyms.find((s) => s === core);
    if (hit !== undefined) {
      return {
        kind: "name",
        outcome: "pass",
        text: `Name match: the trial lists "${condition}", another name for your cancer type ${label}.`,
      };
    }
  }

  // 5. basket trials
  const statedSolid = [...trial.conditions, ...trial.keywords].find((c) => SOLID_TUMOUR.test(normaliseText(c)));
  if (statedSolid !== undefined) {
    return type.kind === "solid"
      ? {
          kind: "solid_tumour_basket",
          outcome: "pass",
          text: `Broader match: the trial is open to solid tumours in general ("${statedSolid}"), which includes your cancer type ${label}.`,
        }
      : {
          kind: "blood_cancer_excluded",
          outcome: "fail",
          text: `The trial is for solid tumours ("${statedSolid}"); your cancer type ${label} is a blood cancer.`,
        };
  }
  const generic = trial.meshes.find((m) => GENERIC_KEYS.has(meshKey(m.id)));
  if (generic) {
    return {
      kind: "all_cancers",
      outcome: "review",
      text: `Needs checking: the trial is listed under cancer in general (${describeMesh(generic)}); the trial team decides which cancer types qualify.`,
    };
  }

  // 6. a name only in a keyword or inside a longer condition name
  for (const [where, list] of [
    ["condition", trial.conditions],
    ["keyword", trial.keywords],
  ] as const) {
    for (const item of list) {
      const norm = normaliseText(item);
      const hit = synonyms.find((s) => containsPhrase(norm, s));
      if (hit !== undefined) {
        return {
          kind: "keyword_or_partial",
          outcome: "review",
          text: `Possible match: the trial lists the ${where} "${item}", which mentions "${hit}". The trial team will check that it covers your cancer type ${label}.`,
        };
      }
    }
  }

  // 7. nothing
  if (trial.conditions.length === 0 && trial.meshes.length === 0) {
    return {
      kind: "no_conditions",
      outcome: "review",
      text: "Needs checking: the trial does not list the conditions it studies.",
    };
  }
  const studied = trial.conditions.length > 0 ? trial.conditions : trial.meshes.map((m) => m.term);
  return {
    kind: "none",
    outcome: "fail",
    text: `The trial is for ${quoteList(studied)}, not your cancer type ${label}.`,
  };
}
