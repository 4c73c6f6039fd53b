import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashInviteCode, isWellFormedInviteCode, newInviteCode, normalizeInviteCode } from "@/lib/care-links/code";
import { inviteCodeSchema } from "@/lib/care-links/schemas";

describe("invite codes", () => {
  it("are well formed, readable and distinct", () => {
    const codes = new Set(Array.from({ length: 2000 }, newInviteCode));
    expect(codes.size).toBe(2000);
    for (const c of codes) {
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(isWellFormedInviteCode(c)).toBe(true);
    }
  });

  it("tolerate case, spaces and look-alike letters when typed back", () => {
    const code = "AB0C1-DEF23";
    expect(hashInviteCode("ab0c1 def23")).toBe(hashInviteCode(code));
    expect(hashInviteCode("ABOCI-DEF23")).toBe(hashInviteCode(code));
    expect(normalizeInviteCode(" abocl-def23 ")).toBe("AB0C1DEF23");
  });

  it("the schema refuses anything else with a message", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = inviteCodeSchema.safeParse(s);
        expect(r.success).toBe(isWellFormedInviteCode(s.trim()) && s.trim().length <= 32 && s.trim().length > 0);
        if (!r.success) expect(r.error.issues[0]?.message).toBeTruthy();
      }),
    );
  });
});
