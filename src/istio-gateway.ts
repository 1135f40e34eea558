import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IstioApiVersion } from './model';
import { isDns1123Label, isDns1123Subdomain, isGatewayRef } from './names';
import { TrafficApi } from './plan';
import { Scope } from './refusal';
import { checkKubernetesGateway } from './release/checks-gateway-api';
import { registerGateway, renderKubernetesGateway } from './render/gateway-api';
import { renderGateway } from './render/istio';
import { RouteCheck } from './route-check';
import {
  checkBoolean, checkEnum, checkGiven, checkHosts, checkImportInChart, checkImportScope, checkLabelMap, checkList, checkNamespace, checkObject, checkPort, fail, orDefault,
} from './validate';

/**
 * An Istio Gateway that apps bind their VirtualService to: an `IstioGateway`, or a Gateway that
 * exists already, imported with `IstioGateway.fromGatewayName` or `IstioGateway.fromName`.
 */
export interface IIstioGateway extends IConstruct {
  /** How a VirtualService refers to the gateway: always `namespace/name`. */
  readonly gatewayRef: string;

  /** The hosts the gateway serves; empty when they are not known, as for an imported gateway. */
  readonly hosts: string[];

  /** The gateway's API: an Istio Gateway, or a Kubernetes Gateway API Gateway. */
  readonly trafficApi: TrafficApi;
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
  /** The hosts this server serves: names with a dot, or `*`. */
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

/**
 * One server of an `IstioGateway`, as its Istio Gateway lists it: plain HTTP (maybe redirecting to
 * HTTPS), or HTTPS with a credential. A Gateway API Gateway has a listener per host of each.
 */
export interface GatewayServer {
  /** The port's name, unique in the Gateway: `http`, `https`, `http-1`, … */
  readonly name: string;

  /** The port of the gateway pods. */
  readonly port: number;

  /** The hosts the server admits. */
  readonly hosts: string[];

  /**
   * Whether plain HTTP is answered with a redirect to HTTPS.
   * @default false
   */
  readonly httpsRedirect?: boolean;

  /**
   * For HTTPS: how the server checks clients, and with which certificate.
   * @default - plain HTTP
   */
  readonly tls?: GatewayServerTls;
}

/** How an HTTPS server of the gateway serves TLS. */
export interface GatewayServerTls {
  /** Server TLS or mutual TLS. */
  readonly mode: GatewayTlsMode;

  /** The Secret with the certificate and key (and, for MUTUAL, `ca.crt`). */
  readonly credentialName: string;
}

/** Props of an `IstioGateway`. */
export interface IstioGatewayProps {
  /**
   * The hosts the gateway serves, e.g. `['shop.example.com']` or `['*.example.com']`: names with a
   * dot, or `*`, as an Istio Gateway takes them.
   */
  readonly hosts: string[];

  /**
   * The Gateway's name: a DNS-1123 label, as Istio wants it, and as a VirtualService refers to it.
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
 * An Istio ingress Gateway serving HTTP (and HTTPS with `tls`) for a set of hosts, or an import of
 * an existing one with `IstioGateway.fromGatewayName(chart, 'PublicGateway', 'istio-system/public-gateway')`
 * or `IstioGateway.fromName('istio-system/public-gateway')`. With
 * `trafficApi: TrafficApi.GATEWAY_API` it emits a Kubernetes Gateway API Gateway instead.
 */
export class IstioGateway extends Construct implements IIstioGateway {
  /**
   * Imports a Gateway that exists already, such as a shared one in `istio-system`, as the
   * construct `id` under `scope`, which must be in a chart. It emits nothing, and declares
   * the Gateway to the chart's `RouteCheck` as one outside the chart. Its hosts are unknown, so
   * the apps bound to it must name theirs.
   * @param scope where the import stands in the construct tree: a chart, or a construct in one
   * @param id the import's construct id
   * @param gatewayRef the Gateway as `namespace/name`, two DNS-1123 labels, e.g. `istio-system/public-gateway`
   * @param trafficApi the Gateway's API: `TrafficApi.GATEWAY_API` for a `gateway.networking.k8s.io` Gateway,
   *   which only apps of that API attach to. Default: an Istio Gateway (`networking.istio.io`).
   */
  public static fromGatewayName(scope: Construct, id: string, gatewayRef: string, trafficApi?: TrafficApi): IIstioGateway {
    const entry = 'IstioGateway.fromGatewayName';
    checkImportScope(entry, scope, id, 'gateway', 'PublicGateway');
    checkGatewayRef(entry, gatewayRef);
    const gateway = new ImportedIstioGateway(scope, id, gatewayRef, importedApi(entry, trafficApi));
    checkImportInChart(gateway, scope, 'gateway', 'Gateway');
    RouteCheck.of(gateway)._addExternalGateway(gatewayRef);
    return gateway;
  }

