import { checkBackendRefs } from './backend-refs';
import { checkDelegates } from './delegates';
import { checkDeprecations } from './deprecations';
import { checkDestinationRuleTls, checkDestinationRuleTlsSettings } from './destination-rule-tls';
import { checkDestinationRules } from './destination-rules';
import { checkDestinations } from './destinations';
import { checkFleets } from './fleets';
import { checkGatewayCertificates } from './gateway-certificates';
import { checkGatewayRuleKinds } from './gateway-rule-kinds';
import { checkGatewaySubsets } from './gateway-subsets';
import { checkGatewayWorkloads, indexGatewayPods, proxyNamespaces } from './gateway-workloads';
import { withGenerated } from './generated';
import { checkGateways } from './gateways';
import { buildGraph } from './graph';
import { forgettingNames } from './hosts';
import { checkJwtClaimRoutes } from './jwt-claims';
import { checkMatchGateways } from './match-gateways';
import { checkMatches } from './matches';
import { checkDuplicates } from './objects';
import { checkPorts } from './ports';
import { checkRouteDestinations } from './route-destinations';
import { checkRouteParents } from './route-parents';
import { checkRuleActions } from './rule-actions';
import { checkServiceEntryAddresses, checkServiceEntryProtocols } from './service-entries';
import { checkServicePorts } from './service-ports';
import { settingsFrom } from './settings';
import { checkTlsRoutes } from './tls-routes';
import { checkReplicas } from './traffic';
import { Finding, VerifyOptions } from './types';
import { checkWaypoints } from './waypoints';
import { checkWeights } from './weights';
import { checkWorkloads } from './workloads';

/**
 * The findings of `Verify.manifests`, without its checks of the arguments: for callers whose
 * objects and options are JSON and checked already, as the route check's and the CLI's are.
 * Malformed fields are skipped rather than thrown on.
 */
export function manifestFindings(objects: readonly unknown[], options?: VerifyOptions): Finding[] {
  return forgettingNames(() => findingsOf(objects, options));
}

function findingsOf(objects: readonly unknown[], options?: VerifyOptions): Finding[] {
  const given = settingsFrom(options);
  const graph = buildGraph(objects, given.defaultNamespace);
  const settings = withGenerated(given, graph);
  const gatewayPods = indexGatewayPods(graph, settings);
  const proxiesOf = proxyNamespaces(graph, gatewayPods);
  return [
    ...graph.unidentified,
    ...checkDuplicates(graph),
    ...checkWorkloads(graph, settings),
    ...checkGatewayWorkloads(graph, settings, gatewayPods),
    ...checkGatewayCertificates(graph, gatewayPods, objects),
    ...checkDestinations(graph, settings, proxiesOf),
    ...checkRouteDestinations(graph),
    ...checkTlsRoutes(graph),
    ...checkRuleActions(graph),
    ...checkMatches(graph),
    ...checkMatchGateways(graph),
    ...checkDelegates(graph, settings),
    ...checkDestinationRules(graph, settings),
    ...checkDestinationRuleTls(graph),
    ...checkDestinationRuleTlsSettings(graph),
    ...checkPorts(graph, settings),
    ...checkServicePorts(graph),
    ...checkServiceEntryProtocols(graph, settings),
    ...checkServiceEntryAddresses(graph, settings),
    ...checkGateways(graph, settings, proxiesOf),
    ...checkGatewayRuleKinds(graph),
    ...checkGatewaySubsets(graph),
    ...checkJwtClaimRoutes(graph, settings),
    ...checkDeprecations(graph),
    ...checkBackendRefs(graph, settings),
    ...checkRouteParents(graph, settings),
    ...checkWaypoints(graph, settings),
    ...checkFleets(graph),
    ...checkWeights(graph, settings),
    ...checkReplicas(graph),
  ].sort(byObjectPathCode);
}

/** Plain code-unit order, so the output does not depend on the locale. */
function byObjectPathCode(a: Finding, b: Finding): number {
  return compare(a.object, b.object) || compare(a.path, b.path) || compare(a.code, b.code) || compare(a.message, b.message);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
