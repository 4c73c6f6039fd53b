/**
 * The cancer types offered on the trial-matching intake, with their MeSH descriptors.
 *
 * Each type names one MeSH descriptor and its ancestors in the MeSH "Neoplasms" tree
 * (C04) up to Neoplasms (D009369), nearest first. A trial whose condition is an ancestor
 * (e.g. "Lung Neoplasms" for a non-small cell lung cancer patient) is a broader trial
 * that includes the patient's cancer. Only ancestors in the Neoplasms branch are listed:
 * ClinicalTrials.gov also reports organ-disease ancestors ("Lung Diseases"), but a trial
 * about lung disease in general is not a cancer trial.
 *
 * Ancestry is deliberately incomplete where we could not confirm a descriptor id or a
 * parent link: a missing ancestor only loses a match (which synonym text matching often
 * recovers), a wrong one would show a patient an unrelated trial.
 *
 * `related` lists descriptors that are not MeSH tree parents but clinically contain the
 * type (glioblastoma is a brain tumour, leukaemia a blood cancer); they match like
 * ancestors, and the reason text says so.
 *
 * `id`s are stable: they are stored with intake submissions. Never rename one; add a new
 * type instead.
 */
import type { MeshRef } from "@/lib/trials/mesh";

export type { MeshRef } from "@/lib/trials/mesh";

/** Solid tumours vs blood cancers: "solid tumour" basket trials exclude the latter. */
export type CancerKind = "solid" | "blood";

export interface CancerType {
  readonly id: string;
  /** Plain words, as shown on the intake form. */
  readonly label: string;
  readonly kind: CancerKind;
  readonly mesh: MeshRef;
  /** MeSH tree ancestors within Neoplasms (C04), nearest first, ending with Neoplasms. */
  readonly ancestors: readonly MeshRef[];
  /** Broader headings that clinically include this type but are not MeSH tree parents. */
  readonly related: readonly MeshRef[];
  /** Other names people and sponsors use; matched as whole words, case-insensitively. */
  readonly synonyms: readonly string[];
}

