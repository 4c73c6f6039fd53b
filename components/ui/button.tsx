import type { ComponentProps } from "react";

type Variant = "primary" | "secondary" | "danger";

const VARIANT: Record<Variant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-slate-400",
  secondary: "bg-white text-brand-700 border-2 border-brand-600 hover:bg-brand-50 disabled:text-slate-500 disabled:border-slate-400",
  danger: "bg-white text-red-800 border-2 border-red-700 hover:bg-red-50",
};

/** Large tap target (≥ 48 px) with strong contrast. */
export function Button({ variant = "primary", className = "", ...props }: ComponentProps<"button"> & { variant?: Variant }) {
  return (
    <button
      {...props}
      className={`inline-flex min-h-12 items-center justify-center rounded-xl px-5 py-3 text-base font-semibold transition-colors disabled:cursor-not-allowed ${VARIANT[variant]} ${className}`}
    />
  );
}
