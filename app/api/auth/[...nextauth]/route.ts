// GET|POST /api/auth/* — Auth.js endpoints (sign-in callback, session, sign-out, CSRF).
import { handlers } from "@/lib/auth/auth";

export const { GET, POST } = handlers;