// MeSH descriptors used more than once. Names are MeSH preferred terms.
const NEOPLASMS = { id: "D009369", term: "Neoplasms" } as const;
const BY_SITE = { id: "D009371", term: "Neoplasms by Site" } as const;
const BY_HISTOLOGY = { id: "D009370", term: "Neoplasms by Histologic Type" } as const;
const GLANDULAR_EPITHELIAL = { id: "D009375", term: "Neoplasms, Glandular and Epithelial" } as const;
const CARCINOMA = { id: "D002277", term: "Carcinoma" } as const;
const ADENOCARCINOMA = { id: "D000230", term: "Adenocarcinoma" } as const;
const BREAST = { id: "D001943", term: "Breast Neoplasms" } as const;
const LUNG = { id: "D008175", term: "Lung Neoplasms" } as const;
const BRONCHOGENIC = { id: "D002283", term: "Carcinoma, Bronchogenic" } as const;
const BRONCHIAL = { id: "D001984", term: "Bronchial Neoplasms" } as const;
const RESPIRATORY = { id: "D012142", term: "Respiratory Tract Neoplasms" } as const;
const THORACIC = { id: "D013899", term: "Thoracic Neoplasms" } as const;
const INTESTINAL = { id: "D007414", term: "Intestinal Neoplasms" } as const;
const GASTROINTESTINAL = { id: "D005770", term: "Gastrointestinal Neoplasms" } as const;
const DIGESTIVE = { id: "D004067", term: "Digestive System Neoplasms" } as const;
const LIVER = { id: "D008113", term: "Liver Neoplasms" } as const;
const ENDOCRINE_GLAND = { id: "D004701", term: "Endocrine Gland Neoplasms" } as const;
const UROGENITAL = { id: "D014565", term: "Urogenital Neoplasms" } as const;
const UROLOGIC = { id: "D014571", term: "Urologic Neoplasms" } as const;
const KIDNEY = { id: "D007680", term: "Kidney Neoplasms" } as const;
const GENITAL_MALE = { id: "D005834", term: "Genital Neoplasms, Male" } as const;
const GENITAL_FEMALE = { id: "D005833", term: "Genital Neoplasms, Female" } as const;
const UTERINE = { id: "D014594", term: "Uterine Neoplasms" } as const;
const HEAD_NECK = { id: "D006258", term: "Head and Neck Neoplasms" } as const;
const NEVI_MELANOMAS = { id: "D018326", term: "Nevi and Melanomas" } as const;
const NEUROENDOCRINE = { id: "D018358", term: "Neuroendocrine Tumors" } as const;
const NEUROECTODERMAL = { id: "D017599", term: "Neuroectodermal Tumors" } as const;
const GERM_CELL_EMBRYONAL = { id: "D009373", term: "Neoplasms, Germ Cell and Embryonal" } as const;
const NERVE_TISSUE = { id: "D009380", term: "Neoplasms, Nerve Tissue" } as const;
const GLIOMA = { id: "D005910", term: "Glioma" } as const;
const ASTROCYTOMA = { id: "D001254", term: "Astrocytoma" } as const;
const BRAIN = { id: "D001932", term: "Brain Neoplasms" } as const;
const CNS = { id: "D016543", term: "Central Nervous System Neoplasms" } as const;
const CONNECTIVE_SOFT = { id: "D018204", term: "Neoplasms, Connective and Soft Tissue" } as const;
const SARCOMA = { id: "D012509", term: "Sarcoma" } as const;
const LYMPHOMA = { id: "D008223", term: "Lymphoma" } as const;
const NHL = { id: "D008228", term: "Lymphoma, Non-Hodgkin" } as const;
const B_CELL_LYMPHOMA = { id: "D016393", term: "Lymphoma, B-Cell" } as const;
const LEUKEMIA = { id: "D007938", term: "Leukemia" } as const;
const LEUKEMIA_MYELOID = { id: "D007951", term: "Leukemia, Myeloid" } as const;
const LEUKEMIA_LYMPHOID = { id: "D007945", term: "Leukemia, Lymphoid" } as const;
const HEMATOLOGIC = { id: "D019337", term: "Hematologic Neoplasms" } as const;

/** Ancestor chains shared by several types (nearest first). */
const LUNG_CHAIN = [LUNG, RESPIRATORY, THORACIC, BY_SITE, NEOPLASMS] as const;
const BRONCHOGENIC_CHAIN = [BRONCHOGENIC, BRONCHIAL, ...LUNG_CHAIN] as const;
const HISTOLOGY_CHAIN = [BY_HISTOLOGY, NEOPLASMS] as const;
const ADENOCARCINOMA_CHAIN = [ADENOCARCINOMA, CARCINOMA, GLANDULAR_EPITHELIAL, ...HISTOLOGY_CHAIN] as const;
const NEURO_CHAIN = [NEUROECTODERMAL, GERM_CELL_EMBRYONAL, NERVE_TISSUE, GLANDULAR_EPITHELIAL, ...HISTOLOGY_CHAIN] as const;

const none: readonly MeshRef[] = [];

