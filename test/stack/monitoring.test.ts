/**
 * compose-local's monitoring profile, checked with Prometheus' own promtool (Debian package
 * `prometheus`; .ci/run installs it): the scrape configuration loads, the alert rules parse, and
 * their unit tests (compose-local/monitoring/alerts.test.yml) fire exactly the expected alerts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '@notes/testkit';
import { requirement, run } from '@notes/testkit/docker';
import { afterAll, describe, expect, it } from 'vitest';

const DIR = join(ROOT, 'compose-local/monitoring');
const promtool = (args: string[]) => run('promtool', args, { timeoutMs: 60_000 });
const req = requirement((await promtool(['--version'])).status === 0, 'promtool (Debian package prometheus)');
const work = mkdtempSync(join(tmpdir(), 'notes-monitoring-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(req.skip)('monitoring profile (promtool)', () => {
  if (req.missing) {
    it('needs promtool (Debian package prometheus)', () => {
      throw new Error(req.missing);
    });
    return;
  }

  it('the alert rules parse and their unit tests pass', async () => {
    const checked = await promtool(['check', 'rules', join(DIR, 'alerts.yml')]);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/SUCCESS: 10 rules found/);
    const tested = await promtool(['test', 'rules', join(DIR, 'alerts.test.yml')]);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it('the Prometheus configuration loads (with the rules where the container mounts them)', async () => {
    // The container reads /etc/prometheus/alerts.yml; here the same file from a temporary folder.
    const config = readFileSync(join(DIR, 'prometheus.yml'), 'utf8').replace(
      '/etc/prometheus/alerts.yml',
      join(DIR, 'alerts.yml'),
    );
    writeFileSync(join(work, 'prometheus.yml'), config);
    const checked = await promtool(['check', 'config', join(work, 'prometheus.yml')]);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(config).toMatch(/names: \[svc-notes\][\s\S]*port: 9464/);
  });

  it('refuses a broken rule (the check can fail)', async () => {
    const broken = readFileSync(join(DIR, 'alerts.yml'), 'utf8').replace(
      'expr: up{job=~"notes|userauth"} == 0',
      'expr: up{job=~"notes|userauth" == 0',
    );
    writeFileSync(join(work, 'broken.yml'), broken);
    const checked = await promtool(['check', 'rules', join(work, 'broken.yml')]);
    expect(checked.status).not.toBe(0);
  });
});
