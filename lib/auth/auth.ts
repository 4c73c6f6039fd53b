import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { clientIp } from "@/lib/http/client-ip";
import { checkCredentials } from "./credentials";

export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
export class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
}

export const SESSION_MAX_AGE_SECONDS = 12 * 3600;

export { clientIp };

export const { handlers, auth, signIn, signOut } = NextAuth({
  // Credentials sign-in requires JWT sessions. The token carries identity only: roles, links
  // and clinic membership are read from the database on every request (lib/auth/guard.ts).
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "E-mail" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const db = await getDb();
        const result = await checkCredentials(db, credentials, clientIp(request.headers));
        if (result.kind === "ok") return result.user;
        if (result.kind === "rate_limited") throw new SignInRateLimited();
        throw new InvalidCredentials();
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
  logger: {
    // Failed sign-ins are expected; log them without the stack and without the e-mail.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error("[auth]", error.name, error.message);
    },
  },
});
