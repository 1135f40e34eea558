'use strict';
/**
 * The baseline: the same objects as the constructs emit, written by hand as plain objects, in the
 * same order (Gateway, then per version Deployment, PodDisruptionBudget, HorizontalPodAutoscaler,
 * then Service, DestinationRule, VirtualService). The values are cdk8s-plus-27's defaults, which
 * the constructs keep.
 */

const ISTIO = 'networking.istio.io/v1';

function deployment(spec, v, labels, autoscaled) {
  const port = spec.port;
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
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            image: v.image,
            imagePullPolicy: 'Always',
            name: spec.name,
            ports: [{ containerPort: port }],
            resources: { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
            startupProbe: { failureThreshold: 3, tcpSocket: { port } },
          }],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
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
function appManifests(spec) {
  const host = `${spec.name}.${spec.namespace}.svc.cluster.local`;
  const meta = { labels: { app: spec.name }, name: spec.name, namespace: spec.namespace };
  const g = spec.gateway;
  const objects = g.ref ? [] : [gateway(g)];
  for (const v of spec.versions) {
    const labels = { app: spec.name, version: v.version };
    const autoscaled = spec.maxReplicas !== undefined && v.replicas > 0;
    objects.push(deployment(spec, v, labels, autoscaled));
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
function build(app, charts) {
  const { ApiObject, Chart } = require('cdk8s');
  for (const c of charts) {
    const chart = new Chart(app, c.id, { namespace: c.namespace });
    c.apps.flatMap(appManifests).forEach((o, i) => new ApiObject(chart, `${o.kind}-${o.metadata.name}-${i}`, o));
  }
}

module.exports = { appManifests, build };
