'use strict';
/**
 * The baseline: the same objects as the constructs emit, written by hand as plain objects, in the
 * same order (Gateway, then per version Deployment, PodDisruptionBudget, HorizontalPodAutoscaler,
 * then Service, DestinationRule, VirtualService). The values are cdk8s-plus-27's defaults, which
 * the constructs keep. With `pods`, every app has the pod settings of constructs.js's podProps,
 * and its ServiceAccount comes before its workloads.
 */

const RESOURCES = { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } };
const SECURE = { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true };

/** What podProps adds to a version's pod template, and its main container. */
function podSettings(spec, labels) {
  return {
    metadata: { annotations: { 'sidecar.istio.io/proxyCPU': '100m' } },
    container: {
      envFrom: [{ secretRef: { name: `${spec.name}-db` } }],
      lifecycle: { preStop: { sleep: { seconds: 10 } } },
      volumeMounts: [{ mountPath: '/etc/app', name: 'config', readOnly: true }, { mountPath: '/var/log/app', name: 'logs' }],
    },
    sidecars: [{
      image: 'fluent/fluent-bit:3.1', imagePullPolicy: 'Always', name: 'log-shipper', resources: RESOURCES, securityContext: SECURE,
      volumeMounts: [{ mountPath: '/var/log/app', name: 'logs', readOnly: true }],
    }],
    pod: {
      imagePullSecrets: [{ name: 'registry-credentials' }],
      initContainers: [{
        command: ['sh', '-c', 'until nc -z db 5432; do sleep 2; done'], image: 'busybox:1.36', imagePullPolicy: 'Always', name: 'wait-for-db',
        resources: RESOURCES, securityContext: SECURE,
      }],
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      serviceAccountName: spec.name,
      terminationGracePeriodSeconds: 45,
      tolerations: [{ effect: 'NoSchedule', key: 'dedicated', operator: 'Equal', value: spec.namespace }],
      topologySpreadConstraints: [{
        labelSelector: { matchLabels: labels }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway',
      }],
      volumes: [{ configMap: { name: `${spec.name}-config` }, name: 'config' }, { emptyDir: {}, name: 'logs' }],
    },
  };
}

const NO_POD_SETTINGS = { metadata: {}, container: {}, sidecars: [], pod: {} };

const ISTIO = 'networking.istio.io/v1';

function deployment(spec, v, labels, autoscaled, pods) {
  const port = spec.port;
  const extra = pods ? podSettings(spec, labels) : NO_POD_SETTINGS;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels, name: `${spec.name}-${v.subset}`, namespace: spec.namespace },
    spec: {
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      ...(autoscaled ? {} : { replicas: v.replicas }),
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { labels, ...extra.metadata },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            image: v.image,
            imagePullPolicy: 'Always',
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            name: spec.name,
            ports: [{ containerPort: port }],
            resources: RESOURCES,
            securityContext: SECURE,
            startupProbe: { failureThreshold: 3, tcpSocket: { port } },
            ...extra.container,
          }, ...extra.sidecars],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
          ...extra.pod,
        },
      },
    },
  };
}

function disruptionBudget(spec, v, labels) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${spec.name}-${v.subset}`, namespace: spec.namespace },
    spec: { minAvailable: spec.disruptionBudget, selector: { matchLabels: labels } },
  };
}

function autoscaler(spec, v) {
  const name = `${spec.name}-${v.subset}`;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: spec.namespace },
    spec: {
      behavior: {
        scaleDown: {
          policies: [{ periodSeconds: 300, type: 'Pods', value: v.replicas }], selectPolicy: 'Max', stabilizationWindowSeconds: 300,
        },
        scaleUp: {
          policies: [{ periodSeconds: 60, type: 'Pods', value: 4 }, { periodSeconds: 60, type: 'Percent', value: 200 }],
          selectPolicy: 'Max',
          stabilizationWindowSeconds: 0,
        },
      },
      maxReplicas: spec.maxReplicas,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 80, type: 'Utilization' } }, type: 'Resource' }],
      minReplicas: v.replicas,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    },
  };
}

function gateway(g) {
  return {
    apiVersion: ISTIO,
    kind: 'Gateway',
    metadata: { name: g.name, namespace: g.namespace },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [{ hosts: g.hosts, port: { name: 'http', number: 80, protocol: 'HTTP' } }],
    },
  };
}

/** The objects of one app, its own Gateway first. */
function appManifests(spec, pods = false) {
  const host = `${spec.name}.${spec.namespace}.svc.cluster.local`;
  const meta = { labels: { app: spec.name }, name: spec.name, namespace: spec.namespace };
  const g = spec.gateway;
  const objects = g.ref ? [] : [gateway(g)];
  if (pods) {
    objects.push({
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: { app: spec.name }, name: spec.name, namespace: spec.namespace }, automountServiceAccountToken: false,
    });
  }
  for (const v of spec.versions) {
    const labels = { app: spec.name, version: v.version };
    const autoscaled = spec.maxReplicas !== undefined && v.replicas > 0;
    objects.push(deployment(spec, v, labels, autoscaled, pods));
    if (spec.disruptionBudget !== undefined) objects.push(disruptionBudget(spec, v, labels));
    if (autoscaled) objects.push(autoscaler(spec, v));
  }
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        externalIPs: [], ports: [{ name: 'http', port: spec.port, targetPort: spec.port }], selector: { app: spec.name }, type: 'ClusterIP',
      },
    },
    {
      apiVersion: ISTIO,
      kind: 'DestinationRule',
      metadata: meta,
      spec: { host, subsets: spec.versions.map(v => ({ labels: { version: v.version }, name: v.subset })) },
    },
    {
      apiVersion: ISTIO,
      kind: 'VirtualService',
      metadata: meta,
      spec: {
        gateways: [g.ref ?? `${g.namespace}/${g.name}`, 'mesh'],
        hosts: [...spec.hosts, host],
        http: [{ name: 'primary', route: spec.versions.map(v => ({ destination: { host, subset: v.subset }, weight: v.weight })) }],
      },
    },
  );
  return objects;
}

/** The baseline: every object a plain `ApiObject` in its chart. */
function build(app, charts, { pods = false } = {}) {
  const { ApiObject, Chart } = require('cdk8s');
  for (const c of charts) {
    const chart = new Chart(app, c.id, { namespace: c.namespace });
    c.apps.flatMap(spec => appManifests(spec, pods)).forEach((o, i) => new ApiObject(chart, `${o.kind}-${o.metadata.name}-${i}`, o));
  }
}

module.exports = { appManifests, build };
