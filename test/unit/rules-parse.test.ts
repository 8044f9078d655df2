import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, yaml, one, none, lineOf } from '../helpers/workspace';
import { deployment, service } from '../helpers/fixtures';

const DEPLOYMENT = `\n${deployment('web', { app: 'web' }, { container: 'app', image: 'nginx:1.27', ports: [['http', 80]] })}`;
const SERVICE = `\n${service('web', { app: 'web' }, { type: 'NodePort', nodePort: 8888 })}`;

describe('yaml-syntax', () => {
  test('a `//` comment line is an error on that line, says comments start with #, and the rest still resolves', () => {
    const text = '// Deployment for the demo\n' + yaml(DEPLOYMENT, SERVICE);
    const files = { 'a.yaml': text };
    const { findings } = analyze(files);
    const f = one(findings, 'yaml-syntax');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 0);
    assert.equal(f.range.start.character, 0);
    assert.equal(covered(files, f), '// Deployment for the demo');
    assert.match(f.message, /#/);
    assert.deepEqual(f.data, { type: 'slash-comment' });
    // Recovery: the Service still selects the Deployment and resolves its named port.
    none(findings, 'service-selects-nothing');
    none(findings, 'target-port-unresolved');
    // ...and its own findings are still at the right place.
    const np = one(findings, 'node-port-range');
    assert.equal(np.range.start.line, lineOf(text, 'nodePort: 8888'));
    assert.equal(covered(files, np), '8888');
  });

  test('an indented `//` line inside a mapping is reported too', () => {
    const text = DEPLOYMENT.replace(/^\n/, '').replace('  template:\n', '  // pods\n  template:\n');
    const files = { 'a.yaml': text };
    const f = one(analyze(files).findings, 'yaml-syntax');
    assert.equal(f.range.start.line, lineOf(text, '// pods'));
    assert.equal(covered(files, f), '// pods');
    assert.match(f.message, /#/);
  });

  test('a `//` line without a space after the slashes is a `//` comment too (hint and recovery)', () => {
    const text = '//TODO move to the base\n' + yaml(DEPLOYMENT, SERVICE);
    const files = { 'a.yaml': text };
    const { findings } = analyze(files);
    const f = one(findings, 'yaml-syntax');
    assert.equal(f.range.start.line, 0);
    assert.equal(covered(files, f), '//TODO move to the base');
    assert.match(f.message, /#/, f.message);
    // Treated as a comment: the documents below still resolve.
    none(findings, 'service-selects-nothing');
    assert.equal(covered(files, one(findings, 'node-port-range')), '8888');
  });

  test('`//` inside a block scalar (|) is content, not a syntax error', () => {
    const files = {
      'cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  run.js: |
    // start the server
    require('./server').listen(8080);
  url: http://example.com//path
`,
    };
    const { findings } = analyze(files);
    assert.deepEqual(findings, []);
  });

  test('a key indented under a scalar value is an error spanning the offending token, with a hint', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: some-ingress
    annotations:
      alb.ingress.kubernetes.io/scheme: internet-facing
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;
    const files = { 'ing.yaml': text, 'svc.yaml': yaml(SERVICE) };
    const f = one(analyze(files).findings.filter((x) => x.file === 'ing.yaml'), 'yaml-syntax');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /annotations/);
    // The offending token is the scalar `some-ingress` (which became a multi-line key) or the
    // `annotations` key indented under it; either way a whole token, not a single character.
    assert.ok(['some-ingress', 'annotations', 'annotations:'].includes(covered(files, f)),
      `range covers ${JSON.stringify(covered(files, f))} at ${JSON.stringify(f.range)}`);
  });

  test('a tab used as indentation is reported at the tab', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
\tmode: fast
`;
    const files = { 'a.yaml': text };
    const f = one(analyze(files).findings, 'yaml-syntax');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 5);
    assert.equal(covered(files, f), '\t');
  });

  test('an unterminated quoted scalar is reported at the scalar, not at the end of the file', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  greeting: "hello
  mode: fast
`;
    const files = { 'a.yaml': text };
    const f = one(analyze(files).findings, 'yaml-syntax');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 5, `range ${JSON.stringify(f.range)}`);
    assert.ok(covered(files, f).startsWith('"hello'), `range covers ${JSON.stringify(covered(files, f))}`);
  });
});

describe('yaml-duplicate-key', () => {
  test('a repeated selector key is an error on the repeated key', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
    app: web-v2
  ports:
    - port: 80
`;
    const files = { 'a.yaml': text, 'd.yaml': yaml(DEPLOYMENT) };
    const f = one(analyze(files).findings, 'yaml-duplicate-key');
    assert.equal(f.severity, 'error');
    assert.equal(f.file, 'a.yaml');
    assert.equal(f.range.start.line, 7);
    assert.equal(covered(files, f), 'app');
    assert.match(f.message, /`app`/);
  });

  test('the same key in sibling mappings (two containers, two ports) is fine', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - name: http
          containerPort: 80
    - name: sidecar
      image: envoyproxy/envoy:v1.31
      ports:
        - name: admin
          containerPort: 9901
`;
    const { findings } = analyze({ 'a.yaml': text });
    none(findings, 'yaml-duplicate-key');
    none(findings, 'yaml-syntax');
  });
});

describe('template-skipped', () => {
  test('a Helm template gets one information at its first expression and nothing else', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "web.fullname" . }}
spec:
  type: NodePort
  ports:
    - port: {{ .Values.service.port }}
      nodePort: 8888
`;
    const files = { 'templates/service.yaml': text };
    const { findings } = analyze(files);
    assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.code)));
    const f = one(findings, 'template-skipped');
    assert.equal(f.severity, 'information');
    assert.equal(f.range.start.line, 3);
    assert.equal(covered(files, f), '{{ include "web.fullname" . }}');
  });

  test('`{{ .Values.x }}` unquoted as a value is a template', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {{ .Values.replicas }}
`;
    const files = { 'a.yaml': text };
    const f = one(analyze(files).findings, 'template-skipped');
    assert.equal(covered(files, f), '{{ .Values.replicas }}');
    none(analyze(files).findings, 'yaml-syntax');
  });

  test('`{{ $labels.instance }}` inside a quoted string is content: the file is analysed', () => {
    const text = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: alerts
spec:
  groups:
    - name: web
      rules:
        - alert: InstanceDown
          expr: up == 0
          annotations:
            summary: "Instance {{ $labels.instance }} is down"
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 8888
`;
    const { findings } = analyze({ 'a.yaml': text });
    none(findings, 'template-skipped');
    none(findings, 'yaml-syntax');
    one(findings, 'node-port-range'); // proves the file was analysed
  });

  test('braces inside a block scalar or a comment do not make a template', () => {
    const text = `# usage: {{ .Values.port }} is rendered elsewhere
apiVersion: v1
kind: ConfigMap
metadata:
  name: tmpl
data:
  page.tmpl: |
    <h1>{{ .Title }}</h1>
`;
    const { findings } = analyze({ 'a.yaml': text });
    assert.deepEqual(findings, []);
  });

  test('the Argo Workflow quoted parameter is fine', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: busybox
        args: ["echo", "{{inputs.parameters.message}}"]
`;
    none(analyze({ 'wf.yaml': text }).findings, 'template-skipped');
  });
});

describe('non-Kubernetes YAML and parse robustness', () => {
  test('kustomization without kind, docker-compose and CI configs are ignored silently', () => {
    const { findings } = analyze({
      'kustomization.yaml': 'resources:\n  - deployment.yaml\nnamePrefix: dev-\n',
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n',
      '.gitlab-ci.yml': 'stages: [build]\nbuild:\n  script:\n    - make\n',
    });
    assert.deepEqual(findings, []);
  });

  test('empty files, empty documents and comment-only files have no findings', () => {
    const { findings } = analyze({
      'empty.yaml': '',
      'markers.yaml': '---\n---\n...\n',
      'comments.yaml': '# nothing here yet\n# TODO: add the Service\n',
      'blank.yaml': '\n\n   \n',
    });
    assert.deepEqual(findings, []);
  });

  test('CRLF line endings: ranges are still exact', () => {
    const text = yaml(SERVICE).replace(/\n/g, '\r\n');
    const files = { 'a.yaml': text, 'd.yaml': yaml(DEPLOYMENT).replace(/\n/g, '\r\n') };
    const { findings } = analyze(files);
    const f = one(findings, 'node-port-range');
    assert.equal(f.range.start.line, lineOf(text, 'nodePort: 8888'));
    assert.equal(f.range.start.character, 16);
    assert.equal(f.range.end.character, 20);
    assert.equal(covered(files, f), '8888');
    none(findings, 'yaml-syntax');
    none(findings, 'service-selects-nothing');
    none(findings, 'target-port-unresolved');
  });

  test('CRLF: a duplicate key and a `//` line are reported at their own lines', () => {
    const text = `// the web service\r\napiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\n  name: web2\r\nspec:\r\n  clusterIP: None\r\n`;
    const files = { 'a.yaml': text };
    const { findings } = analyze(files);
    const slash = one(findings, 'yaml-syntax');
    assert.equal(covered(files, slash), '// the web service');
    const dup = one(findings, 'yaml-duplicate-key');
    assert.equal(dup.range.start.line, 5);
    assert.equal(covered(files, dup), 'name');
  });

  test('a UTF-8 BOM does not hide the document or shift ranges', () => {
    const text = '\uFEFF' + yaml(SERVICE);
    const files = { 'a.yaml': text, 'd.yaml': yaml(DEPLOYMENT) };
    const { findings } = analyze(files);
    none(findings, 'yaml-syntax');
    const f = one(findings, 'node-port-range');
    assert.equal(f.range.start.line, lineOf(text, 'nodePort: 8888'));
    assert.equal(covered(files, f), '8888');
    none(findings, 'service-selects-nothing');
  });

  test('a UTF-8 BOM before a `//` first line: still recognised as a `//` comment', () => {
    const text = '\uFEFF// Deployment and Service for the demo\n' + yaml(DEPLOYMENT, SERVICE);
    const files = { 'a.yaml': text };
    const { findings } = analyze(files);
    const f = one(findings, 'yaml-syntax');
    assert.equal(f.range.start.line, 0);
    assert.match(f.message, /#/, f.message);
    none(findings, 'service-selects-nothing');
    assert.equal(covered(files, one(findings, 'node-port-range')), '8888');
  });

  test('`...` document end markers between documents', () => {
    const text = yaml(DEPLOYMENT).replace(/\n$/, '\n...\n') + '---\n' + yaml(SERVICE) + '...\n';
    const files = { 'a.yaml': text };
    const { findings } = analyze(files);
    none(findings, 'yaml-syntax');
    none(findings, 'service-selects-nothing');
    none(findings, 'target-port-unresolved');
    const f = one(findings, 'node-port-range');
    assert.equal(f.range.start.line, lineOf(text, 'nodePort: 8888'));
    assert.equal(covered(files, f), '8888');
  });

  test('flow-style JSON-like documents with trailing commas parse, with exact ranges', () => {
    const text = `{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {"name": "web",},
  "spec": {
    "type": "NodePort",
    "selector": {"app": "web",},
    "ports": [{"port": 80, "targetPort": "http", "nodePort": 8888,},],
  },
}
`;
    const files = { 'svc.json.yaml': text, 'd.yaml': yaml(DEPLOYMENT) };
    const { findings } = analyze(files);
    none(findings, 'yaml-syntax');
    none(findings, 'service-selects-nothing');
    none(findings, 'target-port-unresolved');
    const f = one(findings, 'node-port-range');
    assert.equal(f.range.start.line, 7);
    assert.equal(covered(files, f), '8888');
  });

  test('a YAML error in one document does not stop the next documents from resolving', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  list: [a, b
---
` + yaml(DEPLOYMENT, SERVICE);
    const files = { 'a.yaml': text };
    const { findings } = analyze(files);
    const err = one(findings, 'yaml-syntax');
    assert.ok(err.range.start.line <= 6, `error at ${JSON.stringify(err.range)} should be in the first document`);
    none(findings, 'service-selects-nothing');
    none(findings, 'target-port-unresolved');
    const f = one(findings, 'node-port-range');
    assert.equal(f.range.start.line, lineOf(text, 'nodePort: 8888'));
    assert.equal(covered(files, f), '8888');
  });

  test('a tab error in the first document leaves the second intact', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
\tmode: fast
---
` + yaml(SERVICE);
    const files = { 'a.yaml': text, 'd.yaml': yaml(DEPLOYMENT) };
    const { findings } = analyze(files);
    assert.equal(one(findings, 'yaml-syntax').range.start.line, 5);
    assert.equal(covered(files, one(findings, 'node-port-range')), '8888');
    none(findings, 'service-selects-nothing');
  });
});
