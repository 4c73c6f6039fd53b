import { describe, expect, it } from "vitest";
import { getCancerType, type CancerType } from "@/lib/trials/cancer-types";
import { matchCondition } from "@/lib/trials/condition";
import { containsPhrase, coreText, normaliseText } from "@/lib/trials/mesh";
import { trial, withMesh } from "./fixtures";

function type(id: string): CancerType {
  const t = getCancerType(id);
  if (t === undefined) throw new Error(`no cancer type ${id}`);
  return t;
}

const NEOPLASMS = { id: "D009369", term: "Neoplasms" };
const LUNG = { id: "D008175", term: "Lung Neoplasms" };
const NSCLC = { id: "D002289", term: "Carcinoma, Non-Small-Cell Lung" };
const NSCLC_ANCESTORS = [
  { id: "D002283", term: "Carcinoma, Bronchogenic" },
  { id: "D001984", term: "Bronchial Neoplasms" },
  LUNG,
  { id: "D012142", term: "Respiratory Tract Neoplasms" },
  { id: "D013899", term: "Thoracic Neoplasms" },
  { id: "D009371", term: "Neoplasms by Site" },
  NEOPLASMS,
];

describe("matchCondition: MeSH", () => {
  it("passes on the exact descriptor and says so", () => {
    const m = matchCondition(type("lung-nsclc"), trial({ conditions: ["NSCLC"], ...withMesh([NSCLC], NSCLC_ANCESTORS) }));
    expect(m).toMatchObject({ kind: "mesh_exact", outcome: "pass" });
    expect(m.text).toContain("Exact match");
    expect(m.text).toContain("D002289");
  });

  it("passes when the trial's condition is an ancestor (Lung Neoplasms for NSCLC)", () => {
    const m = matchCondition(type("lung-nsclc"), trial({ conditions: ["Lung Cancer"], ...withMesh([LUNG]) }));
    expect(m).toMatchObject({ kind: "mesh_broader", outcome: "pass" });
    expect(m.text).toContain("Broader match");
    expect(m.text).toContain("Lung Neoplasms");
  });

  it("passes on a related heading that is not a tree parent (brain tumours for glioblastoma)", () => {
    const m = matchCondition(
      type("glioblastoma"),
      trial({ conditions: ["Brain Tumor"], ...withMesh([{ id: "D001932", term: "Brain Neoplasms" }]) }),
    );
    expect(m).toMatchObject({ kind: "mesh_broader", outcome: "pass" });
  });

  it("asks for review when the trial is for a subtype of the patient's cancer", () => {
    const m = matchCondition(type("lung-unspecified"), trial({ conditions: ["NSCLC"], ...withMesh([NSCLC], NSCLC_ANCESTORS) }));
    expect(m).toMatchObject({ kind: "mesh_narrower", outcome: "review" });
    expect(m.text).toContain("Carcinoma, Non-Small-Cell Lung");
  });

  it("does not match siblings that only share an ancestor (SCLC vs NSCLC)", () => {
    const m = matchCondition(
      type("lung-sclc"),
      trial({ conditions: ["Non-small Cell Lung Cancer"], ...withMesh([NSCLC], NSCLC_ANCESTORS) }),
    );
    expect(m).toMatchObject({ kind: "none", outcome: "fail" });
  });

  it("matches zero-padded 9-digit MeSH ids as served by ClinicalTrials.gov", () => {
    const m = matchCondition(
      type("prostate"),
      trial({ conditions: ["Prostate Cancer"], ...withMesh([{ id: "D000011471", term: "Prostatic Neoplasms" }]) }),
    );
    expect(m.kind).toBe("mesh_exact");
  });

  it("fails a different cancer, naming what the trial is for", () => {
    const m = matchCondition(type("melanoma"), trial());
    expect(m).toMatchObject({ kind: "none", outcome: "fail" });
    expect(m.text).toContain('"Breast Cancer"');
  });
});

