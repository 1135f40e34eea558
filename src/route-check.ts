import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { printable } from './diagram/text';
import { jsonToShare } from './json-handover';
import { VIRTUAL_SERVICE_REF_FORM, isDns1123Label, isGatewayRef, isHost, isVirtualServiceRef } from './names';
import { refuseValidation } from './refusal';
import { isRecord } from './show';
import { checkEnum, fail } from './validate';
import { Finding, MeshConfigOptions, Severity } from './verify';
import { objectName } from './verify/graph';
import { MESH_CONFIG_FIELDS } from './verify/types';
import { checkMeshConfigOptions } from './verify/verify';
import { DEFAULT_EXTERNAL_GATEWAY_WORKLOADS, GATEWAY_WORKLOAD_FORM, parseGatewayWorkload } from './verify/settings';
import { manifestFindings } from './verify/verify-manifests';

/** What the route check does with a warning: a finding that breaks no traffic by itself, but may. */
export enum WarningPolicy {
  /** Print each warning once, at synth, on standard error, naming the chart and the construct. */
  PRINT = 'print',
  /** Fail the synth on a warning, as on an error. */
  ERROR = 'error',
  /** Keep warnings quiet; `findings()` still lists them. */
  IGNORE = 'ignore',
}

/** One check per chart, kept beside it rather than in its tree, so that no construct id is taken. */
const CHECKS = new WeakMap<Chart, RouteCheck>();

/**
 * The route check of one chart: `Verify.manifests` over every object in the chart, ours and
 * hand-made, as a cdk8s validation of the chart. An error fails the synth with the list of
 * findings before any file is written. Every chart that holds one of this library's constructs
 * gets one; reach it with `RouteCheck.of(chart)` to declare what lives outside the chart, or to
 * turn it off.
 */
export class RouteCheck {
  /** The route check of the chart that holds `scope`, added on first use. */
  public static of(scope: IConstruct): RouteCheck {
    const chart = Chart.of(scope);
    if (!CHECKS.has(chart) && chart.namespace !== undefined && !isDns1123Label(chart.namespace)) {
      // The check resolves short hosts in the chart's namespace, and the objects land there.
      fail(scope, 'namespace', `of chart ${chart.node.path} must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)`,
        chart.namespace, 'give the chart a namespace such as "shop"');
    }
    const check = CHECKS.get(chart) ?? new RouteCheck(chart);
    CHECKS.set(chart, check);
    return check;
  }

  private readonly externalHosts = new Set<string>();
  private readonly externalGateways = new Set<string>();
  private readonly externalDelegates = new Set<string>();
  private readonly externalGatewayWorkloads = new Set<string>();
  private weightSum100 = false;
  private meshConfig: MeshConfigOptions = {};
  private enabled = true;
  private warningPolicy = WarningPolicy.PRINT;
  /** The warnings printed already: cdk8s validates once per chart it writes, and a test may synth many times. */
  private readonly printed = new Set<string>();
  private memo?: { readonly children: number; readonly errors: string[]; readonly warnings: string[] };
  /** What each construct of ours claims in the chart (objects, mesh hosts), by its path. */
  private readonly claims = new Map<string, string>();

  private constructor(private readonly chart: Chart) {
    chart.node.addValidation({ validate: () => this.errors() });
  }

  /**
   * Refuses a second construct of ours that would emit an object the chart has already, or claim
   * a host another already routes in the mesh: the failure names both, where a finding at synth
   * could only name the objects.
   * @internal
   */
  public _claim(scope: Construct, field: string, what: string, value: string, fix: string): void {
    const key = `${what} ${value}`;
    const owner = this.claims.get(key);
    if (owner !== undefined && owner !== scope.node.path) fail(scope, field, `clashes with ${owner}, which ${what}`, value, fix);
    this.claims.set(key, scope.node.path);
  }

  /** Declares a destination host that lives outside this chart (exact, or `*.` wildcard). */
  public addExternalHost(host: string): void {
    if (typeof host !== 'string' || !isHost(host)) {
      fail('RouteCheck.addExternalHost', 'host', 'must be a host in lower case, exact or "*." and a domain', host, 'e.g. "ratings.other.svc.cluster.local"');
    }
    this.externalHosts.add(host);
    this.memo = undefined;
  }