  /**
   * Refers to a Gateway that exists already, such as a shared one in `istio-system`, without a
   * place in your construct tree: the reference is a construct in a detached chart of its own,
   * which nothing synthesizes, so it emits nothing and counts as outside every chart of yours.
   * Its hosts are unknown, so the apps bound to it must name theirs. Use `fromGatewayName` to keep
   * the import in your tree.
   * @param gatewayRef the Gateway as `namespace/name`, two DNS-1123 labels, e.g. `istio-system/public-gateway`
   * @param trafficApi the Gateway's API: `TrafficApi.GATEWAY_API` for a `gateway.networking.k8s.io` Gateway,
   *   which only apps of that API attach to. Default: an Istio Gateway (`networking.istio.io`).
   */
  public static fromName(gatewayRef: string, trafficApi?: TrafficApi): IIstioGateway {
    const entry = 'IstioGateway.fromName';
    checkGatewayRef(entry, gatewayRef);
    const api = importedApi(entry, trafficApi);
    // A chart without an app: no app synthesizes it, and `Chart.of` finds it rather than failing.
    const detached = new Chart(undefined as unknown as Construct, entry);
    return new ImportedIstioGateway(detached, gatewayRef, gatewayRef, api);
  }

  /** The Gateway's name. */
  public readonly name: string;
  /** The Gateway's namespace, always set. */
  public readonly namespace: string;
  /** Every host the gateway serves, of all its servers. */
  public readonly hosts: string[];
  /** Labels of the gateway pods that serve this Gateway. */
  public readonly selector: { [key: string]: string };
  /** The HTTP port of the gateway pods for `hosts`. */
  public readonly port: number;
  /** The `networking.istio.io` API version emitted. */
  public readonly istioApiVersion: IstioApiVersion;
  /** How a VirtualService refers to the gateway: `namespace/name`. */
  public readonly gatewayRef: string;
  /** The servers, as the Istio Gateway lists them; a Gateway API Gateway has a listener per host of each. */
  public readonly servers: GatewayServer[];
  /** The API of the emitted Gateway. */
  public readonly trafficApi: TrafficApi;

  /** The emitted Gateway (escape hatch), also the construct's `node.defaultChild`, which `ApiObject.of(gateway)` returns. */
  public readonly resource: ApiObject;

  /** With the Gateway API, the HTTPRoute `<name>-https-redirect` that redirects HTTP to HTTPS (escape hatch). */
  public readonly redirectRoute?: ApiObject;

