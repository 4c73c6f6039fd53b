import "server-only";
/**
 * The person's copy of their signed consent, as a PDF (pdf-lib, standard Helvetica).
 *
 * The text is rebuilt from the stored version and checked against the stored hash before
 * this is called (consent.ts `signedDocument`), so the copy shows the words that were signed,
 * with the hash printed for anyone who wants to check it.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { formatDateTime } from "@/lib/pump/time";
import { parseIsoDate } from "@/lib/trials/age";
import type { ConsentState, ShownConsent } from "@/lib/trials/consent";
import { formatLongDate } from "@/lib/trials/consent-text";
import { RELATIONSHIP_OPTIONS, optionLabel } from "@/lib/trials/intake-schema";

export interface ConsentPdfInput {
  readonly intakeId: string;
  readonly patientName: string;
  readonly dateOfBirth: string;
  readonly timeZone: string;
  readonly doc: ShownConsent;
  readonly state: ConsentState;
  readonly generatedAt: Date;
}

const PAGE = { width: 612, height: 792 } as const; // US Letter
const MARGIN = 56;
const INK = rgb(0.08, 0.09, 0.12);
const MUTED = rgb(0.29, 0.33, 0.39);
const DANGER = rgb(0.6, 0.1, 0.1);

/**
 * Helvetica here is WinAnsi-encoded and cannot draw, say, Cyrillic or CJK names. Such
 * characters are shown as "?" rather than failing the download; the typed name is also
 * kept intact in the PDF's metadata (Unicode) and, of course, in the database.
 */
function printable(font: PDFFont, text: string, cache: Map<string, boolean>): string {
  let out = "";
  for (const ch of text.replace(/\r?\n/g, " ")) {
    let ok = cache.get(ch);
    if (ok === undefined) {
      try {
        font.widthOfTextAtSize(ch, 10);
        ok = true;
      } catch {
        ok = false;
      }
      cache.set(ch, ok);
    }
    out += ok ? ch : "?";
  }
  return out;
}

function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width || line === "") line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

class Writer {
  private page: PDFPage;
  private y: number;
  private readonly cache = new Map<string, boolean>();
  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN;
  }
  text(text: string, opts: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; gapAfter?: number } = {}): void {
    const size = opts.size ?? 11;
    const font = opts.bold ? this.bold : this.regular;
    const lineHeight = size * 1.35;
    for (const line of wrap(font, size, printable(font, text, this.cache), PAGE.width - 2 * MARGIN)) {
      if (this.y - lineHeight < MARGIN) {
        this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
        this.y = PAGE.height - MARGIN;
      }
      this.y -= lineHeight;
      this.page.drawText(line, { x: MARGIN, y: this.y, size, font, color: opts.color ?? INK });
    }
    this.y -= opts.gapAfter ?? 6;
  }
  /** Starts a new page unless `points` of height are left, to keep a block together. */
  keep(points: number): void {
    if (this.y - points < MARGIN) {
      this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
      this.y = PAGE.height - MARGIN;
    }
  }
  rule(): void {
    this.y -= 6;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: PAGE.width - MARGIN, y: this.y }, thickness: 0.8, color: MUTED });
    this.y -= 10;
  }
}

export async function renderConsentPdf(input: ConsentPdfInput): Promise<Uint8Array> {
  const { doc, state, timeZone } = input;
  const pdf = await PDFDocument.create();
  const title = doc.blocks[0]?.text ?? "Authorization to release medical records";
  pdf.setTitle(title);
  pdf.setSubject(`Signed by ${state.signed.signerName} for ${input.patientName}`);
  pdf.setAuthor("Pump Portal");
  pdf.setCreator("Pump Portal");
  pdf.setProducer("Pump Portal (pdf-lib)");
  pdf.setCreationDate(input.generatedAt);
  pdf.setModificationDate(input.generatedAt);
  const w = new Writer(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold));
  const when = (d: Date) => `${formatDateTime(d, timeZone)} ${timeZone}`;

  if (state.status === "revoked" && state.revoked) {
    w.text(`REVOKED on ${when(state.revoked.at)} by ${state.revoked.signerName}. Matching and sharing have stopped.`, { bold: true, color: DANGER, gapAfter: 10 });
  } else if (state.status === "expired") {
    w.text("EXPIRED: this authorization is no longer in force.", { bold: true, color: DANGER, gapAfter: 10 });
  }
  w.text("Copy of your signed consent", { size: 10, color: MUTED, gapAfter: 2 });
  for (const block of doc.blocks) {
    if (block.kind === "title") w.text(block.text, { size: 16, bold: true, gapAfter: 10 });
    else if (block.kind === "heading") w.text(block.text, { size: 12, bold: true, gapAfter: 2 });
    else w.text(block.text, { size: 11, gapAfter: 8 });
  }
  const s = state.signed;
  w.keep(190);
  w.rule();
  w.text("Signature", { size: 12, bold: true, gapAfter: 2 });
  w.text(`Patient: ${input.patientName}, born ${input.dateOfBirth}`);
  const role =
    s.signerRole === "guardian"
      ? `for the patient, as ${optionLabel(RELATIONSHIP_OPTIONS, s.guardianRelationship ?? "").toLowerCase() || "their representative"}`
      : "the patient";
  w.text(`Signed by typing their full name: ${s.signerName} (${role})`);
  w.text(`Signed at: ${when(s.at)}`);
  const expiresOn = parseIsoDate(doc.expiresOn);
  if (s.expiresAt && expiresOn) w.text(`Expires: at the end of ${formatLongDate(expiresOn)} (${when(s.expiresAt)})`);
  w.rule();
  w.text("How to check this copy", { size: 10, bold: true, color: MUTED, gapAfter: 2 });
  w.text(`Text version: ${s.textVersion}`, { size: 9, color: MUTED, gapAfter: 2 });
  w.text(`SHA-256 of the exact text shown and signed: ${s.textSha256}`, { size: 9, color: MUTED, gapAfter: 2 });
  w.text(`Intake: ${input.intakeId}. Copy made ${when(input.generatedAt)}.`, { size: 9, color: MUTED, gapAfter: 2 });
  return pdf.save();
}
