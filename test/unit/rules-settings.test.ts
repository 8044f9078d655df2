import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, WS, one, none } from '../helpers/workspace';
import { service, workload } from '../helpers/fixtures';

const nodePortService = (name: string, nodePort: number) => service(name, { app: name }, { type: 'NodePort', targetPort: null, nodePort });

const pod = (name: string) => workload('Pod', name, { app: name }, { container: 'app', image: 'nginx:1.27', ports: null });

describe('severity overrides', () => {
  test('node-port-range lowered to warning keeps the range and message', () => {
    const files = { 'svc.yaml': nodePortService('web', 8888), 'pod.yaml': pod('web') };
    const base = one(analyze(files).findings, 'node-port-range');
    const f = one(analyze(files, { severity: { 'node-port-range': 'warning' } }).findings, 'node-port-range');
    assert.equal(base.severity, 'error');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, base.range);
    assert.equal(covered(files, f), '8888');
    assert.equal(f.message, base.message);
  });

  test('`off` removes that code only', () => {
    const files = { 'svc.yaml': nodePortService('web', 8888).replace('  type: NodePort\n', '  type: NodePort\n  loadBalancerIP: 10.0.0.1\n') };
    const { findings } = analyze(files, { severity: { 'node-port-range': 'off' } });
    none(findings, 'node-port-range');
    one(findings, 'load-balancer-ip-deprecated');
    one(findings, 'service-selects-nothing');
  });

  test('overrides apply to parse findings and cross-resource findings alike', () => {
    const tmpl = { 'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n' };
    assert.deepEqual(analyze(tmpl, { severity: { 'template-skipped': 'off' } }).findings, []);
    const slash = { 'a.yaml': '// comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' };
    assert.equal(one(analyze(slash, { severity: { 'yaml-syntax': 'hint' } }).findings, 'yaml-syntax').severity, 'hint');
    const lonely = { 'svc.yaml': nodePortService('web', 30080) };
    assert.equal(one(analyze(lonely, { severity: { 'service-selects-nothing': 'error' } }).findings, 'service-selects-nothing').severity, 'error');
  });

  test('codes without an override keep their catalogue severity', () => {
    const files = { 'svc.yaml': nodePortService('web', 8888) };
    const { findings } = analyze(files, { severity: { 'route-gateway-missing': 'hint' } });
    assert.equal(one(findings, 'node-port-range').severity, 'error');
    assert.equal(one(findings, 'service-selects-nothing').severity, 'warning');
  });

  test('changing the settings of a live analyzer re-evaluates cached findings', () => {
    const files = { 'svc.yaml': nodePortService('web', 8888), 'pod.yaml': pod('web') };
    const { analyzer } = analyze(files);
    assert.equal(analyzer.findings(WS + 'svc.yaml').filter((f) => f.code === 'node-port-range').length, 1);
    analyzer.settings = { ...analyzer.settings, severity: { 'node-port-range': 'off' } };
    assert.equal(analyzer.findings(WS + 'svc.yaml').filter((f) => f.code === 'node-port-range').length, 0);
    analyzer.settings = { ...analyzer.settings, severity: {}, nodePortRange: { min: 8000, max: 9000 } };
    assert.equal(analyzer.findings(WS + 'svc.yaml').filter((f) => f.code === 'node-port-range').length, 0);
  });
});

describe('nodePortRange setting', () => {
  const range = { nodePortRange: { min: 20000, max: 22767 } };

  test('a nodePort valid by default is outside a custom range, and the message names the range', () => {
    const files = { 'svc.yaml': nodePortService('web', 30080), 'pod.yaml': pod('web') };
    none(analyze(files).findings, 'node-port-range');
    const f = one(analyze(files, range).findings, 'node-port-range');
    assert.equal(f.severity, 'error');
    assert.equal(covered(files, f), '30080');
    assert.match(f.message, /20000/);
    assert.match(f.message, /22767/);
  });

  test('a nodePort inside the custom range and at its bounds is fine; just outside is not', () => {
    for (const np of [20000, 21000, 22767]) {
      none(analyze({ 'svc.yaml': nodePortService('web', np) }, range).findings, 'node-port-range');
    }
    for (const np of [19999, 22768]) {
      one(analyze({ 'svc.yaml': nodePortService('web', np) }, range).findings, 'node-port-range');
    }
  });

  test('nodePort 0 is still fine with a custom range', () => {
    none(analyze({ 'svc.yaml': nodePortService('web', 0) }, range).findings, 'node-port-range');
  });
});
