import Link from "next/link";

/** Sub-navigation within one patient's pages. */
export function PatientTabs({ base, current, extra = [] }: { base: string; current: string; extra?: { href: string; label: string }[] }) {
  const tabs = [{ href: base, label: "Status" }, { href: `${base}/refills`, label: "Refills" }, { href: `${base}/history`, label: "History" }, ...extra];
  return (
    <nav aria-label="Patient sections">
      <ul className="flex flex-wrap gap-2">
        {tabs.map((t) => (
          <li key={t.href}>
            <Link prefetch={false}
              href={t.href}
              aria-current={t.href === current ? "page" : undefined}
              className={`inline-flex min-h-12 items-center rounded-xl border-2 px-4 text-base font-semibold ${t.href === current ? "border-brand-700 bg-brand-700 text-white" : "border-slate-300 bg-white text-brand-800 hover:bg-brand-50"}`}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
