import { describe, expect, it } from "vitest";
import { CANCER_TYPE_IDS, CANCER_TYPES, getCancerType, isCancerTypeId } from "@/lib/trials/cancer-types";
import { coreText, isMeshId, meshKey, normaliseText } from "@/lib/trials/mesh";

describe("cancer types", () => {
  it("has about 30 types with unique, stable ids", () => {
    expect(CANCER_TYPES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CANCER_TYPE_IDS).size).toBe(CANCER_TYPES.length);
    for (const t of CANCER_TYPES) expect(t.id).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(isCancerTypeId("lung-nsclc")).toBe(true);
    expect(isCancerTypeId("lung")).toBe(false);
    expect(getCancerType("melanoma")?.mesh.id).toBe("D008545");
  });

  it("uses the documented MeSH descriptors for the main types", () => {
    const expected: Record<string, string> = {
      breast: "D001943",
      "lung-nsclc": "D002289",
      "lung-sclc": "D055752",
      colorectal: "D015179",
      pancreatic: "D010190",
      prostate: "D011471",
      melanoma: "D008545",
      glioblastoma: "D005909",
      glioma: "D005910",
      "lymphoma-non-hodgkin": "D008228",
      myeloma: "D009101",
      ovarian: "D010051",
      "other-solid": "D009369",
    };
    for (const [id, mesh] of Object.entries(expected)) expect(getCancerType(id)?.mesh.id, id).toBe(mesh);
  });

  it("gives every type well-formed MeSH ids and an ancestor chain ending at Neoplasms", () => {
    for (const t of CANCER_TYPES) {
      expect(isMeshId(t.mesh.id), t.id).toBe(true);
      const chain = [...t.ancestors, ...t.related];
      for (const a of chain) expect(isMeshId(a.id), `${t.id} → ${a.id}`).toBe(true);
      expect(chain.map((a) => a.id), t.id).not.toContain(t.mesh.id);
      expect(new Set(chain.map((a) => a.id)).size, t.id).toBe(chain.length);
      if (t.id !== "other-solid") expect(t.ancestors.at(-1)?.id, t.id).toBe("D009369");
    }
  });

  it("places NSCLC under Lung Neoplasms", () => {
    const ids = getCancerType("lung-nsclc")?.ancestors.map((a) => a.id) ?? [];
    expect(ids).toContain("D008175");
    expect(ids.indexOf("D008175")).toBeLessThan(ids.indexOf("D009369"));
  });

  it("uses one term per MeSH id across the whole list", () => {
    const term = new Map<string, string>();
    for (const t of CANCER_TYPES) {
      for (const ref of [t.mesh, ...t.ancestors, ...t.related]) {
        const seen = term.get(ref.id);
        if (seen !== undefined) expect(ref.term, ref.id).toBe(seen);
        term.set(ref.id, ref.term);
      }
    }
  });

  it("has synonyms that survive normalisation and are never ordinary words", () => {
    const risky = new Set(["all", "other", "cancer", "tumor", "neoplasm", "carcinoma", "mass"]);
    for (const t of CANCER_TYPES) {
      expect(t.synonyms.length, t.id).toBeGreaterThan(0);
      for (const s of t.synonyms) {
        expect(coreText(s), `${t.id}: ${s}`).not.toBe("");
        expect(risky.has(normaliseText(s)), `${t.id}: ${s}`).toBe(false);
      }
    }
  });

  it("compares 6- and 9-digit MeSH ids by value", () => {
    expect(meshKey("D011471")).toBe(meshKey("D000011471"));
    expect(meshKey("d000077216")).toBe(meshKey("D000077216"));
    expect(meshKey("D011471")).not.toBe(meshKey("D011470"));
  });
});
