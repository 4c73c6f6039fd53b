import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/auth/roles";

// "/" sends each signed-in user to their role's home, everyone else to sign-in.
export default async function Home() {
  const actor = await currentActor();
  redirect(actor ? homeFor(actor.roles) : "/sign-in");
}
