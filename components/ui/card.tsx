export function Card({ title, children, className = "", headingLevel = 2 }: { title?: string; children: React.ReactNode; className?: string; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={`rounded-2xl border border-slate-200 bg-white p-5 shadow-sm ${className}`}>
      {title ? <H className="mb-3 text-lg font-semibold text-ink">{title}</H> : null}
      {children}
    </section>
  );
}
