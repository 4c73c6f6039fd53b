import { requirePageActor } from "@/lib/auth/guard";
import { AlarmShell } from "./_components/alarm-shell";

export default async function AlarmsLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return <AlarmShell actor={actor}>{children}</AlarmShell>;
}
