import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApiVersion } from './model';
import { isDns1123Label, isDns1123Subdomain, isLabelKey, isLabelValue } from './names';
import { TrafficApi } from './plan';
import { refuse } from './refusal';
import { registerGateway, renderKubernetesGateway } from './render/gateway-api';
import { renderGateway, ServerModel } from './render/istio';
import { RouteCheck } from './route-check';
import { checkEnum, checkHosts, checkNamespace, checkPort, fail } from './validate';

/** An Istio Gateway that apps bind their VirtualService to. */
export interface IIstioGateway {
  /** How a VirtualService refers to the gateway: always `namespace/name`. */
  readonly gatewayRef: string;

  /** The hosts the gateway serves; empty when they are not known, as for `IstioGateway.fromName`. */
  readonly hosts: string[];
}

/** How an HTTPS server of the gateway checks clients. */
export enum GatewayTlsMode {
  /** Server TLS: the gateway presents a certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS: clients must present a certificate that the credential's CA signed. */
  MUTUAL = 'MUTUAL',
}

/** HTTPS on the gateway. */
export interface GatewayTlsOptions {
  /**
   * The Secret with the certificate and key (and, for MUTUAL, `ca.crt`), in the namespace of
   * the gateway pods.
   */
  readonly credentialName: string;

  /**
   * Server TLS or mutual TLS.
   * @default GatewayTlsMode.SIMPLE
   */
  readonly mode?: GatewayTlsMode;

  /**
   * The HTTPS port of the gateway pods.
   * @default 443
   */
  readonly port?: number;

  /**
   * Whether the HTTP server answers with a redirect to HTTPS instead of serving.
   * @default true
   */
  readonly redirectHttp?: boolean;
}

/** Another server of the gateway, for other hosts. */
export interface GatewayServerOptions {
  /** The hosts this server serves. */
  readonly hosts: string[];

  /**
   * The HTTP port of the gateway pods.
   * @default 80
   */
  readonly port?: number;

  /**
   * HTTPS for these hosts.
   * @default - HTTP only
   */
  readonly tls?: GatewayTlsOptions;
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
   * Labels of the gateway pods (the Envoy deployment) that serve this Gateway. Istio's API only:
   * a Gateway API Gateway gets its pods from its class.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * The HTTP port of the gateway pods.
   * @default 80
   */
  readonly port?: number;

  /**
   * Serves `hosts` over HTTPS too, and by default redirects their HTTP to it.
   * @default - HTTP only
   */
  readonly tls?: GatewayTlsOptions;

  /**
   * More servers, for other hosts, each with its own port and TLS.
   * @default - none
   */
  readonly additionalServers?: GatewayServerOptions[];

  /**
   * The `networking.istio.io` API version to emit.
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;

  /**
   * The API of the Gateway: Istio's, or the Kubernetes Gateway API (a `gateway.networking.k8s.io/v1`
   * Gateway with a listener per host, for apps with the same `trafficApi`).
   * @default TrafficApi.ISTIO
   */
  readonly trafficApi?: TrafficApi;

  /**
   * The GatewayClass of a Gateway API Gateway, which picks the implementation that serves it.
   * @default 'istio'
   */
  readonly gatewayClassName?: string;
}

/**
 * An Istio ingress Gateway serving HTTP (and HTTPS with `tls`) for a set of hosts, or a reference
 * to an existing one with `IstioGateway.fromName('istio-system/public-gateway')`. With
 * `trafficApi: TrafficApi.GATEWAY_API` it emits a Kubernetes Gateway API Gateway instead.
 */
export class IstioGateway extends Construct implements IIstioGateway {
  /**
   * Refers to a Gateway that exists already, such as a shared one in `istio-system`, of either API.
   * It emits nothing. Its hosts are unknown, so the apps bound to it must name theirs.
   * @param ref the Gateway as `namespace/name`
   */
  public static fromName(ref: string): IIstioGateway {
    const [namespace, name, ...rest] = typeof ref === 'string' ? ref.split('/') : [];
    if (rest.length > 0 || name === undefined || !isDns1123Label(namespace) || !isDns1123Subdomain(name)) {
      refuse(`IstioGateway.fromName: ref must be "namespace/name", got ${JSON.stringify(ref) ?? "nothing"}; `
        + 'a bare name would resolve in each VirtualService\'s own namespace, so name the namespace, e.g. "istio-system/public-gateway"');
    }
    return { gatewayRef: ref, hosts: [] };
  }

  /** The Gateway's name. */
  public readonly name: string;
  /** The Gateway's namespace, always set. */
  public readonly namespace: string;
  public readonly hosts: string[];
  /** Labels of the gateway pods that serve this Gateway. */
  public readonly selector: { [key: string]: string };
  /** The HTTP port of the gateway pods for `hosts`. */
  public readonly port: number;
  /** The `networking.istio.io` API version emitted. */
  public readonly istioApiVersion: IstioApiVersion;
  public readonly gatewayRef: string;
  /** The servers, as the Istio Gateway lists them; a Gateway API Gateway has a listener per host of each. */
  public readonly servers: ServerModel[];
  /** The API of the emitted Gateway. */
  public readonly trafficApi: TrafficApi;

  /** The emitted Gateway (escape hatch). */
  public readonly resource: ApiObject;

