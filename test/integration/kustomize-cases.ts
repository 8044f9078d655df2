/**
 * Generated overlays for the differential test against the real kustomize: one shared base with the
 * objects the rules read (Deployment, Services, StatefulSet, Ingress, HPA, HTTPRoute, NetworkPolicy,
 * PDB, a custom resource), and overlays that exercise one feature each. A case lists files relative
 * to its temp folder; `root` is the folder that is built (default `ov`).
 */

export interface OracleCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly root?: string;
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const DEPLOY = lines(
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels:', '    app: web', 'spec:', '  replicas: 2',
  '  selector:', '    matchLabels:', '      app: web', '  template:', '    metadata:', '      labels:', '        app: web', '    spec:',
  '      serviceAccountName: web', '      containers:', '      - name: web', '        image: nginx:1.25', '        ports:',
  '        - name: http', '          containerPort: 8080', '        - name: metrics', '          containerPort: 9090',
  '      - name: sidecar', '        image: envoy', '        ports:', '        - containerPort: 15000', '          protocol: UDP',
  '        env:', '        - name: A', '          value: "1"',
);

const SERVICES = lines(
  'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: web', '  ports:',
  '  - name: http', '    port: 80', '    targetPort: http', '  - name: metrics', '    port: 9090', '    targetPort: 9090',
  '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: db-headless', 'spec:', '  clusterIP: None', '  selector:', '    app: db',
  '  ports:', '  - port: 5432', '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: legacy', 'spec:', '  ports:', '  - port: 80',
);

const STS = lines(
  'apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', '  name: db', 'spec:', '  serviceName: db-headless', '  selector:',
  '    matchLabels:', '      app: db', '  template:', '    metadata:', '      labels:', '        app: db', '    spec:', '      containers:',
  '      - name: pg', '        image: postgres', '        ports:', '        - containerPort: 5432', '  volumeClaimTemplates:',
  '  - metadata:', '      name: data', '    spec:', '      accessModes: [ReadWriteOnce]',
);

const INGRESS = lines(
  'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', 'spec:', '  defaultBackend:', '    service:',
  '      name: web', '      port:', '        number: 80', '  rules:', '  - host: shop.example.com', '    http:', '      paths:',
  '      - path: /', '        pathType: Prefix', '        backend:', '          service:', '            name: web', '            port:',
  '              name: http',
);

const HPA = lines(
  'apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata:', '  name: web', 'spec:', '  scaleTargetRef:',
  '    apiVersion: apps/v1', '    kind: Deployment', '    name: web', '  minReplicas: 2', '  maxReplicas: 5',
);

const ROUTE = lines(
  'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', '  name: web', 'spec:', '  parentRefs:', '  - name: shared',
  '    namespace: infra', '  rules:', '  - backendRefs:', '    - name: web', '      port: 80',
);

const POLICY = lines(
  'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: web', 'spec:', '  podSelector:', '    matchLabels:',
  '      app: web', '  ingress:', '  - from:', '    - podSelector:', '        matchLabels:', '          app: gateway',
  '---', 'apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata:', '  name: web', 'spec:', '  minAvailable: 1', '  selector:',
  '    matchLabels:', '      app: web', '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: web',
);

const BASE: Record<string, string> = {
  'base/kustomization.yaml': lines('resources:', '- deploy.yaml', '- services.yaml', '- sts.yaml', '- ingress.yaml', '- hpa.yaml', '- route.yaml', '- policy.yaml'),
  'base/deploy.yaml': DEPLOY,
  'base/services.yaml': SERVICES,
  'base/sts.yaml': STS,
  'base/ingress.yaml': INGRESS,
  'base/hpa.yaml': HPA,
  'base/route.yaml': ROUTE,
  'base/policy.yaml': POLICY,
};

/** An overlay of the shared base: the kustomization's lines after `resources: [../base]`, and extra files. */
function overlay(name: string, kust: string[], extra: Record<string, string> = {}): OracleCase {
  return { name, files: { ...BASE, 'ov/kustomization.yaml': lines('resources:', '- ../base', ...kust), ...extra } };
}

const smp = (...l: string[]) => ({ 'ov/patch.yaml': lines(...l) });

const DEPLOY_HEAD = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web'];

