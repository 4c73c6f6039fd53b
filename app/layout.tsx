import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { THEME_COLOR } from "@/components/pwa/brand";
import { PwaRoot } from "@/components/pwa/pwa-root";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pump Portal", template: "%s · Pump Portal" },
  description: "Implantable pump status, refills, personal bolus and caregiver alarms.",
  applicationName: "Pump Portal",
  // app/manifest.ts is linked automatically; iOS reads its own tags for Home Screen apps.
  appleWebApp: { capable: true, title: "Pump Portal", statusBarStyle: "default" },
  icons: {
    icon: [{ url: "/icons/favicon-32.png", sizes: "32x32", type: "image/png" }],
    apple: [{ url: "/icons/apple-touch-icon.png", sizes: "180x180", type: "image/png" }],
  },
};

export const viewport: Viewport = {
  themeColor: THEME_COLOR,
  width: "device-width",
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request so that Next can put the request's CSP nonce (proxy.ts)
  // on its scripts; without this the not-found page would be prerendered and its scripts refused.
  await connection();
  return (
    <html lang="en-GB">
      <body className="min-h-dvh font-sans antialiased">
        <PwaRoot />
        {children}
      </body>
    </html>
  );
}
