import { requirePageActor } from "@/lib/auth/guard";
import { AlarmShell } from "../alarms/_components/alarm-shell";

export default async function NotificationsLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return <AlarmShell actor={actor}>{children}</AlarmShell>;
}
