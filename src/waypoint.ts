import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Gateway, toJson_GatewaySpec } from '../imports/gateway.networking.k8s.io';
import { isDns1123Label } from './names';
import { RouteCheck } from './route-check';
import { Scope } from './refusal';
import { checkGiven, checkImportInChart, checkImportScope, checkNamespace, fail, orDefault } from './validate';

/** A waypoint proxy, made here or running already: what an app in ambient mode sends its HTTP routes through. */
export interface IWaypoint extends IConstruct {
  /** The waypoint's name: its `gateway.networking.k8s.io` Gateway, and the value of `istio.io/use-waypoint`. */
  readonly name: string;
  /** The waypoint's namespace. */
  readonly waypointNamespace: string;
  /** `namespace/name`, as the route check and `verify` name it. */
  readonly waypointRef: string;
}

/** A waypoint of its own for one app, or one that several apps share. */
export interface WaypointProps {
  /**
   * The waypoint's name. Istio's `istioctl waypoint apply` calls a namespace's waypoint `waypoint`.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;

  /**
   * The waypoint's namespace. An app in another namespace enrols with `istio.io/use-waypoint-namespace` too.
   * @default - the chart's namespace, else `default`
   */
  readonly waypointNamespace?: string;
}

/**
 * An Istio waypoint proxy: a `gateway.networking.k8s.io/v1` Gateway of class `istio-waypoint`
 * with the `mesh` listener (port 15008, HBONE), for Service traffic, as `istioctl waypoint apply`
 * writes it. istiod deploys the proxy. An app with `dataPlane: DataPlane.AMBIENT` makes one of its
 * own unless it is given one, such as a namespace's waypoint shared by several apps, or one that
 * the platform runs, imported with `Waypoint.fromWaypointName`.
 */
export class Waypoint extends Construct implements IWaypoint {
  /**
   * Imports a waypoint that runs already, such as the one `istioctl waypoint apply --enroll-namespace`
   * makes, as the construct `id` under `scope`, which must be in a chart. It emits nothing, and
   * declares the waypoint to the chart's `RouteCheck` as one outside the chart.
   * @param scope a chart, or a construct in one
   * @param id the import's construct id
   * @param name the waypoint's name, e.g. `waypoint`
   * @param waypointNamespace the waypoint's namespace. Default: the chart's, else `default`
   */
  public static fromWaypointName(scope: Construct, id: string, name: string, waypointNamespace?: string): IWaypoint {
    const entry = 'Waypoint.fromWaypointName';
    checkImportScope(entry, scope, id, 'waypoint', 'Waypoint');
    checkWaypointName(entry, name);
    const imported = new ImportedWaypoint(scope, id, name, waypointNamespace);
    RouteCheck.of(imported)._addExternalGateway(imported.waypointRef);
    return imported;
  }

  public readonly name: string;
  public readonly waypointNamespace: string;
  public readonly waypointRef: string;
  /** The emitted Gateway (escape hatch), also the construct's `node.defaultChild`. */
  public readonly resource: ApiObject;

  /**
   * @param scope the chart, or a construct inside one, that holds the waypoint
   * @param id the construct id; the waypoint's name is this id, lower-cased, unless `props.name` is given
   * @param props the waypoint's name and namespace
   */
  constructor(scope: Construct, id: string, props: WaypointProps = {}) {
    super(scope, id);
    checkGiven(this, 'props', props, '{ name: "waypoint" }');
    this.name = checkWaypointName(this, orDefault(props.name, id.toLowerCase()));
    this.waypointNamespace = checkNamespace(this, 'waypointNamespace', orDefault(props.waypointNamespace, Chart.of(this).namespace ?? 'default'));
    this.waypointRef = `${this.waypointNamespace}/${this.name}`;
    this.resource = new ApiObject(this, 'Resource', {
      ...Gateway.GVK,
      metadata: { name: this.name, namespace: this.waypointNamespace, labels: { 'istio.io/waypoint-for': 'service' } },
      spec: toJson_GatewaySpec({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] }),
    });
    this.node.defaultChild = this.resource;
  }
}

/** A waypoint known by name, in a chart so that its route check learns of it. */
class ImportedWaypoint extends Construct implements IWaypoint {
  public readonly waypointNamespace: string;
  public readonly waypointRef: string;

  constructor(scope: Construct, id: string, public readonly name: string, waypointNamespace: string | undefined) {
    super(scope, id);
    checkImportInChart(this, scope, 'waypoint', 'waypoint');
    this.waypointNamespace = checkNamespace(this, 'waypointNamespace', orDefault(waypointNamespace, Chart.of(this).namespace ?? 'default'));
    this.waypointRef = `${this.waypointNamespace}/${name}`;
  }
}

/** The name is a label value too (`istio.io/use-waypoint`), so a DNS-1123 label rather than a subdomain. */
function checkWaypointName(scope: Scope, name: unknown): string {
  if (typeof name !== 'string' || !isDns1123Label(name)) {
    fail(scope, 'name', 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63): the Service names it in the label istio.io/use-waypoint',
      name, 'e.g. "waypoint"');
  }
  return name;
}

/** Whether `value` is a waypoint a chart can name: made with `Waypoint` or imported with `fromWaypointName`. */
export function isWaypoint(value: unknown): value is IWaypoint {
  return value instanceof Waypoint || value instanceof ImportedWaypoint;
}