  /** With the Gateway API, the HTTPRoute `<name>-https-redirect` that redirects HTTP to HTTPS (escape hatch). */
  public readonly redirectRoute?: ApiObject;

  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    this.name = props.name ?? id.toLowerCase();
    if (!isDns1123Subdomain(this.name)) {
      fail(this, 'name', 'must be a DNS-1123 name (lower-case letters, digits, "-" and ".")', this.name, 'pass a name such as "public-gateway"');
    }
    this.namespace = checkNamespace(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    const hosts = [...checkHosts(this, 'hosts', props.hosts)];
    this.trafficApi = checkEnum(this, 'trafficApi', props.trafficApi ?? TrafficApi.ISTIO, TrafficApi);
    if (this.trafficApi === TrafficApi.GATEWAY_API && props.selector) {
      fail(this, 'selector', 'picks the pods of an Istio Gateway; a Gateway API Gateway gets its own from its class', props.selector,
        'leave selector out (gatewayClassName picks the implementation), or use TrafficApi.ISTIO');
    }
    this.selector = { ...(props.selector ?? { istio: 'ingressgateway' }) };
    const labels = Object.entries(this.selector);
    if (labels.length === 0 || labels.some(([key, v]) => !isLabelKey(key) || typeof v !== 'string' || !isLabelValue(v))) {
      fail(this, 'selector', 'must select the gateway pods by label keys and values', this.selector, 'e.g. { istio: "ingressgateway" }');
    }
    this.port = checkPort(this, 'port', props.port ?? 80);
    const groups = [
      { field: 'hosts', servers: this.resolveServers('', hosts, this.port, props.tls, '') },
      ...(props.additionalServers ?? []).map((server, i) => ({
        field: `additionalServers[${i}].hosts`,
        servers: this.resolveServers(`additionalServers[${i}].`, [...checkHosts(this, `additionalServers[${i}].hosts`, server.hosts)],
          checkPort(this, `additionalServers[${i}].port`, server.port ?? 80), server.tls, `-${i + 1}`),
      })),
    ];
    this.checkServersDistinct(groups);
    this.servers = groups.flatMap(group => group.servers);
    this.hosts = [...new Set(this.servers.flatMap(server => server.hosts))];
    this.istioApiVersion = checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion);
    this.gatewayRef = `${this.namespace}/${this.name}`;
    if (this.trafficApi === TrafficApi.GATEWAY_API) {
      const gatewayClassName = props.gatewayClassName ?? 'istio';
      if (!isDns1123Subdomain(gatewayClassName)) fail(this, 'gatewayClassName', 'must name a GatewayClass', gatewayClassName, 'e.g. "istio"');
      ({ gateway: this.resource, redirectRoute: this.redirectRoute } = renderKubernetesGateway(this, { ...this, gatewayClassName }));
    } else {
      if (props.gatewayClassName !== undefined) {
        fail(this, 'gatewayClassName', 'applies to a Gateway API Gateway only', props.gatewayClassName, 'set trafficApi: TrafficApi.GATEWAY_API, or leave it out');
      }
      this.resource = renderGateway(this, this);
    }
    registerGateway(this);
    RouteCheck.of(this);
  }

  /**
   * Two servers on one port for the same host leave the proxy to pick one of them (Istio reports
   * a conflict), and Gateway API listeners must differ in port or hostname.
   */
  private checkServersDistinct(groups: { readonly field: string; readonly servers: ServerModel[] }[]): void {
    groups.forEach((group, i) => {
      for (const server of group.servers) {
        const earlier = groups.slice(0, i).flatMap(g => g.servers)
          .find(other => other.port === server.port && other.hosts.some(h => server.hosts.includes(h)));
        if (earlier) {
          fail(this, group.field, `serves a host on port ${server.port} that server ${earlier.name} serves there too`,
            server.hosts.filter(h => earlier.hosts.includes(h)), 'give each host one server per port, or move this server to another port');
        }
      }
    });
  }

  /** An HTTP server for the hosts, and with TLS an HTTPS one; Istio wants unique port names. */
  private resolveServers(field: string, hosts: string[], port: number, tls: GatewayTlsOptions | undefined, suffix: string): ServerModel[] {
    const http: ServerModel = { name: `http${suffix}`, port, hosts };
    if (!tls) return [http];
    const credentialName = tls.credentialName;
    if (typeof credentialName !== 'string' || !isDns1123Subdomain(credentialName)) {
      fail(this, `${field}tls.credentialName`, 'must name the Secret with the certificate and key, or the gateway cannot serve TLS',
        credentialName ?? null, 'create a kubernetes.io/tls Secret in the gateway pods\' namespace and name it here');
    }
    const mode = checkEnum(this, `${field}tls.mode`, tls.mode ?? GatewayTlsMode.SIMPLE, GatewayTlsMode);
    if (mode === GatewayTlsMode.MUTUAL && this.trafficApi === TrafficApi.GATEWAY_API) {
      fail(this, `${field}tls.mode`, 'has no Gateway API equivalent here: a listener checks client certificates against a ConfigMap of CAs, '
        + 'not the credential\'s ca.crt', mode, 'use GatewayTlsMode.SIMPLE, or TrafficApi.ISTIO');
    }
    const tlsPort = checkPort(this, `${field}tls.port`, tls.port ?? 443);
    if (tlsPort === port) fail(this, `${field}tls.port`, `must differ from the HTTP port ${port}`, tlsPort, 'use e.g. 443');
    return [
      { ...http, httpsRedirect: tls.redirectHttp ?? true },
      { name: `https${suffix}`, port: tlsPort, hosts, tls: { mode, credentialName } },
    ];
  }
}