export const CANCER_TYPES = [
  // ── breast ──────────────────────────────────────────────────────────────
  {
    id: "breast",
    label: "Breast cancer",
    kind: "solid",
    mesh: BREAST,
    ancestors: [BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["breast cancer", "breast carcinoma", "breast neoplasm", "breast tumor", "cancer of the breast"],
  },
  {
    id: "breast-triple-negative",
    label: "Triple-negative breast cancer",
    kind: "solid",
    mesh: { id: "D064726", term: "Triple Negative Breast Neoplasms" },
    ancestors: [BREAST, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["triple negative breast cancer", "tnbc", "triple negative breast carcinoma", "triple negative breast neoplasm"],
  },
  // ── lung and chest ──────────────────────────────────────────────────────
  {
    id: "lung-nsclc",
    label: "Non-small cell lung cancer (NSCLC)",
    kind: "solid",
    mesh: { id: "D002289", term: "Carcinoma, Non-Small-Cell Lung" },
    ancestors: BRONCHOGENIC_CHAIN,
    related: none,
    synonyms: ["non small cell lung cancer", "non small cell lung carcinoma", "nsclc", "non small cell carcinoma of the lung"],
  },
  {
    id: "lung-sclc",
    label: "Small cell lung cancer (SCLC)",
    kind: "solid",
    mesh: { id: "D055752", term: "Small Cell Lung Carcinoma" },
    ancestors: BRONCHOGENIC_CHAIN,
    related: none,
    synonyms: ["small cell lung cancer", "small cell lung carcinoma", "sclc", "small cell carcinoma of the lung", "oat cell carcinoma"],
  },
  {
    id: "lung-unspecified",
    label: "Lung cancer (type not known)",
    kind: "solid",
    mesh: LUNG,
    ancestors: [RESPIRATORY, THORACIC, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["lung cancer", "lung carcinoma", "lung neoplasm", "lung tumor", "cancer of the lung"],
  },
  {
    id: "mesothelioma",
    label: "Mesothelioma",
    kind: "solid",
    mesh: { id: "D008654", term: "Mesothelioma" },
    ancestors: HISTOLOGY_CHAIN,
    related: none,
    synonyms: ["mesothelioma", "pleural mesothelioma", "malignant pleural mesothelioma"],
  },
  // ── digestive ───────────────────────────────────────────────────────────
  {
    id: "colorectal",
    label: "Bowel (colorectal) cancer",
    kind: "solid",
    mesh: { id: "D015179", term: "Colorectal Neoplasms" },
    ancestors: [INTESTINAL, GASTROINTESTINAL, DIGESTIVE, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: [
      "colorectal cancer",
      "colorectal carcinoma",
      "colorectal adenocarcinoma",
      "crc",
      "bowel cancer",
      "colon cancer",
      "rectal cancer",
      "colon and rectal cancer",
    ],
  },
  {
    id: "pancreatic",
    label: "Pancreatic cancer",
    kind: "solid",
    mesh: { id: "D010190", term: "Pancreatic Neoplasms" },
    ancestors: [DIGESTIVE, ENDOCRINE_GLAND, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: [
      "pancreatic cancer",
      "pancreatic carcinoma",
      "pancreatic adenocarcinoma",
      "pancreatic ductal adenocarcinoma",
      "pdac",
      "cancer of the pancreas",
    ],
  },
  {
    id: "stomach",
    label: "Stomach (gastric) cancer",
    kind: "solid",
    mesh: { id: "D013274", term: "Stomach Neoplasms" },
    ancestors: [GASTROINTESTINAL, DIGESTIVE, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["stomach cancer", "gastric cancer", "gastric carcinoma", "gastric adenocarcinoma"],
  },
  {
    id: "oesophageal",
    label: "Oesophageal (food pipe) cancer",
    kind: "solid",
    mesh: { id: "D004938", term: "Esophageal Neoplasms" },
    ancestors: [GASTROINTESTINAL, DIGESTIVE, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["esophageal cancer", "oesophageal cancer", "esophageal carcinoma", "oesophageal carcinoma"],
  },
  {
    id: "liver-hcc",
    label: "Liver cancer (hepatocellular carcinoma)",
    kind: "solid",
    mesh: { id: "D006528", term: "Carcinoma, Hepatocellular" },
    // Two MeSH parents: a liver tumour by site, an adenocarcinoma by histology.
    ancestors: [LIVER, DIGESTIVE, BY_SITE, ...ADENOCARCINOMA_CHAIN],
    related: none,
    synonyms: ["hepatocellular carcinoma", "hepatocellular cancer", "hcc", "hepatoma"],
  },
  {
    id: "bile-duct",
    label: "Bile duct cancer (cholangiocarcinoma)",
    kind: "solid",
    mesh: { id: "D018281", term: "Cholangiocarcinoma" },
    ancestors: ADENOCARCINOMA_CHAIN,
    related: none,
    synonyms: ["cholangiocarcinoma", "bile duct cancer", "biliary tract cancer"],
  },
  // ── kidney, bladder, reproductive ───────────────────────────────────────
  {
    id: "kidney",
    label: "Kidney cancer (renal cell carcinoma)",
    kind: "solid",
    mesh: { id: "D002292", term: "Carcinoma, Renal Cell" },
    ancestors: [KIDNEY, UROLOGIC, UROGENITAL, BY_SITE, ...ADENOCARCINOMA_CHAIN],
    related: none,
    synonyms: ["renal cell carcinoma", "renal cell cancer", "rcc", "kidney cancer"],
  },
  {
    id: "bladder",
    label: "Bladder cancer",
    kind: "solid",
    mesh: { id: "D001749", term: "Urinary Bladder Neoplasms" },
    ancestors: [UROLOGIC, UROGENITAL, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["bladder cancer", "urinary bladder cancer", "bladder carcinoma", "urothelial bladder cancer"],
  },
  {
    id: "prostate",
    label: "Prostate cancer",
    kind: "solid",
    mesh: { id: "D011471", term: "Prostatic Neoplasms" },
    ancestors: [GENITAL_MALE, UROGENITAL, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["prostate cancer", "prostatic cancer", "prostate carcinoma", "prostate adenocarcinoma", "prostatic neoplasm"],
  },
  {
    id: "testicular",
    label: "Testicular cancer",
    kind: "solid",
    mesh: { id: "D013736", term: "Testicular Neoplasms" },
    ancestors: [GENITAL_MALE, UROGENITAL, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["testicular cancer", "testicular germ cell tumor", "cancer of the testis"],
  },
  {
    id: "ovarian",
    label: "Ovarian cancer",
    kind: "solid",
    mesh: { id: "D010051", term: "Ovarian Neoplasms" },
    ancestors: [GENITAL_FEMALE, UROGENITAL, ENDOCRINE_GLAND, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["ovarian cancer", "ovarian carcinoma", "epithelial ovarian cancer", "cancer of the ovary"],
  },
  {
    id: "cervical",
    label: "Cervical cancer",
    kind: "solid",
    mesh: { id: "D002583", term: "Uterine Cervical Neoplasms" },
    ancestors: [UTERINE, GENITAL_FEMALE, UROGENITAL, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["cervical cancer", "cervical carcinoma", "cancer of the cervix"],
  },
  {
    id: "endometrial",
    label: "Womb (endometrial) cancer",
    kind: "solid",
    mesh: { id: "D016889", term: "Endometrial Neoplasms" },
    ancestors: [UTERINE, GENITAL_FEMALE, UROGENITAL, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["endometrial cancer", "endometrial carcinoma", "uterine cancer", "womb cancer"],
  },
  // ── head, neck, endocrine, skin ─────────────────────────────────────────
  {
    id: "head-neck",
    label: "Head and neck cancer",
    kind: "solid",
    mesh: HEAD_NECK,
    ancestors: [BY_SITE, NEOPLASMS],
    related: none,
    synonyms: [
      "head and neck cancer",
      "head and neck squamous cell carcinoma",
      "hnscc",
      "squamous cell carcinoma of the head and neck",
    ],
  },
  {
    id: "thyroid",
    label: "Thyroid cancer",
    kind: "solid",
    mesh: { id: "D013964", term: "Thyroid Neoplasms" },
    ancestors: [ENDOCRINE_GLAND, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["thyroid cancer", "thyroid carcinoma"],
  },
  {
    id: "melanoma",
    label: "Melanoma",
    kind: "solid",
    mesh: { id: "D008545", term: "Melanoma" },
    ancestors: [NEVI_MELANOMAS, NEUROENDOCRINE, NEUROECTODERMAL, GERM_CELL_EMBRYONAL, NERVE_TISSUE, ...HISTOLOGY_CHAIN],
    related: none,
    synonyms: ["melanoma", "malignant melanoma", "cutaneous melanoma", "skin melanoma"],
  },
  {
    id: "skin-non-melanoma",
    label: "Skin cancer (not melanoma)",
    kind: "solid",
    mesh: { id: "D012878", term: "Skin Neoplasms" },
    ancestors: [BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["skin cancer", "non melanoma skin cancer", "basal cell carcinoma", "cutaneous squamous cell carcinoma"],
  },
  // ── brain and nerves ────────────────────────────────────────────────────
  {
    id: "glioblastoma",
    label: "Glioblastoma (GBM)",
    kind: "solid",
    mesh: { id: "D005909", term: "Glioblastoma" },
    ancestors: [ASTROCYTOMA, GLIOMA, ...NEURO_CHAIN],
    related: [BRAIN, CNS],
    synonyms: ["glioblastoma", "glioblastoma multiforme", "gbm", "grade 4 astrocytoma", "grade iv astrocytoma"],
  },
  {
    id: "glioma",
    label: "Glioma (other than glioblastoma)",
    kind: "solid",
    mesh: GLIOMA,
    ancestors: NEURO_CHAIN,
    related: [BRAIN, CNS],
    synonyms: ["glioma", "low grade glioma", "high grade glioma", "astrocytoma", "oligodendroglioma"],
  },
  {
    id: "brain-other",
    label: "Brain tumour (other or not known)",
    kind: "solid",
    mesh: BRAIN,
    ancestors: [CNS, BY_SITE, NEOPLASMS],
    related: none,
    synonyms: ["brain tumor", "brain cancer", "brain neoplasm"],
  },
  {
    id: "neuroblastoma",
    label: "Neuroblastoma",
    kind: "solid",
    mesh: { id: "D009447", term: "Neuroblastoma" },
    ancestors: [NEUROECTODERMAL, GERM_CELL_EMBRYONAL, NERVE_TISSUE, ...HISTOLOGY_CHAIN],
    related: none,
    synonyms: ["neuroblastoma"],
  },
  // ── bone and soft tissue ────────────────────────────────────────────────
  {
    id: "sarcoma",
    label: "Soft tissue sarcoma",
    kind: "solid",
    mesh: SARCOMA,
    ancestors: [CONNECTIVE_SOFT, ...HISTOLOGY_CHAIN],
    related: none,
    synonyms: ["sarcoma", "soft tissue sarcoma"],
  },
  {
    id: "osteosarcoma",
    label: "Bone cancer (osteosarcoma)",
    kind: "solid",
    mesh: { id: "D012516", term: "Osteosarcoma" },
    ancestors: [SARCOMA, CONNECTIVE_SOFT, ...HISTOLOGY_CHAIN],
    related: none,
    synonyms: ["osteosarcoma", "osteogenic sarcoma"],
  },
  // ── blood cancers ───────────────────────────────────────────────────────
  {
    id: "lymphoma-hodgkin",
    label: "Hodgkin lymphoma",
    kind: "blood",
    mesh: { id: "D006689", term: "Hodgkin Disease" },
    ancestors: [LYMPHOMA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    synonyms: ["hodgkin lymphoma", "hodgkin disease", "classical hodgkin lymphoma"],
  },
  {
    id: "lymphoma-dlbcl",
    label: "Diffuse large B-cell lymphoma (DLBCL)",
    kind: "blood",
    mesh: { id: "D016403", term: "Lymphoma, Large B-Cell, Diffuse" },
    ancestors: [B_CELL_LYMPHOMA, NHL, LYMPHOMA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    synonyms: ["diffuse large b cell lymphoma", "dlbcl"],
  },
  {
    id: "lymphoma-non-hodgkin",
    label: "Non-Hodgkin lymphoma (other or not known)",
    kind: "blood",
    mesh: NHL,
    ancestors: [LYMPHOMA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    synonyms: ["non hodgkin lymphoma", "nhl"],
  },
  {
    id: "leukaemia-aml",
    label: "Acute myeloid leukaemia (AML)",
    kind: "blood",
    mesh: { id: "D015470", term: "Leukemia, Myeloid, Acute" },
    ancestors: [LEUKEMIA_MYELOID, LEUKEMIA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    synonyms: ["acute myeloid leukemia", "acute myelogenous leukemia", "aml"],
  },
  {
    id: "leukaemia-all",
    label: "Acute lymphoblastic leukaemia (ALL)",
    kind: "blood",
    mesh: { id: "D054198", term: "Precursor Cell Lymphoblastic Leukemia-Lymphoma" },
    ancestors: [LEUKEMIA_LYMPHOID, LEUKEMIA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    // Never the bare abbreviation "ALL": it would match the English word "all".
    synonyms: ["acute lymphoblastic leukemia", "acute lymphocytic leukemia", "lymphoblastic lymphoma"],
  },
  {
    id: "leukaemia-cll",
    label: "Chronic lymphocytic leukaemia (CLL)",
    kind: "blood",
    mesh: { id: "D015451", term: "Leukemia, Lymphocytic, Chronic, B-Cell" },
    ancestors: [LEUKEMIA_LYMPHOID, LEUKEMIA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    synonyms: ["chronic lymphocytic leukemia", "cll", "small lymphocytic lymphoma"],
  },
  {
    id: "leukaemia-cml",
    label: "Chronic myeloid leukaemia (CML)",
    kind: "blood",
    mesh: { id: "D015464", term: "Leukemia, Myelogenous, Chronic, BCR-ABL Positive" },
    ancestors: [LEUKEMIA_MYELOID, LEUKEMIA, ...HISTOLOGY_CHAIN],
    related: [HEMATOLOGIC],
    synonyms: ["chronic myeloid leukemia", "chronic myelogenous leukemia", "cml"],
  },
  {
    id: "myeloma",
    label: "Multiple myeloma",
    kind: "blood",
    mesh: { id: "D009101", term: "Multiple Myeloma" },
    ancestors: HISTOLOGY_CHAIN,
    related: [HEMATOLOGIC],
    synonyms: ["multiple myeloma", "myeloma", "plasma cell myeloma"],
  },
  // ── catch-all ───────────────────────────────────────────────────────────
  {
    id: "other-solid",
    label: "Other solid tumour",
    kind: "solid",
    // No specific descriptor exists; the root descriptor makes "solid tumour" basket
    // trials (which ClinicalTrials.gov indexes as Neoplasms) the natural matches.
    mesh: NEOPLASMS,
    ancestors: none,
    related: none,
    synonyms: ["solid tumor", "solid cancer", "solid neoplasm", "solid malignancy"],
  },
] as const satisfies readonly CancerType[];

export type CancerTypeId = (typeof CANCER_TYPES)[number]["id"];

/** Ids as a non-empty tuple, e.g. for `z.enum(CANCER_TYPE_IDS)` in the intake schema. */
export const CANCER_TYPE_IDS = CANCER_TYPES.map((t) => t.id) as unknown as readonly [
  CancerTypeId,
  ...CancerTypeId[],
];

/**
 * Descriptors too broad to say anything about a cancer's site or histology. A trial
 * indexed only under these is an "all cancers" or "solid tumours" basket trial, and the
 * matcher treats it specially rather than as an ordinary ancestor match.
 */
export const GENERIC_MESH_IDS: ReadonlySet<string> = new Set([NEOPLASMS.id, BY_SITE.id, BY_HISTOLOGY.id]);

const BY_ID: ReadonlyMap<string, CancerType> = new Map(CANCER_TYPES.map((t) => [t.id, t]));

export function getCancerType(id: string): CancerType | undefined {
  return BY_ID.get(id);
}

export function isCancerTypeId(id: string): id is CancerTypeId {
  return BY_ID.has(id);
}
