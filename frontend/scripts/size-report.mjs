// Prints the size (raw and gzip) of each JavaScript file in dist/ and the total the app ships.
// Fails the build when the app's JS exceeds the budget (150 KiB gzip, issue #4).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const BUDGET = 150 * 1024;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const files = walk(dist).filter((p) => /\.(js|css)$/.test(p)).sort();
let appJs = 0;
let appCss = 0;
for (const f of files) {
  const buf = readFileSync(f);
  const gz = gzipSync(buf, { level: 9 }).length;
  const name = relative(dist, f);
  const isLib = name === 'procpulse-client.js';
  if (f.endsWith('.js') && !isLib) appJs += gz;
  if (f.endsWith('.css')) appCss += gz;
  console.log(`  ${name.padEnd(40)} ${kib(buf.length).padStart(10)}  gzip ${kib(gz).padStart(9)}${isLib ? '  (standalone client library)' : ''}`);
}
console.log(`procpulse: app JS shipped ${kib(appJs)} gzip (budget ${kib(BUDGET)}), CSS ${kib(appCss)} gzip`);
if (appJs > BUDGET) {
  console.error('procpulse: JS over budget');
  process.exit(1);
}