export const CASES: readonly OracleCase[] = [
  { name: 'base alone', files: BASE, root: 'base' },
  overlay('namePrefix', ['namePrefix: prod-']),
  overlay('nameSuffix', ['nameSuffix: -v2']),
  overlay('prefix and suffix', ['namePrefix: p-', 'nameSuffix: -s']),
  overlay('namespace', ['namespace: shop']),
  overlay('namespace and prefix', ['namespace: shop', 'namePrefix: prod-']),
  overlay('commonLabels', ['commonLabels:', '  env: prod', '  tier: "2"']),
  overlay('labels without selectors', ['labels:', '- pairs:', '    team: payments']),
  overlay('labels with selectors', ['labels:', '- pairs:', '    env: prod', '  includeSelectors: true']),
  overlay('labels with templates', ['labels:', '- pairs:', '    env: prod', '  includeTemplates: true']),
  overlay('labels with fields', ['labels:', '- pairs:', '    zone: a', '  fields:', '  - path: spec/podSelector/matchLabels', '    kind: NetworkPolicy', '    create: true']),
  overlay('commonAnnotations', ['commonAnnotations:', '  owner: team-a']),
  overlay('smp container image and port', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        image: nginx:1.26', '        ports:', '        - name: admin', '          containerPort: 8081')),
  overlay('smp renames a container port', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        ports:', '        - containerPort: 8080', '          name: web-http')),
  overlay('smp pod labels', ['patchesStrategicMerge:', '- patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    metadata:', '      labels:', '        app: web-v2', '        track: canary')),
  overlay('smp service ports', ['patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort', '  ports:', '  - port: 80', '    nodePort: 30080', '  - port: 8443', '    name: https', '    targetPort: 8443')),
  overlay('smp service port with protocol', ['patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  ports:', '  - port: 80', '    protocol: TCP', '    targetPort: 8080')),
  overlay('smp delete container', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: sidecar', '        $patch: delete')),
  overlay('smp replace ports list', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        ports:', '        - $patch: replace', '        - name: only', '          containerPort: 7000')),
  overlay('smp replace map', ['patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    $patch: replace', '    app: other')),
  overlay('smp delete object', ['patchesStrategicMerge:', '- patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: legacy', '$patch: delete')),
  overlay('smp new container first', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: sidecar', '        image: envoy:2', '      - name: init-proxy', '        image: busybox', '        ports:', '        - containerPort: 3000')),
  overlay('smp env and volumes', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      volumes:', '      - name: cache', '        emptyDir: {}', '      containers:', '      - name: sidecar', '        env:', '        - name: B', '          value: two', '        - name: A', '          value: one')),
  overlay('smp with target by label selector', ['patches:', '- path: patch.yaml', '  target:', '    kind: Deployment', '    labelSelector: app=web'], smp(...DEPLOY_HEAD.slice(0, 3), '  name: ignored', 'spec:', '  replicas: 4')),
  overlay('smp multi-document patch file', ['patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: LoadBalancer', '---', ...DEPLOY_HEAD, 'spec:', '  replicas: 1')),
  overlay('smp inline patch', ['patches:', '- patch: |-', '    apiVersion: apps/v1', '    kind: StatefulSet', '    metadata:', '      name: db', '    spec:', '      serviceName: db-other']),
  overlay('json6902 via patches', ['patches:', '- target:', '    kind: Service', '    name: web', '  patch: |-', '    - op: replace', '      path: /spec/ports/0/targetPort', '      value: 8080', '    - op: add', '      path: /spec/ports/-', '      value:', '        name: grpc', '        port: 50051']),
  overlay('json6902 container port', ['patches:', '- target:', '    group: apps', '    kind: Deployment', '  patch: |-', '    - op: add', '      path: /spec/template/spec/containers/0/ports/-', '      value: {name: debug, containerPort: 5005}', '    - op: remove', '      path: /spec/template/spec/containers/1/ports/0']),
  overlay('patchesJson6902 file', ['patchesJson6902:', '- target:', '    group: apps', '    version: v1', '    kind: Deployment', '    name: web', '  path: ops.yaml'], { 'ov/ops.yaml': lines('- op: replace', '  path: /spec/template/metadata/labels/app', '  value: web2', '- op: replace', '  path: /kind', '  value: DaemonSet') }),
  overlay('json6902 target name regex', ['patches:', '- target:', '    kind: Service', '    name: "(web|legacy)"', '  patch: |-', '    - op: add', '      path: /metadata/labels', '      value: {exposed: "yes"}']),
  overlay('patch target before the namespace transformer', ['namespace: shop', 'patches:', '- target:', '    namespace: sh.*', '    kind: Service', '  patch: |-', '    - op: add', '      path: /spec/externalTrafficPolicy', '      value: Local']),
  {
    name: 'json6902 namespace regex and annotation selector',
    files: {
      ...BASE,
      'mid/kustomization.yaml': lines('resources:', '- ../base', 'namespace: shop', 'commonAnnotations:', '  exposure: public'),
      'ov/kustomization.yaml': lines('resources:', '- ../mid', 'patches:', '- target:', '    namespace: sh.*', '    kind: Service', '    annotationSelector: exposure=public', '  patch: |-', '    - op: add', '      path: /spec/type', '      value: LoadBalancer'),
    },
  },
  overlay('replicas', ['replicas:', '- name: web', '  count: 7', '- name: db', '  count: 3']),
  overlay('replacements inline', ['namePrefix: prod-', 'replacements:', '- source:', '    kind: Service', '    name: web', '  targets:', '  - select:', '      kind: HTTPRoute', '    fieldPaths:', '    - spec.rules.0.backendRefs.0.name']),
  overlay('replacements from file with delimiter', ['replacements:', '- path: repl.yaml'], { 'ov/repl.yaml': lines('source:', '  kind: Deployment', '  name: web', '  fieldPath: spec.template.spec.containers.[name=web].image', '  options:', '    delimiter: ":"', '    index: 1', 'targets:', '- select:', '    kind: Deployment', '  fieldPaths:', '  - metadata.labels.version', '  options:', '    create: true') }),
  overlay('replacements into ingress with create', ['replacements:', '- source:', '    kind: Service', '    name: db-headless', '    fieldPath: spec.ports.0.port', '  targets:', '  - select:', '      kind: Ingress', '    fieldPaths:', '    - spec.rules.0.http.paths.[path=/].backend.service.port.number', '    options:', '      create: true']),
  overlay('configurations nameReference for routes', ['namePrefix: prod-', 'configurations:', '- routes.yaml'], { 'ov/routes.yaml': lines('nameReference:', '- kind: Service', '  version: v1', '  fieldSpecs:', '  - path: spec/rules/backendRefs/name', '    kind: HTTPRoute') }),
  overlay('configurations commonLabels for a custom resource', ['- monitor.yaml', 'commonLabels:', '  env: prod', 'configurations:', '- labels.yaml'], { 'ov/labels.yaml': lines('commonLabels:', '- path: spec/selector', '  kind: ServiceMonitor', '  create: true'), 'ov/monitor.yaml': lines('apiVersion: monitoring.coreos.com/v1', 'kind: ServiceMonitor', 'metadata:', '  name: web', 'spec:', '  selector:', '    matchLabels:', '      app: web', '  endpoints:', '  - port: metrics') }),
  {
    name: 'components',
    files: {
      ...BASE,
      'ov/kustomization.yaml': lines('resources:', '- ../base', 'components:', '- ../comp', 'namePrefix: prod-'),
      'comp/kustomization.yaml': lines('apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'commonLabels:', '  feature: tracing', 'patches:', '- path: p.yaml'),
      'comp/p.yaml': lines(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: tracer', '        image: otel', '        ports:', '        - containerPort: 4317'),
    },
  },
  {
    name: 'nested bases with prefixes and namespaces',
    files: {
      ...BASE,
      'mid/kustomization.yaml': lines('resources:', '- ../base', 'namePrefix: a-', 'namespace: mid'),
      'ov/kustomization.yaml': lines('resources:', '- ../mid', '- extra.yaml', 'namePrefix: b-', 'namespace: top'),
      'ov/extra.yaml': lines('apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: extra', 'spec:', '  defaultBackend:', '    service:', '      name: web', '      port:', '        number: 80'),
    },
  },
  {
    name: 'custom resources and cluster-scoped objects',
    files: {
      ...BASE,
      'ov/kustomization.yaml': lines('resources:', '- ../base', '- crs.yaml', 'namespace: shop', 'namePrefix: x-', 'commonLabels:', '  env: prod', 'patches:', '- path: p.yaml'),
      'ov/crs.yaml': lines(
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: GatewayClass', 'metadata:', '  name: gc', 'spec:', '  controllerName: example.com/gw',
        '---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: reader', 'rules: []',
        '---', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: placeholder',
        '---', 'apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', 'spec:', '  service: web', '  items:', '  - a', '  - b',
      ),
      'ov/p.yaml': lines('apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', 'spec:', '  items:', '  - c'),
    },
  },
  {
    name: 'multi-document file and List',
    files: {
      'ov/kustomization.yaml': lines('resources:', '- all.yaml', 'namePrefix: l-'),
      'ov/all.yaml': lines('apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: Service', '  metadata:', '    name: a', '  spec:', '    selector:', '      app: a', '    ports:', '    - port: 80', '---', DEPLOY),
    },
  },
  overlay('smp container port by name only', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', '        ports:', '        - name: http', '          containerPort: 8181')),
  overlay('smp null removes a selector label', ['commonLabels:', '  env: prod', 'patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector:', '    app: null')),
  overlay('smp setElementOrder stays as written', ['patches:', '- path: patch.yaml'], smp(...DEPLOY_HEAD, 'spec:', '  template:', '    spec:', '      $setElementOrder/containers:', '      - name: sidecar', '      - name: web', '      containers:', '      - name: web', '        image: nginx:2')),
  overlay('smp adds ports to a service without them', ['patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: db-headless', 'spec:', '  ports:', '  - port: 5433', '    name: replica', '  - $patch: replace')),
  overlay('smp on a route replaces its lists', ['patches:', '- path: patch.yaml'], smp('apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', '  name: web', 'spec:', '  rules:', '  - backendRefs:', '    - name: web-canary', '      port: 80', '      weight: 10')),
  overlay('ingress in the overlay refers to a prefixed base service', ['- ing2.yaml', 'namePrefix: top-'], { 'ov/ing2.yaml': lines('apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: api', 'spec:', '  rules:', '  - http:', '      paths:', '      - path: /api', '        pathType: Prefix', '        backend:', '          service:', '            name: web', '            port:', '              number: 80', '      - path: /ext', '        pathType: Prefix', '        backend:', '          service:', '            name: not-in-build', '            port:', '              number: 80') }),
  {
    name: 'same name in two namespaces',
    files: {
      'a/kustomization.yaml': lines('resources:', '- svc.yaml', 'namespace: a', 'namePrefix: a-'),
      'a/svc.yaml': SERVICES.split('---')[0]!,
      'b/kustomization.yaml': lines('resources:', '- svc.yaml', '- ing.yaml', 'namespace: b', 'namePrefix: b-'),
      'b/svc.yaml': SERVICES.split('---')[0]!,
      'b/ing.yaml': INGRESS,
      'ov/kustomization.yaml': lines('resources:', '- ../a', '- ../b'),
    },
  },
  overlay('explicit namespaces are replaced', ['- other-ns.yaml', 'namespace: shop'], { 'ov/other-ns.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: pinned', '  namespace: elsewhere', 'spec:', '  selector:', '    app: web', '  ports:', '  - port: 81') }),
  overlay('json6902 values read as YAML 1.1', ['patches:', '- target:', '    kind: Service', '    name: web', '  patch: |-', '    - op: add', '      path: /spec/ports/-', '      value: {name: alt, port: 0x1F90, targetPort: 0777}', '    - op: add', '      path: /spec/ports/0/protocol', '      value: TCP']),
  overlay('patchesStrategicMerge inline', ['patchesStrategicMerge:', '- |-', '  apiVersion: v1', '  kind: Service', '  metadata:', '    name: web', '  spec:', '    type: NodePort', '    ports:', '    - port: 80', '      nodePort: 30080']),
  {
    name: 'commonLabels completes a base written without selectors',
    files: {
      'base/kustomization.yaml': lines('resources:', '- app.yaml'),
      'base/app.yaml': lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  template:', '    spec:', '      containers:', '      - name: api', '        image: api',
        '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  ports:', '  - port: 80'),
      'ov/kustomization.yaml': lines('resources:', '- ../base', 'commonLabels:', '  app: api', '  env: prod'),
    },
  },
  {
    name: 'references of many kinds through a prefix and a namespace',
    files: {
      'base/kustomization.yaml': lines('resources:', '- all.yaml', 'namePrefix: a-'),
      'base/all.yaml': lines(
        'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cfg', 'data:', '  k: v',
        '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: tls', 'type: kubernetes.io/tls',
        '---', 'apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: data', 'spec:', '  accessModes: [ReadWriteOnce]',
        '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: hook', 'spec:', '  selector:', '    app: hook', '  ports:', '  - port: 443',
        '---', 'apiVersion: admissionregistration.k8s.io/v1', 'kind: ValidatingWebhookConfiguration', 'metadata:', '  name: hook', 'webhooks:',
        '- name: hook.example.com', '  clientConfig:', '    service:', '      name: hook', '      namespace: default', '      path: /validate',
        '  sideEffects: None', '  admissionReviewVersions: [v1]',
        '---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: hook', 'spec:', '  selector:', '    matchLabels:', '      app: hook',
        '  template:', '    metadata:', '      labels:', '        app: hook', '    spec:', '      affinity:', '        podAntiAffinity:',
        '          requiredDuringSchedulingIgnoredDuringExecution:', '          - topologyKey: kubernetes.io/hostname', '            labelSelector:', '              matchLabels:', '                app: hook',
        '      volumes:', '      - name: cfg', '        configMap:', '          name: cfg', '      - name: data', '        persistentVolumeClaim:', '          claimName: data',
        '      containers:', '      - name: hook', '        image: hook', '        envFrom:', '        - configMapRef:', '            name: cfg', '        ports:', '        - containerPort: 8443',
        '---', 'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: hook', 'spec:', '  tls:', '  - secretName: tls', '    hosts: [a.example.com]',
        '  rules:', '  - host: a.example.com', '    http:', '      paths:', '      - path: /', '        pathType: Prefix', '        backend:', '          service:', '            name: hook', '            port:', '              number: 443',
        '---', 'apiVersion: autoscaling/v1', 'kind: HorizontalPodAutoscaler', 'metadata:', '  name: hook', 'spec:', '  scaleTargetRef:', '    apiVersion: apps/v1', '    kind: Deployment', '    name: hook', '  maxReplicas: 2',
      ),
      'ov/kustomization.yaml': lines('resources:', '- ../base', 'namespace: hooks', 'nameSuffix: -x', 'labels:', '- pairs:', '    team: t', '  includeSelectors: true',
        'replicas:', '- name: hook', '  count: 3', 'patches:', '- target:', '    name: a-hook', '    kind: Service', '  patch: |-', '    - op: replace', '      path: /spec/ports/0/port', '      value: 8443'),
    },
  },
  {
    name: 'components that add objects and patch them',
    files: {
      ...BASE,
      'ov/kustomization.yaml': lines('resources:', '- ../base', 'components:', '- ../monitoring', '- ../no-legacy', 'namePrefix: p-'),
      'monitoring/kustomization.yaml': lines('kind: Component', 'resources:', '- sm.yaml', 'patches:', '- path: port.yaml'),
      'monitoring/sm.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web-metrics', 'spec:', '  selector:', '    app: web', '  ports:', '  - name: metrics', '    port: 9090'),
      'monitoring/port.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web-metrics', 'spec:', '  type: ClusterIP'),
      'no-legacy/kustomization.yaml': lines('kind: Component', 'patchesStrategicMerge:', '- del.yaml'),
      'no-legacy/del.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: legacy', '$patch: delete'),
    },
  },
  overlay('service without selector gets one', ['commonLabels:', '  app: legacy']),
  overlay('rolebinding subjects and namespace', ['- rbac.yaml', 'namespace: shop', 'namePrefix: p-'], { 'ov/rbac.yaml': lines('apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata:', '  name: rb', 'roleRef:', '  apiGroup: rbac.authorization.k8s.io', '  kind: Role', '  name: r', 'subjects:', '- kind: ServiceAccount', '  name: web', '- kind: ServiceAccount', '  name: default', '---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata:', '  name: r', 'rules: []') }),
  overlay('cronjob and statefulset labels', ['- cron.yaml', 'commonLabels:', '  env: prod'], { 'ov/cron.yaml': lines('apiVersion: batch/v1', 'kind: CronJob', 'metadata:', '  name: nightly', 'spec:', '  schedule: "0 3 * * *"', '  jobTemplate:', '    spec:', '      template:', '        metadata:', '          labels:', '            job: nightly', '        spec:', '          restartPolicy: Never', '          containers:', '          - name: run', '            image: busybox') }),
  overlay('ingress v1beta1 and prefix', ['- old-ingress.yaml', 'namePrefix: p-'], { 'ov/old-ingress.yaml': lines('apiVersion: extensions/v1beta1', 'kind: Ingress', 'metadata:', '  name: old', 'spec:', '  backend:', '    serviceName: web', '    servicePort: 80', '  rules:', '  - http:', '      paths:', '      - backend:', '          serviceName: db-headless', '          servicePort: 5432') }),
  overlay('allowNameChange', ['patches:', '- path: patch.yaml', '  options:', '    allowNameChange: true'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: legacy', 'spec:', '  type: ClusterIP')),
  overlay('generator with its input', ['configMapGenerator:', '- name: web-config', '  files:', '  - app.properties'], { 'ov/app.properties': 'a=1\n' }),
  overlay('patches and replacements that reach generated objects', [
    'configMapGenerator:', '- name: web-config', '  literals:', '  - MODE=fast', 'patches:', '- target:', '    kind: ConfigMap', '  patch: |-', '    - op: replace', '      path: /data/MODE', '      value: slow',
    '- patch: |-', '    apiVersion: v1', '    kind: ConfigMap', '    metadata:', '      name: web-config', '    data:', '      EXTRA: "1"',
    'replacements:', '- source:', '    kind: ConfigMap', '    name: web-config', '  targets:', '  - select:', '      kind: Deployment', '    fieldPaths:', '    - metadata.annotations.config', '    options:', '      create: true',
  ]),
  // Failures: kustomize refuses these, the engine must refuse them for the same cause.
  overlay('fails: strategic merge patch target missing', ['patches:', '- path: patch.yaml'], smp('apiVersion: v1', 'kind: Service', 'metadata:', '  name: nope', 'spec:', '  type: NodePort')),
  overlay('fails: patchesStrategicMerge target missing', ['patchesStrategicMerge:', '- patch.yaml'], smp(...DEPLOY_HEAD.slice(0, 3), '  name: api', 'spec:', '  replicas: 1')),
  overlay('fails: JSON patch path missing', ['patches:', '- target:', '    kind: Service', '    name: web', '  patch: |-', '    - op: replace', '      path: /spec/nothing/here', '      value: 1']),
  overlay('fails: JSON patch unknown op', ['patches:', '- target:', '    kind: Service', '  patch: |-', '    - op: frobnicate', '      path: /spec']),
  overlay('fails: JSON patch test', ['patches:', '- target:', '    kind: Deployment', '  patch: |-', '    - op: test', '      path: /spec/replicas', '      value: 9']),
  overlay('fails: missing resource file', ['- nothing-here.yaml']),
  overlay('fails: missing patch file', ['patches:', '- path: nothing.yaml']),
  overlay('fails: generator input missing', ['configMapGenerator:', '- name: cfg', '  files:', '  - missing.properties']),
  overlay('fails: duplicate id', ['- dup.yaml'], { 'ov/dup.yaml': SERVICES.split('---')[0]! }),
  overlay('fails: unknown kustomization field', ['namePrefx: typo-']),
  overlay('fails: label value of the wrong type', ['commonLabels:', '  version: 2']),
  overlay('fails: replicas target missing', ['replicas:', '- name: nothing', '  count: 2']),
  overlay('fails: file outside the kustomization root', ['- ../outside.yaml'], { 'outside.yaml': SERVICES.split('---')[2]! }),
  {
    // The same Service in two namespaces, both moved into one: kustomize refuses the conflict.
    name: 'fails: namespace transformation makes two objects one',
    files: {
      'ov/kustomization.yaml': lines('namespace: shared', 'resources:', '- a.yaml', '- b.yaml'),
      'ov/a.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  namespace: team-a', 'spec:', '  ports:', '  - port: 80'),
      'ov/b.yaml': lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  namespace: team-b', 'spec:', '  ports:', '  - port: 80'),
    },
  },
  {
    name: 'fails: cycle',
    files: { 'ov/kustomization.yaml': lines('resources:', '- ../other'), 'other/kustomization.yaml': lines('resources:', '- ../ov') },
  },
  {
    name: 'fails: component that is not a Component',
    files: { ...BASE, 'ov/kustomization.yaml': lines('resources:', '- ../base', 'components:', '- ../notcomp'), 'notcomp/kustomization.yaml': lines('commonLabels:', '  a: b') },
  },
];
