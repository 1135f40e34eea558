import { resolveGatewayRef } from '../verify/hosts';
import { isObjectLike, labels, list, own, record, text } from '../verify/json';
import { formatLabels } from '../verify/selectors';
import { asText } from './text';

/**
 * Route conditions in short form, one line per match block (blocks are alternatives, the
 * conditions of one block must all hold): `header end-user=jason`, `header x prefix v`,
 * `uri regex ^/v[0-9]+/`, `cookie checkout-version=5-1-0`, `sourceLabels app=qa-runner`,
 * `gateways istio-system/public`, `port 7000`.
 */
export function matchLines(rule: unknown, namespace: string): string[] {
  return list(rule, 'match')
    .map(match => conditions(match, namespace))
    .map((block, i) => `${i === 0 ? '' : 'or '}${block.length === 0 ? 'any request' : block.join(' and ')}`);
}

function conditions(match: unknown, namespace: string): string[] {
  const ignoreCase = own(match, 'ignoreUriCase') === true ? ' (any case)' : '';
  return [
    ...['uri', 'scheme', 'method', 'authority'].flatMap(field => {
      const value = own(match, field);
      return value === undefined ? [] : [`${field} ${unkeyed(value)}${field === 'uri' ? ignoreCase : ''}`];
    }),
    ...entries(match, 'headers').map(([name, value]) => cookie(name, value) ?? `header ${keyed(name, value)}`),
    ...entries(match, 'withoutHeaders').map(([name, value]) => absent('header', name, value)),
    ...entries(match, 'queryParams').map(([name, value]) => `query ${keyed(name, value)}`),
    ...scalar(match, 'port', port => `port ${port}`),
    ...strings(match, 'destinationSubnets', subnets => `subnet ${subnets.join(', ')}`),
    ...strings(match, 'sniHosts', hosts => `sni ${hosts.join(', ')}`),
    ...(labels(match, 'sourceLabels').size > 0 ? [`sourceLabels ${formatLabels(labels(match, 'sourceLabels'))}`] : []),
    ...scalar(match, 'sourceNamespace', ns => `sourceNamespace ${ns}`),
    ...strings(match, 'gateways', gateways => `gateways ${gateways.map(g => resolveGatewayRef(g, namespace)).join(', ')}`),
  ];
}

function entries(match: unknown, field: string): [string, unknown][] {
  return Object.entries(record(match, field));
}

function scalar(match: unknown, field: string, show: (value: string) => string): string[] {
  const value = own(match, field);
  return typeof value === 'string' || typeof value === 'number' ? [show(String(value))] : [];
}

function strings(match: unknown, field: string, show: (values: string[]) => string): string[] {
  const values = list(match, field).filter((v): v is string => typeof v === 'string');
  return values.length > 0 ? [show(values)] : [];
}

interface StringMatch {
  readonly op: 'exact' | 'prefix' | 'regex';
  readonly value: string;
}

/** Istio's StringMatch has one of exact, prefix and regex; anything else reads as presence. */
function stringMatch(value: unknown): StringMatch | undefined {
  for (const op of ['exact', 'prefix', 'regex'] as const) {
    const written = own(value, op);
    if (typeof written === 'string') return { op, value: written };
  }
  return undefined;
}

/** `/reviews`, `prefix /api`, `regex ^/v[0-9]+`. */
function unkeyed(value: unknown): string {
  const match = stringMatch(value);
  if (!match) return 'present';
  return match.op === 'exact' ? match.value : `${match.op} ${match.value}`;
}

/** `end-user=jason`, `end-user prefix j`, `end-user regex ^j`. */
function keyed(name: string, value: unknown): string {
  const match = stringMatch(value);
  if (!match) return `${name} present`;
  return match.op === 'exact' ? `${name}=${match.value}` : `${name} ${match.op} ${match.value}`;
}

function absent(what: string, name: string, value: unknown): string {
  return stringMatch(value) ? `not ${what} ${keyed(name, value)}` : `no ${what} ${name}`;
}

