import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pump Portal", template: "%s · Pump Portal" },
  description: "Implantable pump status, refills, personal bolus and caregiver alarms.",
  applicationName: "Pump Portal",
};

export const viewport: Viewport = {
  themeColor: "#1d5fbf",
  width: "device-width",
  initialScale: 1,
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en-GB">
      <body className="min-h-dvh font-sans antialiased">{children}</body>
    </html>
  );
}
