type Tone = "info" | "warning" | "danger" | "success";
const TONE: Record<Tone, string> = {
  info: "border-brand-600 bg-brand-50 text-brand-800",
  warning: "border-amber-600 bg-amber-50 text-amber-900",
  danger: "border-red-700 bg-red-50 text-red-900",
  success: "border-emerald-700 bg-emerald-50 text-emerald-900",
};

/** Our own alert box (Next's route announcer also has role="alert"; tests target data-alert). */
export function Alert({ tone = "info", children, live = false }: { tone?: Tone; children: React.ReactNode; live?: boolean }) {
  return (
    <div role={live ? "alert" : undefined} data-alert={tone} className={`rounded-xl border-l-4 px-4 py-3 text-base ${TONE[tone]}`}>
      {children}
    </div>
  );
}
