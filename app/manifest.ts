import type { MetadataRoute } from "next";
import { BACKGROUND_COLOR, THEME_COLOR } from "@/components/pwa/brand";

/** Web app manifest (/manifest.webmanifest): what the phone needs to install Pump Portal as an app. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/",
    name: "Pump Portal",
    short_name: "Pump Portal",
    description: "Implantable pump status, refills, personal bolus and caregiver alarms.",
    lang: "en-GB",
    dir: "ltr",
    // "/" sends each user to their own home (or to sign-in); offline, the service worker answers it.
    start_url: "/",
    scope: "/",
    display: "standalone",
    theme_color: THEME_COLOR,
    background_color: BACKGROUND_COLOR,
    categories: ["medical", "health"],
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-192.png", sizes: "192x192", type: "image/png", purpose: "maskable" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
