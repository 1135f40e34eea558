import { Construct } from 'constructs';
import { IIstioGateway } from '../istio-gateway';
import { hostCovers, serviceHost } from '../names';
import type { ReleaseAppProps } from '../release-app';
import { checkHosts, checkStrings, fail, orDefault } from '../validate';

/**
 * The external hosts an app serves through its gateway, checked: each one the gateway serves, none
 * that Istio would reject in a VirtualService that is also bound to the mesh.
 */
export function resolveHosts(app: Construct, props: ReleaseAppProps, namespace: string | undefined, ownHost: string): string[] {
  if (props.gateway === undefined) {
    if (props.hosts !== undefined) {
      fail(app, 'hosts', 'need a gateway to be reached', props.hosts, `pass gateway, or leave hosts out: in the mesh the app is reached at ${ownHost}`);
    }
    return [];
  }
  // A referenced gateway's hosts are unknown: without hosts, the Service's own name is the one
  // host bound to it, as in a hand-written VirtualService with `hosts: [reviews]`.
  if (props.hosts === undefined && props.gateway.hosts.length === 0) return [];
  const hosts = orDefault(props.hosts, props.gateway.hosts);
  // Each host by its place in the list where the props give them; checkHosts names the list.
  if (props.hosts !== undefined) checkStrings(app, 'hosts', hosts, '["shop.example.com"]');
  checkHosts(app, 'hosts', hosts);
  for (const host of hosts) checkHostRoutable(app, 'hosts', props.gateway, host, namespace);
  checkNoOverlap(app, 'hosts', [...hosts, ownHost]);
  return [...hosts];
}

/** What a host besides `hosts`, such as a preview host, is checked against. */
export interface ServedHosts {
  readonly gateway?: IIstioGateway;
  readonly hosts: string[];
  readonly namespace?: string;
  readonly serviceHost: string;
}

/** Checks a host the VirtualService serves besides `hosts`, such as a preview host. */
export function checkExtraHost(app: Construct, served: ServedHosts, field: string, host: string): void {
  if (!served.gateway) fail(app, field, 'needs a gateway to be reached', host, 'pass gateway, or leave it out');
  checkHosts(app, field, [host]);
  checkHostRoutable(app, field, served.gateway, host, served.namespace);
  checkNoOverlap(app, field, [...served.hosts, host, served.serviceHost]);
}

function checkHostRoutable(app: Construct, field: string, gateway: IIstioGateway, host: string, namespace: string | undefined): void {
  if (host === '*') {
    fail(app, field, 'may not hold "*": the VirtualService is also bound to mesh, where Istio rejects it', host,
      'name the hosts, e.g. ["shop.example.com"], even when the gateway serves "*"');
  }
  if (!host.includes('.')) {
    fail(app, field, `may not hold a name without a dot, which Istio takes as the Service ${serviceHost(host, namespace ?? 'default')}`, host,
      `name the external host in full, e.g. "${host}.example.com"`);
  }
  if (gateway.hosts.length > 0 && !gateway.hosts.some(pattern => hostCovers(pattern, host))) {
    fail(app, field, `must be served by gateway ${gateway.gatewayRef} (hosts ${JSON.stringify(gateway.hosts)})`, host,
      'add the host to the gateway, or use one of its hosts');
  }
}

/** Istio rejects a VirtualService whose hosts repeat or cover each other. */
function checkNoOverlap(app: Construct, field: string, hosts: string[]): void {
  hosts.forEach((a, i) => hosts.forEach((b, j) => {
    if (i !== j && hostCovers(a, b)) {
      fail(app, field, `overlap: ${JSON.stringify(a)} already covers ${JSON.stringify(b)}`, hosts,
        'list each host once, and leave out the Service host, which the VirtualService always serves');
    }
  }));
}