describe("matchCondition: names and baskets", () => {
  const textOnly = { meshes: [], ancestors: [], meshIds: [], ancestorMeshIds: [] };

  it("passes a synonym used as the condition name, ignoring words like 'metastatic'", () => {
    const m = matchCondition(type("liver-hcc"), trial({ conditions: ["HCC", "Liver Cancer"], ...textOnly }));
    expect(m).toMatchObject({ kind: "name", outcome: "pass" });
    expect(m.text).toContain('"HCC"');
    expect(matchCondition(type("colorectal"), trial({ conditions: ["Metastatic Bowel Cancer"], ...textOnly })).kind).toBe("name");
    expect(matchCondition(type("oesophageal"), trial({ conditions: ["Oesophageal Cancer, Stage IV"], ...textOnly })).kind).toBe(
      "name",
    );
  });

  it("only asks for review when a name appears in a keyword or inside a longer condition", () => {
    const kw = matchCondition(type("skin-non-melanoma"), trial({ conditions: ["Melanoma"], keywords: ["skin cancer"], ...textOnly }));
    expect(kw).toMatchObject({ kind: "keyword_or_partial", outcome: "review" });
    expect(kw.text).toContain('keyword "skin cancer"');
    const partial = matchCondition(type("breast"), trial({ conditions: ["HER2-positive Breast Cancer"], ...textOnly }));
    expect(partial).toMatchObject({ kind: "keyword_or_partial", outcome: "review" });
  });

  it("does not read a negated name as a match", () => {
    expect(matchCondition(type("lung-sclc"), trial({ conditions: ["Non-Small Cell Lung Cancer"], ...textOnly })).outcome).toBe("fail");
    expect(
      matchCondition(type("lymphoma-hodgkin"), trial({ conditions: ["Non-Hodgkin Lymphoma"], ...textOnly })).outcome,
    ).toBe("fail");
  });

  it("lets solid tumours into a solid-tumour basket trial and keeps blood cancers out", () => {
    const basket = trial({ conditions: ["Advanced Solid Tumors"], ...withMesh([NEOPLASMS]) });
    expect(matchCondition(type("pancreatic"), basket)).toMatchObject({ kind: "solid_tumour_basket", outcome: "pass" });
    expect(matchCondition(type("other-solid"), basket).outcome).toBe("pass");
    expect(matchCondition(type("myeloma"), basket)).toMatchObject({ kind: "blood_cancer_excluded", outcome: "fail" });
  });

  it("asks for review on trials listed under cancer in general", () => {
    const any = trial({ conditions: ["Cancer"], ...withMesh([NEOPLASMS]) });
    expect(matchCondition(type("leukaemia-aml"), any)).toMatchObject({ kind: "all_cancers", outcome: "review" });
    expect(matchCondition(type("breast"), any)).toMatchObject({ kind: "all_cancers", outcome: "review" });
  });

  it("asks for review when a trial lists no conditions at all", () => {
    expect(matchCondition(type("breast"), trial({ conditions: [], ...textOnly })).kind).toBe("no_conditions");
  });
});

describe("text normalisation", () => {
  it("folds case, punctuation, British spellings and plurals", () => {
    expect(normaliseText("Non-Small-Cell Lung Tumours")).toBe("non small cell lung tumor");
    expect(normaliseText("Leukaemia, Acute Myeloid")).toBe("leukemia acute myeloid");
    expect(normaliseText("Hodgkin's Lymphoma")).toBe("hodgkin lymphoma");
    expect(normaliseText("Metastasis")).toBe("metastasis");
    expect(coreText("Metastatic Colorectal Cancer, Stage IV")).toBe("colorectal cancer");
  });

  it("finds whole-word phrases only", () => {
    expect(containsPhrase("hcc patients", "hcc")).toBe(true);
    expect(containsPhrase("nsclc", "sclc")).toBe(false);
    expect(containsPhrase("non small cell lung cancer", "small cell lung cancer")).toBe(false);
    expect(containsPhrase("small cell lung cancer and non small cell lung cancer", "small cell lung cancer")).toBe(true);
  });
});
