"use server";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { signInSchema } from "@/lib/auth/credentials";
import { zodFieldErrors } from "@/lib/http/errors";

export interface SignInState {
  message?: string;
  fields?: Record<string, string>;
  email?: string;
}

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const input = { email: formData.get("email"), password: formData.get("password") };
  const email = typeof input.email === "string" ? input.email : "";
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { fields: zodFieldErrors(parsed.error), email };
  try {
    // Land on "/", which sends each role to its own home.
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
    return {};
  } catch (e) {
    // Only Auth.js errors are handled here; the redirect that signals success must propagate.
    if (!(e instanceof AuthError)) throw e;
    if (e instanceof CredentialsSignin && e.code === "rate_limited") {
      return { message: "Too many unsuccessful sign-in attempts. For your safety, please try again later (in about 15 minutes).", email };
    }
    if (e instanceof CredentialsSignin) {
      return { message: "That e-mail and password do not match an account. Please check them and try again.", email };
    }
    return { message: "We could not sign you in just now. Please try again.", email };
  }
}
