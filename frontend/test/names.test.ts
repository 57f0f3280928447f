import { describe, expect, it } from 'vitest';
import { mergedName, scriptOf } from '../src/util/names';

// [comm, cmdline (arguments joined by spaces, as the protocol sends them), shown name]
const CASES: [string, string, string][] = [
  ['python3', '/usr/bin/python3 /root/.local/share/app/venv/bin/app.py --port 8000', 'python3 app.py'],
  ['python3', 'python3 -u -W ignore /srv/jobs/worker.py', 'python3 worker.py'],
  ['python3', 'python3 -m http.server 8080', 'python3 -m http.server'],
  ['python3', 'python3 -c import time; time.sleep(60)', 'python3'],
  ['python3', 'python3', 'python3'],
  ['python3.11', '/usr/local/bin/python3.11 manage.py runserver', 'python3.11 manage.py'],
  ['perl', '/usr/bin/perl -I /opt/lib /usr/sbin/munin-node', 'perl munin-node'],
  ['perl', 'perl -e print 1', 'perl'],
  ['node', 'node --require ts-node/register /home/u/app/src/server.ts', 'node server.ts'],
  ['node', '/usr/bin/node /usr/lib/node_modules/npm/bin/npm-cli.js install', 'node npm-cli.js'],
  ['ruby', 'ruby -I lib bin/rails server', 'ruby rails'],
  ['bash', '/bin/bash /usr/local/bin/backup.sh --full', 'bash backup.sh'],
  ['sh', '/bin/sh -e /etc/init.d/cron start', 'sh cron'],
  ['bash', 'bash -c while true; do sleep 1; done', 'bash'],
  ['bash', '-bash', 'bash'],
  ['bash', '/bin/bash', 'bash'],
  ['java', '/usr/bin/java -Xmx2g -jar /opt/jenkins/jenkins.war --httpPort=8080', 'java jenkins.war'],
  ['java', 'java -cp /opt/app/lib/* com.example.Main', 'java Main'],
  // Not interpreters, or a process that renamed itself: its own name.
  ['sleep', '/usr/bin/sleep 600', 'sleep'],
  ['nginx', 'nginx: worker process', 'nginx'],
  ['app.py', '/usr/bin/python3 ./app.py', 'app.py'],
  ['ppG123', 'ppG123', 'ppG123'],
  ['kworker/0:1', '', 'kworker/0:1'],
];

describe('mergedName (htop-style merged command)', () => {
  for (const [comm, cmdline, shown] of CASES)
    it(`${comm} | ${cmdline} -> ${shown}`, () => {
      expect(mergedName(comm, cmdline)).toBe(shown);
    });

  it('kernel threads and zombies (empty command line) keep their name', () => {
    expect(mergedName('kthreadd', '', true)).toBe('kthreadd');
    expect(mergedName('python3', '')).toBe('python3');
    expect(mergedName(undefined, undefined)).toBe('');
  });

  it('scriptOf skips the values of options that take one', () => {
    expect(scriptOf(['python3', '-X', 'dev', 'a.py'])).toBe('a.py');
    expect(scriptOf(['node', '-r', 'dotenv/config', 'index.js'])).toBe('index.js');
    expect(scriptOf(['python3', '--', 'b.py'])).toBe('b.py');
    expect(scriptOf(['ls', '-l'])).toBeNull();
  });
});
