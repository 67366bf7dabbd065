/**
 * End-to-end tests drive Debian's Chromium (Playwright's own browser download does not
 * work on these machines). Installs it when missing, as CI runs as root.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default function setup() {
  if (!fs.existsSync(path.resolve("build/index.js"))) {
    throw new Error("Der Portal-Build fehlt: `npm test` baut ihn zuerst (oder `npm run build`).");
  }
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium fehlt unter ${CHROMIUM}. Bitte installieren: sudo apt-get install -y chromium`);
  }
  console.log("Installiere Chromium aus den Debian-Paketen …");
  execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
    stdio: "inherit",
  });
}