/**
 * Istio has no cookie match, so a cookie is a regex on the `cookie` header that finds `name=value`
 * among the cookies: `^(.*;\s*)?name=value(;.*)?$` as RouteMatch.cookie writes it, or
 * `^(.*?;)?(name=value)(;.*)?$` as Flagger does. Read back, it is `cookie name=value`.
 */
function cookie(header: string, value: unknown): string | undefined {
  const match = stringMatch(value);
  if (header.toLowerCase() !== 'cookie' || match?.op !== 'regex') return undefined;
  const pair = /^\^\(\.\*\??;(?:\\s\*)?\)\?(.*)\(;\.\*\)\?\$$/.exec(match.value)?.[1];
  if (pair === undefined) return undefined;
  const unwrapped = /^\((.*)\)$/.exec(pair)?.[1] ?? pair;
  const equals = unwrapped.indexOf('=');
  if (equals <= 0) return undefined;
  const name = literal(unwrapped.slice(0, equals));
  const cookieValue = literal(unwrapped.slice(equals + 1));
  return name !== undefined && cookieValue !== undefined ? `cookie ${name}=${cookieValue}` : undefined;
}

/** The text a regex matches when it is a quoted literal (metacharacters only escaped), else undefined. */
function literal(regex: string): string | undefined {
  return /^(?:[^.*+?^${}()|[\]\\]|\\[.*+?^${}()|[\]\\/-])*$/.test(regex) ? regex.replace(/\\(.)/g, '$1') : undefined;
}

/** What a rule without weighted destinations does instead. */
export function actionLine(rule: unknown, namespace: string): string | undefined {
  const redirect = own(rule, 'redirect');
  if (isObjectLike(redirect)) {
    const to = `${text(redirect, 'scheme') ? `${text(redirect, 'scheme')}://` : ''}${text(redirect, 'authority') ?? ''}${text(redirect, 'uri') ?? ''}`;
    return `redirect${to ? ` to ${to}` : ''}${typeof own(redirect, 'redirectCode') === 'number' ? ` (${own(redirect, 'redirectCode')})` : ''}`;
  }
  const response = own(rule, 'directResponse') ?? own(rule, 'direct_response');
  if (isObjectLike(response)) return `respond ${typeof own(response, 'status') === 'number' ? own(response, 'status') : 'directly'}`;
  const delegate = own(rule, 'delegate');
  if (isObjectLike(delegate)) return `delegate to ${text(delegate, 'namespace') ?? namespace}/${text(delegate, 'name') ?? '?'}`;
  return undefined;
}

/**
 * A rule's settings besides its routes, in short form: the timeout, retries, fault injection, a
 * response cookie that pins users to a version (sticky), and header rewrites.
 */
export function badgesOf(rule: unknown): string[] {
  const retries = own(rule, 'retries');
  const attempts = own(retries, 'attempts');
  const fault = own(rule, 'fault');
  return [
    ...scalar(rule, 'timeout', timeout => `timeout ${timeout}`),
    ...typeof attempts === 'number' ? [attempts === 0 ? 'no retries' : `retries ${attempts}`] : [],
    ...isObjectLike(own(fault, 'delay')) ? [`fault delay ${text(own(fault, 'delay'), 'fixedDelay') ?? '?'}${percentOf(own(fault, 'delay'))}`] : [],
    ...isObjectLike(own(fault, 'abort')) ? [`fault abort ${asText(own(own(fault, 'abort'), 'httpStatus') ?? '?')}${percentOf(own(fault, 'abort'))}`] : [],
    ...list(rule, 'route').some(entry => stickyCookie(entry)) ? ['sticky cookie'] : [],
  ];
}

/** ` 10%` of a fault's `percentage`, nothing when every request is hit. */
function percentOf(fault: unknown): string {
  const value = own(own(fault, 'percentage'), 'value');
  return typeof value === 'number' && value !== 100 ? ` ${value}%` : '';
}

/** A route entry that sets a cookie in the response, as sticky sessions pin users with. */
function stickyCookie(entry: unknown): boolean {
  const set = record(record(record(entry, 'headers'), 'response'), 'set');
  return Object.keys(set).some(name => name.toLowerCase() === 'set-cookie');
}
