// The browser the e2e runner drives: $KT_CHROMIUM, else Debian's /usr/bin/chromium (installed by
// `npm run setup`). Checked before anything starts, so a missing browser fails at once, by name.
import fs from 'node:fs';

export function chromiumExecutable() {
  const exe = process.env.KT_CHROMIUM || '/usr/bin/chromium';
  try {
    if (!fs.statSync(exe).isFile()) throw new Error('not a file');
    fs.accessSync(exe, fs.constants.X_OK);
  } catch {
    throw new Error(`Chromium not found: ${exe}${process.env.KT_CHROMIUM ? ' (KT_CHROMIUM)' : ''} is not an executable file. `
      + 'Install it with `npm run setup` (Debian\'s chromium package, as `npm test` does), or set KT_CHROMIUM to a Chromium or Chrome executable.');
  }
  return exe;
}

/** How long the browser may take to start (Playwright's default is 3 minutes). */
export const LAUNCH_TIMEOUT_MS = 30_000;