  /**
   * @param scope the chart, or a construct inside one, that holds the gateway
   * @param id the construct id; the Gateway's name is this id, lower-cased, unless `props.name` is given
   * @param props the gateway's hosts, servers and selector
   */
  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    checkGiven(this, 'props', props, '{ hosts: ["shop.example.com"] }');
    this.name = checkGatewayName(this, orDefault(props.name, id.toLowerCase()));
    this.namespace = checkNamespace(this, 'namespace', orDefault(props.namespace, Chart.of(this).namespace ?? 'default'));
    const hosts = this.checkServerHosts('hosts', props.hosts);
    this.trafficApi = checkEnum(this, 'trafficApi', orDefault(props.trafficApi, TrafficApi.ISTIO), TrafficApi);
    this.selector = this.resolveSelector(props.selector);
    this.port = checkPort(this, 'port', orDefault(props.port, 80));
    const additional = checkList(this, 'additionalServers', props.additionalServers, '[{ hosts: ["api.example.com"] }]',
      (field, server) => checkGiven(this, field, server, '{ hosts: ["api.example.com"] }'));
    const groups = [
      { field: 'hosts', servers: this.resolveServers('', hosts, this.port, props.tls, '') },
      ...additional.map((server, i) => ({
        field: `additionalServers[${i}].hosts`,
        servers: this.resolveServers(`additionalServers[${i}].`, this.checkServerHosts(`additionalServers[${i}].hosts`, server.hosts),
          checkPort(this, `additionalServers[${i}].port`, orDefault(server.port, 80)), server.tls, `-${i + 1}`),
      })),
    ];
    this.checkServersDistinct(groups);
    this.servers = groups.flatMap(group => group.servers);
    this.hosts = [...new Set(this.servers.flatMap(server => server.hosts))];
    this.istioApiVersion = checkEnum(this, 'istioApiVersion', orDefault(props.istioApiVersion, IstioApiVersion.V1), IstioApiVersion);
    this.gatewayRef = `${this.namespace}/${this.name}`;
    if (this.trafficApi === TrafficApi.GATEWAY_API) {
      const gatewayClassName = orDefault(props.gatewayClassName, 'istio');
      if (typeof gatewayClassName !== 'string' || !isDns1123Subdomain(gatewayClassName)) {
        fail(this, 'gatewayClassName', 'must name a GatewayClass', gatewayClassName, 'e.g. "istio"');
      }
      checkKubernetesGateway(this, this.servers);
      ({ gateway: this.resource, redirectRoute: this.redirectRoute } = renderKubernetesGateway(this, { ...this, gatewayClassName }));
    } else {
      if (props.gatewayClassName !== undefined) {
        fail(this, 'gatewayClassName', 'applies to a Gateway API Gateway only', props.gatewayClassName, 'set trafficApi: TrafficApi.GATEWAY_API, or leave it out');
      }
      this.resource = renderGateway(this, this);
      // Its pods are installed with Istio, outside the chart; the route check counts them as such.
      RouteCheck.of(this)._addExternalGatewayWorkload(Object.entries(this.selector).map(([key, value]) => `${key}=${value}`).join(','));
    }
    this.node.defaultChild = this.resource;
    registerGateway(this);
    RouteCheck.of(this);
  }

  /** The selector's labels; a Gateway API Gateway gets its pods from its class. */
  private resolveSelector(selector: { [key: string]: string } | undefined): { [key: string]: string } {
    const example = '{ istio: "ingressgateway" }';
    if (this.trafficApi === TrafficApi.GATEWAY_API && selector !== undefined) {
      fail(this, 'selector', 'picks the pods of an Istio Gateway; a Gateway API Gateway gets its own from its class', selector,
        'leave selector out (gatewayClassName picks the implementation), or use TrafficApi.ISTIO');
    }
    const labels = { ...checkLabelMap(this, 'selector', orDefault(selector, { istio: 'ingressgateway' }), example) };
    if (Object.keys(labels).length === 0) fail(this, 'selector', 'must select the gateway pods by label keys and values', labels, `e.g. ${example}`);
    return labels;
  }

  /**
   * A server's hosts. An Istio Gateway refuses a host without a dot (a short name), and one whose
   * last label is all digits, as no top-level domain is (`validateServer`).
   */
  private checkServerHosts(field: string, hosts: string[]): string[] {
    const checked = [...checkHosts(this, field, hosts)];
    for (const host of checked) {
      if (host !== '*' && !host.includes('.')) {
        fail(this, field, 'must hold hosts with a dot: an Istio Gateway refuses short names', host, `name the host in full, e.g. "${host}.example.com"`);
      }
      if (/^[0-9]+$/.test(host.slice(host.lastIndexOf('.') + 1))) {
        fail(this, field, 'must hold hosts whose last label has a letter or "-": Istio refuses a top-level domain of digits', host,
          'name the host by its domain name, not an IP address');
      }
    }
    return checked;
  }

  /**
   * Two servers on one port for the same host leave the proxy to pick one of them (Istio reports
   * a conflict), and Gateway API listeners must differ in port or hostname. Plain HTTP and HTTPS
   * cannot share a port either: one listener speaks one protocol.
   */
  private checkServersDistinct(groups: { readonly field: string; readonly servers: GatewayServer[] }[]): void {
    groups.forEach((group, i) => {
      for (const server of group.servers) {
        const earlier = groups.slice(0, i).flatMap(g => g.servers).filter(other => other.port === server.port);
        const sameHost = earlier.find(other => other.hosts.some(h => server.hosts.includes(h)));
        if (sameHost) {
          fail(this, group.field, `serves a host on port ${server.port} that server ${sameHost.name} serves there too`,
            server.hosts.filter(h => sameHost.hosts.includes(h)), 'give each host one server per port, or move this server to another port');
        }
        const otherProtocol = earlier.find(other => !other.tls !== !server.tls);
        if (otherProtocol) {
          fail(this, group.field, `serves ${protocolOf(server)} on port ${server.port}, where server ${otherProtocol.name} serves ${protocolOf(otherProtocol)}`,
            server.hosts, 'give HTTP and HTTPS ports of their own');
        }
      }
    });
  }

