// Preloaded (--import) into the CLI under test: writes the process's peak RSS, in kB, on exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.JSONDUMP_MAXRSS_FILE, String(process.resourceUsage().maxRSS)));
