// The C tools the export benchmark compares with, from Debian's packages: found on the PATH, or
// installed with apt-get (as root), and their versions reported.
import { execFileSync } from 'node:child_process';

const VERSION_ARGS = { sqlite3: ['--version'], jq: ['--version'], psql: ['--version'] };

function which(command) {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The path of `command`, installing Debian's `pkg` if it is missing; throws when it cannot be had. */
export function ensureTool(command, pkg = command) {
  let path = which(command);
  if (path === null) {
    console.error(`bench: installing Debian's ${pkg} for ${command}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
    path = which(command);
  }
  if (path === null) throw new Error(`${command} is not available (Debian package ${pkg})`);
  return path;
}

/** The first line `command --version` prints. */
export function versionOf(command) {
  const args = VERSION_ARGS[command] ?? ['--version'];
  return execFileSync(command, args, { encoding: 'utf8' }).split('\n')[0].trim();
}