  /** An HTTP server for the hosts, and with TLS an HTTPS one; Istio wants unique port names. */
  private resolveServers(field: string, hosts: string[], port: number, options: GatewayTlsOptions | undefined, suffix: string): GatewayServer[] {
    const http: GatewayServer = { name: `http${suffix}`, port, hosts: [...hosts] };
    const tls = checkObject(this, `${field}tls`, options, '{ credentialName: "shop-tls" }');
    if (!tls) return [http];
    const credentialName = tls.credentialName;
    if (typeof credentialName !== 'string' || !isDns1123Subdomain(credentialName)) {
      fail(this, `${field}tls.credentialName`, 'must name the Secret with the certificate and key, or the gateway cannot serve TLS',
        credentialName, 'create a kubernetes.io/tls Secret in the gateway pods\' namespace and name it here');
    }
    const mode = checkEnum(this, `${field}tls.mode`, orDefault(tls.mode, GatewayTlsMode.SIMPLE), GatewayTlsMode);
    if (mode === GatewayTlsMode.MUTUAL && this.trafficApi === TrafficApi.GATEWAY_API) {
      fail(this, `${field}tls.mode`, 'has no Gateway API equivalent here: a listener checks client certificates against a ConfigMap of CAs, '
        + 'not the credential\'s ca.crt', mode, 'use GatewayTlsMode.SIMPLE, or TrafficApi.ISTIO');
    }
    const tlsPort = checkPort(this, `${field}tls.port`, orDefault(tls.port, 443));
    if (tlsPort === port) fail(this, `${field}tls.port`, `must differ from the HTTP port ${port}`, tlsPort, 'use e.g. 443');
    return [
      { ...http, httpsRedirect: checkBoolean(this, `${field}tls.redirectHttp`, orDefault(tls.redirectHttp, true)) },
      { name: `https${suffix}`, port: tlsPort, hosts: [...hosts], tls: { mode, credentialName } },
    ];
  }
}

function protocolOf(server: GatewayServer): string {
  return server.tls ? 'HTTPS' : 'HTTP';
}

/**
 * A Gateway's name: a DNS-1123 label, as Istio wants it (`ValidateGateway`), and as a VirtualService's
 * reference `namespace/name` must name it (`validateGatewayNames`).
 */
function checkGatewayName(scope: Construct, name: string): string {
  if (typeof name !== 'string' || !isDns1123Label(name)) {
    fail(scope, 'name', 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), as Istio wants a Gateway\'s name',
      name, 'pass a name such as "public-gateway"');
  }
  return name;
}

/** `namespace/name`, both DNS-1123 labels, as a VirtualService refers to a Gateway (`validateGatewayNames`). */
function checkGatewayRef(scope: Scope, gatewayRef: string): void {
  if (typeof gatewayRef !== 'string' || !isGatewayRef(gatewayRef)) {
    fail(scope, 'gatewayRef', 'must be "namespace/name", two DNS-1123 labels (lower-case letters, digits and "-", at most 63)', gatewayRef,
      'a bare name would resolve in each VirtualService\'s own namespace, so name the namespace, e.g. "istio-system/public-gateway"');
  }
}

/** A Gateway that exists already: a construct that emits nothing, whose hosts are unknown. */
class ImportedIstioGateway extends Construct implements IIstioGateway {
  public readonly hosts: string[] = [];

  constructor(scope: Construct, id: string, public readonly gatewayRef: string, public readonly trafficApi: TrafficApi) {
    super(scope, id);
  }
}

/** An import's API, which nothing can tell from its name: an Istio Gateway unless it says otherwise. */
function importedApi(entry: string, trafficApi: TrafficApi | undefined): TrafficApi {
  return checkEnum(entry, 'trafficApi', orDefault(trafficApi, TrafficApi.ISTIO), TrafficApi);
}