  /**
   * Declares a Gateway that exists outside this chart.
   * @param gatewayRef the Gateway as `namespace/name`, e.g. `istio-system/public-gateway`
   */
  public addExternalGateway(gatewayRef: string): void {
    if (typeof gatewayRef !== 'string' || !isGatewayRef(gatewayRef)) {
      fail('RouteCheck.addExternalGateway', 'gatewayRef', 'must be "namespace/name"', gatewayRef, 'e.g. "istio-system/public-gateway"');
    }
    this._addExternalGateway(gatewayRef);
  }

  /**
   * Declares a Gateway outside this chart whose reference the caller has checked already, as
   * `IstioGateway.fromGatewayName` does, in its own words.
   * @internal
   */
  public _addExternalGateway(gatewayRef: string): void {
    this.externalGateways.add(gatewayRef);
    this.memo = undefined;
  }

  /**
   * Declares a VirtualService outside this chart that a rule of the chart delegates to, such as a
   * team's routes in a chart or repository of its own.
   * @param virtualServiceRef the VirtualService as `namespace/name`, e.g. `shop/api-routes`
   */
  public addExternalDelegate(virtualServiceRef: string): void {
    if (typeof virtualServiceRef !== 'string' || !isVirtualServiceRef(virtualServiceRef)) {
      fail('RouteCheck.addExternalDelegate', 'virtualServiceRef', `must be ${VIRTUAL_SERVICE_REF_FORM}`, virtualServiceRef, 'e.g. "shop/api-routes"');
    }
    this.externalDelegates.add(virtualServiceRef);
    this.memo = undefined;
  }

  /**
   * Declares gateway pods that run outside this chart, such as a gateway that istioctl or Helm
   * installed, so that a Gateway whose selector picks them serves somewhere. The gateways of
   * Istio's default install (`app=istio-ingressgateway,istio=ingressgateway`, and the same for the
   * egress gateway) count without it.
   * Where the namespace the pods run in is known, it goes first, as `istio-ingress:istio=ingressgateway`,
   * so that the routes of the Gateways they serve are checked from there.
   * @param labels the pods' labels as `[namespace:]key=value[,key=value]`, e.g. `istio=internal-gateway`
   */
  public addExternalGatewayWorkload(labels: string): void {
    if (typeof labels !== 'string' || parseGatewayWorkload(labels) === undefined) {
      fail('RouteCheck.addExternalGatewayWorkload', 'labels', `must be ${GATEWAY_WORKLOAD_FORM}`,
        labels, 'e.g. "istio=internal-gateway"');
    }
    this._addExternalGatewayWorkload(labels);
  }

  /**
   * Declares gateway pods outside this chart by labels the caller has checked already, as
   * `IstioGateway` does with its selector.
   * @internal
   */
  public _addExternalGatewayWorkload(labels: string): void {
    this.externalGatewayWorkloads.add(labels);
    this.memo = undefined;
  }

  /**
   * Describes the mesh the chart is deployed to, where its MeshConfig changes what the checks
   * conclude: a mesh whose `defaultServiceExportTo` is `['.']` hides a Service without the
   * annotation `networking.istio.io/exportTo` from routes in other namespaces, and a `rootNamespace`
   * other than istio-system is where the RequestAuthentications and DestinationRules that apply to
   * every namespace live; a `defaultConfig.proxyMetadata` that has sidecars capture DNS, with
   * addresses istiod allocates, gives the TCP ports of a ServiceEntry without `addresses` an address
   * of their own. Each call replaces the last; a field left out is Istio's default.
   * @param config the MeshConfig fields, as in the `mesh` key of the `istio` ConfigMap
   */
  public useMeshConfig(config: MeshConfigOptions): void {
    const entry = 'RouteCheck.useMeshConfig';
    const given: unknown = config;
    if (!isRecord(given)) fail(entry, 'config', 'must be an object', given, 'e.g. { defaultServiceExportTo: ["."] }');
    checkMeshConfigOptions(entry, 'config', config);
    // Copies: the caller's lists may change after the call, which would change the check unseen.
    const lists = Object.fromEntries(MESH_CONFIG_FIELDS.flatMap(field => {
      const namespaces = config[field];
      return namespaces ? [[field, [...namespaces]]] : [];
    }));
    this.meshConfig = { ...lists, rootNamespace: config.rootNamespace, defaultConfig: { proxyMetadata: { ...config.defaultConfig?.proxyMetadata } } };
    this.memo = undefined;
  }

