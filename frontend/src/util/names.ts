/**
 * The name a process is shown by, like htop's "merged command": an interpreter running a script
 * shows the script's base name after its own (`python3 app.py`, `node server.js`, `java app.jar`,
 * `bash backup.sh`) instead of `python3` alone or `python3 /root/.venv/…/app.py`.
 */

/** Interpreters, by the base name of their executable (python3.11, perl5.36, ruby3.1 too). */
const INTERPRETER = /^(python[0-9.]*|pythonw|pypy3?|perl[0-9.]*|node|nodejs|ruby[0-9.]*|bash|sh|dash|zsh|ksh|mksh|fish|php[0-9.]*|lua[0-9.]*|tclsh[0-9.]*|Rscript|java)$/;

/** Options (per interpreter family) that take the next argument as their value. */
const WITH_VALUE: Record<string, readonly string[]> = {
  python: ['-W', '-X', '-Q', '--check-hash-based-pycs'],
  perl: ['-I', '-M', '-m', '-x'],
  node: ['-r', '--require', '--import', '--loader', '--experimental-loader', '--inspect-port', '--title', '--env-file', '--conditions', '-C'],
  ruby: ['-I', '-r', '-C', '-E', '-x'],
  shell: ['-o', '-O', '+o', '+O'],
  php: ['-c', '-d', '-z'],
  java: ['-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-modules', '--add-opens', '--add-exports'],
};

/** Options after which there is no script: the program comes inline (`python3 -c '…'`, `perl -e`). */
const INLINE: Record<string, readonly string[]> = {
  python: ['-c'],
  perl: ['-e', '-E'],
  node: ['-e', '--eval', '-p', '--print'],
  ruby: ['-e'],
  shell: ['-c'],
  php: ['-r'],
  java: [],
};

function family(interp: string): string {
  if (/^(python|pypy)/.test(interp)) return 'python';
  if (interp.startsWith('perl')) return 'perl';
  if (interp === 'node' || interp === 'nodejs') return 'node';
  if (interp.startsWith('ruby')) return 'ruby';
  if (interp.startsWith('php')) return 'php';
  if (interp === 'java') return 'java';
  return 'shell';
}

function baseName(path: string): string {
  const cut = path.replace(/\/+$/, '');
  const i = cut.lastIndexOf('/');
  return i >= 0 ? cut.slice(i + 1) : cut;
}

/**
 * The script an interpreter's command line runs (its base name; `-m module` for Python, `X.jar`
 * for `java -jar`), or null when it runs none (`-c`, an interactive shell, not an interpreter).
 */
export function scriptOf(args: readonly string[]): string | null {
  const interp = baseName(args[0] ?? '');
  if (!INTERPRETER.test(interp)) return null;
  const fam = family(interp);
  const withValue = WITH_VALUE[fam] ?? [];
  const inline = INLINE[fam] ?? [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '') continue;
    if (a === '--') return args[i + 1] ? baseName(args[i + 1] as string) : null;
    if (fam === 'python' && a === '-m') return args[i + 1] ? `-m ${args[i + 1]}` : null;
    if (fam === 'java' && a === '-jar') return args[i + 1] ? baseName(args[i + 1] as string) : null;
    if (inline.includes(a)) return null;
    if (!a.startsWith('-') && !(fam === 'shell' && a.startsWith('+'))) {
      // Java without -jar: the main class, shown by its last component.
      if (fam === 'java') return a.includes('.') && !a.includes('/') ? (a.split('.').pop() ?? a) : baseName(a);
      return baseName(a);
    }
    if (fam === 'python' && /^-[^-]*c/.test(a)) return null; // combined flags ending in c: -Sc
    if (withValue.includes(a)) i++;
  }
  return null;
}

/**
 * The name to show for a process: `name` (its comm), followed by the script it runs when it is an
 * interpreter. `cmdline` is the arguments joined by spaces, as the protocol sends it (an argument
 * holding a space cannot be told apart; the script's base name rarely has one).
 */
export function mergedName(name: string | undefined, cmdline: string | undefined, kernelThread = false): string {
  const n = name ?? '';
  if (kernelThread || !cmdline) return n;
  // The table asks for every row it draws: most are no interpreter, told by the first argument.
  const space = cmdline.indexOf(' ');
  const interp = baseName(space < 0 ? cmdline : cmdline.slice(0, space));
  // Only when the process still is the interpreter (a process that renamed itself keeps its name).
  if (!INTERPRETER.test(interp) || !(interp === n || interp.startsWith(n) || INTERPRETER.test(n))) return n;
  const key = `${n}\0${cmdline}`;
  let shown = memo.get(key);
  if (shown === undefined) {
    const script = scriptOf(cmdline.split(' '));
    shown = !script || script === n ? n : `${n} ${script}`;
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(key, shown);
  }
  return shown;
}

const MEMO_SIZE = 4096;
const memo = new Map<string, string>();
