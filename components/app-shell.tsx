import Link from "next/link";
import { SignOutButton } from "@/components/pwa/sign-out-button";
import type { Role } from "@/db/schema";
import { signOut } from "@/lib/auth/auth";
import { ROLE_HOME, ROLE_LABEL } from "@/lib/auth/roles";

export interface NavItem {
  href: string;
  label: string;
}

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/sign-in" });
}

/** Page frame for signed-in users: title bar, role switcher (for multi-role users), sign-out. */
export function AppShell({ name, roles, nav, children }: { name: string; roles: ReadonlySet<Role>; nav: NavItem[]; children: React.ReactNode }) {
  const otherRoles = [...roles];
  return (
    <div className="min-h-dvh">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link prefetch={false} href="/" className="text-lg font-bold text-brand-700">
            Pump Portal
          </Link>
          <div className="flex items-center gap-3">
            <span className="text-base text-muted" data-testid="signed-in-as">
              {name}
            </span>
            <form action={signOutAction}>
              <SignOutButton className="min-h-12 rounded-xl border-2 border-slate-400 px-4 text-base font-semibold hover:bg-slate-100" />
            </form>
          </div>
        </div>
        <nav aria-label="Main" className="mx-auto max-w-3xl px-2 pb-2">
          <ul className="flex flex-wrap gap-1">
            {nav.map((item) => (
              <li key={item.href}>
                <Link prefetch={false} href={item.href} className="inline-flex min-h-12 items-center rounded-lg px-3 text-base font-medium text-brand-800 hover:bg-brand-50">
                  {item.label}
                </Link>
              </li>
            ))}
            {otherRoles.length > 1
              ? otherRoles.map((r) => (
                  <li key={r}>
                    <Link prefetch={false} href={ROLE_HOME[r]} className="inline-flex min-h-12 items-center rounded-lg px-3 text-base text-muted hover:bg-slate-100">
                      {ROLE_LABEL[r]} view
                    </Link>
                  </li>
                ))
              : null}
          </ul>
        </nav>
      </header>
      <main className="mx-auto flex max-w-3xl flex-col gap-5 px-4 py-6">{children}</main>
    </div>
  );
}
