import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApiVersion } from './model';
import { isDns1123Label, isDns1123Subdomain } from './names';
import { renderGateway } from './render/istio';
import { RouteCheck } from './route-check';
import { checkHosts, checkNamespace, checkPort, fail } from './validate';

/** An Istio Gateway that apps bind their VirtualService to. */
export interface IIstioGateway {
  /** How a VirtualService refers to the gateway: always `namespace/name`. */
  readonly gatewayRef: string;

  /** The hosts the gateway serves; empty when they are not known, as for `IstioGateway.fromName`. */
  readonly hosts: string[];
}

/** Props of an `IstioGateway`. */
export interface IstioGatewayProps {
  /** The hosts the gateway serves, e.g. `['shop.example.com']` or `['*.example.com']`. */
  readonly hosts: string[];

  /**
   * The Gateway's name.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;

  /**
   * The Gateway's namespace. It is always set, so that VirtualServices can refer to the gateway
   * as `namespace/name` from any namespace.
   * @default - the chart's namespace, else `default`
   */
  readonly namespace?: string;

  /**
   * Labels of the gateway pods (the Envoy deployment) that serve this Gateway.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * The HTTP port of the gateway pods.
   * @default 80
   */
  readonly port?: number;

  /**
   * The `networking.istio.io` API version to emit.
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;
}

/**
 * An Istio ingress Gateway serving HTTP for a set of hosts, or a reference to an existing one
 * with `IstioGateway.fromName('istio-system/public-gateway')`.
 */
export class IstioGateway extends Construct implements IIstioGateway {
  /**
   * Refers to a Gateway that exists already, such as a shared one in `istio-system`.
   * It emits nothing. Its hosts are unknown, so the apps bound to it must name theirs.
   * @param ref the Gateway as `namespace/name`
   */
  public static fromName(ref: string): IIstioGateway {
    const [namespace, name, ...rest] = ref.split('/');
    if (rest.length > 0 || name === undefined || !isDns1123Label(namespace) || !isDns1123Subdomain(name)) {
      throw new Error(`IstioGateway.fromName: ref must be "namespace/name", got ${JSON.stringify(ref)}; `
        + 'a bare name would resolve in each VirtualService\'s own namespace, so name the namespace, e.g. "istio-system/public-gateway"');
    }
    return { gatewayRef: ref, hosts: [] };
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly hosts: string[];
  public readonly selector: { [key: string]: string };
  public readonly port: number;
  public readonly istioApiVersion: IstioApiVersion;
  public readonly gatewayRef: string;

  /** The emitted Gateway (escape hatch). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    this.name = props.name ?? id.toLowerCase();
    if (!isDns1123Subdomain(this.name)) {
      fail(this, 'name', 'must be a DNS-1123 name (lower-case letters, digits, "-" and ".")', this.name, 'pass a name such as "public-gateway"');
    }
    this.namespace = checkNamespace(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.hosts = checkHosts(this, 'hosts', [...props.hosts]);
    this.selector = { ...(props.selector ?? { istio: 'ingressgateway' }) };
    if (Object.keys(this.selector).length === 0) {
      fail(this, 'selector', 'must select the gateway pods', this.selector, 'e.g. { istio: "ingressgateway" }');
    }
    this.port = checkPort(this, 'port', props.port ?? 80);
    this.istioApiVersion = props.istioApiVersion ?? IstioApiVersion.V1;
    this.gatewayRef = `${this.namespace}/${this.name}`;
    this.resource = renderGateway(this, this);
    RouteCheck.of(this);
  }
}