  /** Requires weights that add up to exactly 100, as meshes older than Istio 1.15 do. */
  public requireWeightSum100(): void {
    this.weightSum100 = true;
    this.memo = undefined;
  }

  /**
   * What to do with warnings at synth: print them (the default), fail on them as on errors, or
   * keep them quiet.
   */
  public treatWarnings(policy: WarningPolicy): void {
    this.warningPolicy = checkEnum(this.chart, 'warningPolicy', policy, WarningPolicy);
  }

  /** Turns the check off for this chart: the escape hatch for graphs it cannot see whole. */
  public disable(): void {
    this.enabled = false;
  }

  /** Every finding for the chart as it is now, warnings included. */
  public findings(): Finding[] {
    return this.verify(chartObjects(this.chart));
  }

  private verify(objects: unknown[]): Finding[] {
    return manifestFindings(objects, {
      externalHosts: [...this.externalHosts],
      externalGateways: [...this.externalGateways],
      externalDelegates: [...this.externalDelegates],
      externalGatewayWorkloads: [...DEFAULT_EXTERNAL_GATEWAY_WORKLOADS, ...this.externalGatewayWorkloads],
      requireWeightSum100: this.weightSum100,
      defaultNamespace: this.chart.namespace,
      ...this.meshConfig,
    });
  }

  /** The findings as lines, each naming the construct that emits the object: that is what the user edits. */
  private findingLines(): { errors: string[]; warnings: string[] } {
    const objects = chartApiObjects(this.chart);
    // cdk8s writes the chart right after it validates it: it takes the JSON made here.
    const json = jsonToShare(objects);
    const findings = this.verify(json);
    // Naming every object costs a pass over the chart, which only a finding needs.
    const paths = findings.length === 0 ? new Map<string, string>()
      : new Map(json.map((j, i) => [objectName(j, i, this.chart.namespace ?? 'default'), objects[i].node.path]));
    // One line each, whatever an object's name or a construct id holds: cdk8s lists them a line each.
    const lines = (severity: Severity) => findings.filter(f => f.severity === severity).map(f => printable(formatFinding(f, paths.get(f.object))));
    return { errors: lines(Severity.ERROR), warnings: lines(Severity.WARNING) };
  }

  /**
   * cdk8s validates the whole app again for every chart it writes, so the same answer is asked
   * for once per chart in one synchronous `synth()`: with a chart per app, walking each chart's
   * tree to see whether it changed would cost as much as cdk8s's own walk. The answer is kept
   * until that call is over (a microtask), until the options change, or until the chart's own
   * children change; a change deeper inside the chart between two synths in one synchronous
   * stretch is seen from the next tick on, or at once through `findings()`.
   */
  private errors(): string[] {
    if (!this.enabled) return [];
    const children = this.chart.node.children.length;
    if (this.memo?.children !== children) {
      this.memo = { children, ...this.findingLines() };
      queueMicrotask(() => { this.memo = undefined; });
    }
    const { errors, warnings } = this.memo;
    if (this.warningPolicy === WarningPolicy.PRINT) this.print(warnings);
    const failing = this.warningPolicy === WarningPolicy.ERROR ? [...errors, ...warnings] : errors;
    if (failing.length > 0) refuseValidation(failing);
    return failing;
  }

  /** Each warning once, in the form cdk8s gives errors: `[<chart>] warning <code>: …`. */
  private print(warnings: string[]): void {
    for (const line of warnings.filter(w => !this.printed.has(w))) {
      this.printed.add(line);
      // A construct id or an object's name may hold a terminal escape.
      process.stderr.write(`${printable(`[${this.chart.node.path}] ${line}`)}\n`);
    }
  }
}

/** A chart's objects as plain JSON, without `chart.toJson()`, which would run this validation again. */
export function chartObjects(chart: Chart): unknown[] {
  return chartApiObjects(chart).map(o => o.toJson());
}

function chartApiObjects(chart: Chart): ApiObject[] {
  return apiObjectsUnder(chart).filter(c => Chart.of(c) === chart);
}

/** Every ApiObject in the tree under `scope`, in the order cdk8s writes them. */
export function apiObjectsUnder(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/** One line per finding; `construct`, where known, is the path of the construct that emits the object. */
export function formatFinding(f: Finding, construct?: string): string {
  return `${f.severity} ${f.code}: ${f.object}${construct ? ` (${construct})` : ''} ${f.path}: ${f.message}`;
}
