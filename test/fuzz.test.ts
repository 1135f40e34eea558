import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, Diagram, IIstioGateway, IstioGateway, IstioGatewayProps, RouteMatch, RouteTarget,
  StringMatch, TrafficApi, Verify, verifyManifests,
} from '../src';
import { apiServerErrors } from './support/api-server';
import { AppScenario, callOf, GatewayScenario, LooseProps, resolveCalls, Scenario, scenario } from './support/arbitraries';
import { run } from './support/cli';
import { PROP_ERROR, STATIC_ERROR } from './support/errors';
import { cliArgs, FileRecipe, fileRecipe, fileText, manifestRecipe, manifestsOf, verifyOptions } from './support/manifest-arbitraries';
import { schemaErrors } from './support/schemas';
import { tempDir } from './support/tmp';

/**
 * The property: whatever props a caller passes, the constructs either synthesize manifests that
 * route (no findings at all, warnings included), pass the schemas and what the API server checks
 * besides, or refuse with our own error. And whatever manifests or files come in, verify, diagram
 * and the CLI answer without a crash.
 *
 * FUZZ_RUNS sets the cases per property (100 by default, `npm run fuzz` more), FUZZ_SEED replays a
 * run, FUZZ_HOSTILE sets how often a case carries a hostile value (0.5; see test/support/arbitraries.ts).
 * FUZZ_SURVEY=1 runs every case rather than stop at the first failure, groups the failures by
 * signature, shrinks one of each, prints the table and writes it to FUZZ_REPORT when set.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// A plain `npm test` draws the same cases every time, so that CI never fails on a case no one changed;
// `npm run fuzz` draws fresh ones, and prints the seed of a failure to replay.
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS === undefined ? 20261206 : undefined;
const SURVEY = !['', '0', undefined].includes(process.env.FUZZ_SURVEY);
/** How long the survey shrinks each signature's first case. */
const SHRINK_MS = Number(process.env.FUZZ_SHRINK_SECONDS ?? 10) * 1000;

/** One way a case fails: a signature that groups the failures of one cause, and what exactly went wrong. */
interface Problem {
  readonly signature: string;
  readonly detail: string;
}

/** Numbers, quoted strings and list indexes vary from case to case; the signature leaves them out. */
function masked(text: string): string {
  return text.replace(/\[\d+\]/g, '[*]').replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/\b\d+(\.\d+)?\b/g, '#').slice(0, 160);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** The file in src/ where a crash happened: line numbers move as the code changes, and swc's maps misname functions. */
function crashSite(error: Error): string {
  const frame = (error.stack ?? '').split('\n').find(line => /[\\/]src[\\/]/.test(line) && !line.includes('node_modules'));
  const file = frame && /[\\/](?<file>src[\\/][^:]+):/.exec(frame);
  return file ? ` @ ${file.groups!.file}` : '';
}

/** A throw that is not a refusal: a TypeError, a RangeError, a cdk8s error, or anything thrown that is no Error. */
function crash(stage: string, thrown: unknown): Problem {
  // A DOMException (structuredClone's DataCloneError) is an Error from another realm than jest's.
  const error = thrown instanceof Error || (thrown !== null && typeof thrown === 'object' && 'stack' in thrown) ? thrown as Error : undefined;
  if (!error) return { signature: `${stage} threw a ${typeof thrown}`, detail: String(thrown) };
  const kind = error.constructor?.name ?? 'Error';
  const stack = (error.stack ?? `${kind}: ${error.message}`).split('\n').filter(line => !/node_modules|fuzz\.test/.test(line)).slice(0, 12).join('\n');
  return { signature: `${stage} crashed: ${kind}: ${masked(firstLine(error.message))}${crashSite(error)}`, detail: stack };
}

/** Schema errors, the API server's checks among them, read `Kind/namespace/name: $.path: problem`; the signature keeps all but the object's name. */
function schemaProblem(error: string): Problem {
  const parts = /^(?<kind>[^/]*)\/.*?: (?<at>\$\S*): (?<problem>.*)$/s.exec(error);
  const signature = parts ? `${parts.groups!.kind} ${masked(parts.groups!.at)}: ${masked(firstLine(parts.groups!.problem))}` : masked(firstLine(error));
  return { signature: `schema: ${signature}`, detail: error };
}

/** What was built so far: the paths an error may name, the gateways the chart refers to but does not hold, the factory being called. */
interface Site {
  readonly chart: Chart;
  readonly paths: string[];
  readonly externalGateways: string[];
  /** The gateway pods the chart's route check counts outside it: Istio's defaults, and an IstioGateway's selector. */
  readonly externalGatewayWorkloads: string[];
  /** The factories called so far, the one called last at the end. */
  readonly called: string[];
  /** Whether a factory is being called, so that its refusal is the one to expect. */
  calling: boolean;
}

/** Calls a factory, noting it, so that a refusal that names it is ours. */
function callingFactory<T>(site: Site, name: string, make: () => T): T {
  site.called.push(name);
  site.calling = true;
  const made = make();
  site.calling = false;
  return made;
}

function buildGateway(gateway: GatewayScenario, site: Site): IIstioGateway | undefined {
  switch (gateway.kind) {
    case 'none':
      return undefined;
    case 'fromName': {
      const ref = callingFactory(site, 'IstioGateway.fromName', () => IstioGateway.fromName(gateway.ref as string, gateway.trafficApi as TrafficApi));
      site.externalGateways.push(ref.gatewayRef);
      return ref;
    }
    case 'fromGatewayName': {
      // It may refuse as a factory or as the construct it makes.
      site.paths.push(`${site.chart.node.path}/${gateway.id}`);
      const ref = callingFactory(site, 'IstioGateway.fromGatewayName', () => IstioGateway.fromGatewayName(site.chart, gateway.id, gateway.ref as string, gateway.trafficApi as TrafficApi));
      site.externalGateways.push(ref.gatewayRef);
      return ref;
    }
    case 'construct': {
      site.paths.push(`${site.chart.node.path}/${gateway.id}`);
      const built = new IstioGateway(site.chart, gateway.id, gateway.props as IstioGatewayProps);
      if (built.trafficApi === TrafficApi.ISTIO) site.externalGatewayWorkloads.push(Object.entries(built.selector).map(([key, value]) => `${key}=${value}`).join(','));
      return built;
    }
  }
}

/** Props that name a gateway of their own keep it; others get the scenario's, if bound. Props that are no object go in as they are. */
function propsWithGateway(app: AppScenario, gateway: IIstioGateway | undefined): unknown {
  const props = app.props;
  if (props === null || typeof props !== 'object' || Object.getPrototypeOf(props) !== Object.prototype) return props;
  return 'gateway' in props ? props : { ...props, gateway: app.bound ? gateway : undefined };
}

function buildApp(app: AppScenario, gateway: IIstioGateway | undefined, site: Site): void {
  site.paths.push(`${site.chart.node.path}/${app.id}`);
  const props = propsWithGateway(app, gateway);
  if (app.kind === 'blue-green') new BlueGreenApp(site.chart, app.id, props as BlueGreenAppProps);
  else new CanaryApp(site.chart, app.id, props as CanaryAppProps);
}

/** Why `error` is not one of ours, or undefined when it is. */
function notOurError(error: unknown, site: Site): Problem | undefined {
  if (!(error instanceof Error) || Object.getPrototypeOf(error) !== Error.prototype) {
    return crash(site.calling ? site.called[site.called.length - 1] : 'construct', error);
  }
  const message = error.message;
  const bad = (why: string, shown = message) => ({ signature: `refusal ${why}: ${masked(firstLine(shown))}`, detail: message });
  const prop = PROP_ERROR.exec(message);
  const factory = STATIC_ERROR.exec(message);
  const gist = prop ? `${prop.groups!.field} ${prop.groups!.problem}` : factory ? `${factory.groups!.call}: ${factory.groups!.param} ${factory.groups!.problem}` : message;
  if (message.includes('\n')) return bad('on more than one line', gist);
  if (/undefined|\[object Object\]/.test(message)) return bad('shows a value badly', gist);
  if (prop && site.paths.includes(prop.groups!.path)) return undefined;
  if (prop) return bad('names no construct that was built', gist);
  if (!factory) return bad('not in our error format');
  const expected = site.calling ? site.called[site.called.length - 1] : undefined;
  return factory.groups!.call === expected ? undefined : bad(`names ${factory.groups!.call} while ${expected ?? 'no factory'} was called`, gist);
}

type Outcome = 'synthesized' | 'refused';

/** What building a scenario's constructs in a chart of their own made, or what they threw. */
type Built = { readonly site: Site; readonly threw: false } | { readonly site: Site; readonly threw: true; readonly error: unknown };

function build(s: Scenario): Built {
  const site: Site = { chart: new Chart(Testing.app(), 'test', { namespace: s.chartNamespace }), paths: [], externalGateways: [],
    externalGatewayWorkloads: ['istio=ingressgateway', 'istio=egressgateway'], called: [], calling: true };
  try {
    const resolved = resolveCalls(s, site.called) as Scenario;
    site.calling = false;
    const gateway = buildGateway(resolved.gateway, site);
    for (const app of resolved.apps) buildApp(app, gateway, site);
    return { site, threw: false };
  } catch (error) {
    return { site, threw: true, error };
  }
}

/** The outcome of a scenario when the property holds, else its problems. */
function evaluate(s: Scenario): Outcome | Problem[] {
  const built = build(s);
  if (built.threw) {
    const problem = notOurError(built.error, built.site);
    return problem ? [problem] : 'refused';
  }
  // A throw from here on (a synth-time route check included) means the constructors accepted bad props.
  let objects: unknown[];
  try {
    objects = Testing.synth(built.site.chart);
  } catch (error) {
    return [crash('synth', error)];
  }
  const problems = [
    ...checked('verifyManifests', () => verifyManifests(objects, { externalGateways: built.site.externalGateways, externalGatewayWorkloads: built.site.externalGatewayWorkloads })
      .map(f => ({ signature: `finding ${f.code}: ${f.object.split('/')[0]} ${masked(f.path)}`, detail: `${f.object} ${f.path}: ${f.message}` }))),
    ...checked('schemaErrors', () => schemaErrors(objects).map(schemaProblem)),
    ...checked('synth again', () => sameAgain(s, objects)),
  ];
  return problems.length > 0 ? problems : 'synthesized';
}

/** The same scenario built again must give the same objects, byte for byte. */
function sameAgain(s: Scenario, objects: unknown[]): Problem[] {
  const again = build(s);
  const first = JSON.stringify(objects);
  const second = again.threw ? `threw ${String(again.error)}` : JSON.stringify(Testing.synth(again.site.chart));
  if (first === second) return [];
  const at = [...first].findIndex((c, i) => c !== second[i]);
  return [{ signature: 'not deterministic: built again, the scenario gives other objects', detail: `first:  …${first.slice(at - 200, at + 200)}\nsecond: …${second.slice(at - 200, at + 200)}` }];
}

/** The problems a check of the objects finds; that it throws on them is one too. */
function checked(stage: string, check: () => Problem[]): Problem[] {
  try {
    return check();
  } catch (error) {
    return [crash(stage, error)];
  }
}

function report(problems: readonly Problem[]): string {
  return problems.map(p => `${p.signature}\n  ${p.detail.replace(/\n/g, '\n  ')}`).join('\n');
}

/** Builds the scenario and checks the property; throws when it does not hold. */
function check(s: Scenario): Outcome {
  const verdict = evaluate(s);
  if (typeof verdict !== 'string') throw new Error(report(verdict));
  return verdict;
}

/** The failures a survey found under one signature. */
interface Found {
  count: number;
  readonly firstRun: number;
  readonly detail: string;
  reproducer?: string;
}

const surveys: { title: string; seed: number; runs: number; found: Map<string, Found> }[] = [];

/** Whether the cases run are drawn ones, rather than fast-check's shrinking of a failure: only those are tallied. */
let drawing = true;

/**
 * Checks `problemsOf` over RUNS cases of `arbitrary`: to the first failure, which fast-check
 * shrinks, or with FUZZ_SURVEY over every case, shrinking one case of each signature afterwards.
 */
function fuzz<T>(title: string, arbitrary: fc.Arbitrary<T>, problemsOf: (value: T) => readonly Problem[]): void {
  if (!SURVEY) {
    fc.assert(fc.property(arbitrary, value => {
      const problems = problemsOf(value);
      if (problems.length === 0) return;
      drawing = false;
      throw new Error(report(problems));
    }), { numRuns: RUNS, seed: SEED });
    return;
  }
  const seed = SEED ?? (Date.now() ^ (Math.random() * 2 ** 31));
  const found = new Map<string, Found>();
  let runIndex = 0;
  fc.assert(fc.property(arbitrary, value => {
    const problems = problemsOf(value);
    for (const signature of new Set(problems.map(p => p.signature))) {
      const entry = found.get(signature);
      if (entry) entry.count++;
      else found.set(signature, { count: 1, firstRun: runIndex, detail: problems.find(p => p.signature === signature)!.detail });
    }
    runIndex++;
  }), { numRuns: RUNS, seed });
  drawing = false;
  for (const [signature, entry] of found) {
    const shrunk = fc.check(fc.property(arbitrary, value => !problemsOf(value).some(p => p.signature === signature)),
      { seed, path: String(entry.firstRun), plugins: [fc.interruptAfterTimeLimit(SHRINK_MS)] });
    entry.reproducer = shrunk.counterexample ? fc.stringify((shrunk.counterexample as unknown as [T])[0]) : '(did not replay)';
  }
  surveys.push({ title, seed, runs: RUNS, found });
  if (found.size > 0) throw new Error(`${found.size} signatures of failure, see the survey table (seed ${seed})`);
}

/** The survey as Markdown: one table row per signature, then each signature's shrunk case and detail. */
function surveyMarkdown(): string {
  return surveys.map(({ title, seed, runs, found }) => {
    const rows = [...found].sort(([, a], [, b]) => b.count - a.count);
    return [
      `## ${title}: ${runs} runs, seed ${seed}, ${rows.length} signatures`, '',
      '| # | cases | signature |', '|---|---|---|',
      ...rows.map(([signature, f], i) => `| ${i + 1} | ${f.count} | \`${signature.replace(/\|/g, '\\|').replace(/`/g, '\'')}\` |`), '',
      ...rows.flatMap(([signature, f], i) => [`### ${i + 1}. ${signature}`, '', '```', f.reproducer ?? '', '```', '', '```', f.detail.slice(0, 2000), '```', '']),
    ].join('\n');
  }).join('\n');
}

const tally = { runs: 0, synthesized: 0, refused: 0, failures: 0 };

afterAll(() => {
  const { runs, synthesized, refused, failures } = tally;
  console.log(`fuzz: ${runs} runs, ${synthesized} synthesized, ${refused} refused with our error, ${failures} failures`);
  if (surveys.length === 0) return;
  const markdown = surveyMarkdown();
  console.log(markdown);
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, markdown);
});

test('any props either synthesize routable, valid manifests or are refused with our own error', () => {
  drawing = true;
  fuzz('props', scenario, s => {
    const verdict = evaluate(s);
    if (drawing) {
      tally.runs++;
      tally[typeof verdict === 'string' ? verdict : 'failures']++;
    }
    return typeof verdict === 'string' ? [] : verdict;
  });
});

/** Why a call threw, if it threw anything but its own refusal: `<stage>: <param> <problem>, got <value>; <fix>`. */
function attempt(stage: string, action: () => unknown): Problem[] {
  try {
    action();
    return [];
  } catch (error) {
    const ours = error instanceof Error && Object.getPrototypeOf(error) === Error.prototype
      && STATIC_ERROR.exec(error.message)?.groups!.call === stage && !/undefined|\[object Object\]/.test(error.message);
    return ours ? [] : [crash(stage, error)];
  }
}

test('any manifests, however malformed, are verified and drawn without a crash', () => {
  fuzz('manifests', fc.tuple(manifestRecipe, manifestRecipe, verifyOptions), ([recipe, previous, options]) => {
    const objects = manifestsOf(recipe);
    const before = manifestsOf(previous);
    return [
      ...attempt('Verify.manifests', () => Verify.manifests(objects, options as never)),
      ...attempt('Verify.progression', () => Verify.progression([before, objects], options as never)),
      ...attempt('Diagram.mermaid', () => Diagram.mermaid(objects, { context: before, defaultNamespace: (options as { defaultNamespace?: string } | undefined)?.defaultNamespace })),
      ...attempt('Diagram.markdown', () => Diagram.markdown(objects, 'title\nwith a break', options as never)),
      ...attempt('Diagram.table', () => Diagram.table(objects)),
    ];
  });
});

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

let cliDir: string | undefined;

/** An empty folder for one case's files, the same for every case, so that a long run leaves no trail of them. */
function emptyCliDir(): string {
  cliDir ??= tempDir('cdk8s-istio-release-fuzz-');
  rmSync(cliDir, { recursive: true, force: true });
  mkdirSync(join(cliDir, 'sub'), { recursive: true });
  return cliDir;
}

/** One CLI run on the files as written: exit 0, 1 or 2, no stack trace, and with `--format=json` JSON on stdout. */
function cliProblems(args: readonly string[], files: readonly FileRecipe[], missing: boolean): Problem[] {
  const dir = emptyCliDir();
  const paths = files.map((file, i) => {
    const path = join(dir, i === 1 ? 'sub' : '', file.name);
    writeFileSync(path, fileText(file));
    return i === 1 ? join(dir, 'sub') : path;
  });
  const command = `cli ${args[0]}`;
  let result: ReturnType<typeof run>;
  try {
    result = run(...args, ...paths, ...missing ? [join(dir, 'missing.yaml')] : []);
  } catch (error) {
    return [crash(command, error)];
  }
  const problems: Problem[] = [];
  const detail = `exit ${result.code}\nstderr: ${result.stderr.slice(0, 2000)}`;
  if (![0, 1, 2].includes(result.code)) problems.push({ signature: `${command} exited ${result.code}`, detail });
  if (STACK_TRACE.test(result.stderr)) problems.push({ signature: `${command} printed a stack trace: ${masked(firstLine(result.stderr))}`, detail });
  if (args.filter(arg => arg.startsWith('--format=')).pop() === '--format=json' && result.code !== 2) {
    problems.push(...attempt(`${command} --format=json output`, () => JSON.parse(result.stdout)));
  }
  return problems;
}

test('the CLI answers any files with exit 0, 1 or 2 and no stack trace', () => {
  const missing = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  fuzz('cli', fc.tuple(cliArgs, fc.array(fileRecipe, { minLength: 1, maxLength: 2 }), missing),
    ([args, files, missingFile]) => cliProblems(args, files, missingFile));
});

describe('the checks beyond the schemas', () => {
  const deployment = (spec: object, metadata: object = {}) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', ...metadata }, spec: { replicas: 2, ...spec },
  });
  const pod = (container: object) => ({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ...container }] } } });

  test('pass an object the API server takes', () => {
    expect(apiServerErrors([deployment({ ...pod({ ports: [{ name: 'http', containerPort: 80 }] }), replicas: 2 ** 31 - 1 }, { labels: { 'app.kubernetes.io/name': 'web' } })])).toEqual([]);
  });

  test('fail on what JSON cannot carry', () => {
    expect(apiServerErrors([deployment({ paused: NaN, minReadySeconds: Duration.seconds(1), strategy: [undefined] })])).toEqual([
      'Deployment/shop/web: $.spec.paused: NaN is no JSON number',
      'Deployment/shop/web: $.spec.minReadySeconds: a Duration is no JSON object',
      'Deployment/shop/web: $.spec.strategy[0]: undefined is no JSON value',
    ]);
  });

  test('fail on a Namespace name that is a DNS-1123 subdomain but no label', () => {
    expect(apiServerErrors([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.example' } }])).toEqual([
      'Namespace/-/shop.example: $.metadata.name: must be a DNS-1123 label, got "shop.example"',
    ]);
  });

  test('fail on names, labels and port names the API server refuses', () => {
    const objects = [
      deployment(pod({ name: 'Web', ports: [{ name: 'http-metrics-port', containerPort: 9090 }] }), { name: 'web_1', labels: { team: 'a b' } }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { selector: { app: 'x'.repeat(64) } } },
    ];
    expect(apiServerErrors(objects)).toEqual([
      'Deployment/shop/web_1: $.metadata.name: must be a DNS-1123 subdomain, got "web_1"',
      'Deployment/shop/web_1: $.metadata.labels: must hold valid labels, and "team" is not, got {"team":"a b"}',
      'Deployment/shop/web_1: $.spec.template.spec.containers[0].name: must be a DNS-1123 label, got "Web"',
      'Deployment/shop/web_1: $.spec.template.spec.containers[0].ports[0].name: must be an IANA service name, got "http-metrics-port"',
      'Service/-/1web: $.metadata.name: must be a DNS-1035 label, got "1web"',
      `Service/-/1web: $.spec.selector: must hold valid labels, and "app" is not, got {"app":"${'x'.repeat(49)}...`,
    ]);
  });
});

const V1 = { image: 'nginx:1.10', version: 'v1' };
const V2 = { image: 'nginx:1.11', version: 'v2' };
const NO_GATEWAY: GatewayScenario = { kind: 'none' };

function blueGreen(props: LooseProps, id = 'Web'): AppScenario {
  return { kind: 'blue-green', id, bound: true, props: { blue: V1, green: V2, ...props } };
}

function canary(props: LooseProps, id = 'Reviews'): AppScenario {
  return { kind: 'canary', id, bound: true, props: { stable: V1, canary: V2, ...props } };
}

function inChart(gateway: GatewayScenario, ...apps: AppScenario[]): Scenario {
  return { chartNamespace: 'shop', gateway, apps };
}

/** Bugs the fuzz found, as the smallest props that show them, each with the outcome it must have now. */
describe('known bugs', () => {
  // testerRoutes[].when and autoscaling.maxReplicas show it too: validate.ts `show` prints undefined as is.
  test('a missing required field is reported without "got undefined"', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ green: { image: 'nginx:1.11' } })))).toBe('refused');
  });

  test('a missing blue, green or stable is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ green: undefined })))).toBe('refused');
  });

  test('an active colour other than blue or green is refused', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ active: 'red' })))).toBe('refused');
  });

  test('an unknown protocol is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ protocol: 'udp' })))).toBe('refused');
  });

  test('an unknown istioApiVersion is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ istioApiVersion: 'v2' })))).toBe('refused');
  });

  test('gateway hosts that are not a list are refused with our error', () => {
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: undefined } }))).toBe('refused');
  });

  test('a gateway selector value that is not a string is refused', () => {
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'], selector: { istio: 42 } } }))).toBe('refused');
  });

  test('IstioGateway.fromName refuses a ref that is not a string with its own error', () => {
    expect(check(inChart({ kind: 'fromName', ref: undefined }))).toBe('refused');
  });

  test('an app with the id RouteCheck synthesizes', () => {
    expect(check(inChart({ kind: 'fromName', ref: 'istio-system/public-gateway' }, canary({ hosts: ['shop.example.com'] }, 'RouteCheck')))).toBe('synthesized');
  });

  test('two apps that claim the same host in the mesh are refused', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'] } };
    expect(check(inChart(gateway, canary({}, 'Reviews'), blueGreen({}, 'Web')))).toBe('refused');
  });

  test('an app whose short host is another app\'s Service name is refused', () => {
    const gateway: GatewayScenario = { kind: 'fromName', ref: 'istio-system/public-gateway' };
    expect(check(inChart(gateway, blueGreen({ hosts: ['web'] }, 'Reviews'), canary({ hosts: ['shop.example.com'] }, 'Web')))).toBe('refused');
  });

  test('a duration that is not a Duration is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { timeout: '5s' } })))).toBe('refused');
  });

  test('a duration in fractions of a millisecond is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { timeout: Duration.millis(0.5) } })))).toBe('refused');
  });

  test('a duration under 1ms is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { timeout: Duration.millis(0) } })))).toBe('refused');
  });

  test('a disruptionBudget that is not a DisruptionBudget is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ disruptionBudget: 'minAvailable' })))).toBe('refused');
  });

  test('connection pool and outlier detection numbers that are not whole are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1.5 } } })))).toBe('refused');
  });

  test('negative connection pool and outlier detection numbers are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ trafficPolicy: { outlierDetection: { consecutive5xxErrors: -1 } } })))).toBe('refused');
  });

  test('a sticky session maxAge in fractions of a second is rounded', () => {
    expect(check(inChart(NO_GATEWAY, canary({ stickySessions: { maxAge: Duration.millis(1500) } })))).toBe('synthesized');
  });

  test('an unknown client TLS mode is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ trafficPolicy: { tlsMode: 'STRICT' } })))).toBe('refused');
  });

  test('an unknown imagePullPolicy is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ stable: { ...V1, imagePullPolicy: 'Sometimes' } })))).toBe('refused');
  });

  test('an unknown gateway TLS mode is refused', () => {
    const tls = { credentialName: 'shop-cert', mode: 'simple' };
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'], tls } }))).toBe('refused');
  });

  test('a preview headerValue that is not a string is refused', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ preview: { header: 'x-preview', headerValue: 42 } })))).toBe('refused');
  });

  test('two apps whose objects get the same name are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ name: 'web-x' }), canary({ stable: { ...V1, version: 'x-v1' }, canary: undefined }, 'Web')))).toBe('refused');
  });

  test('a plan\'s maxRequestDuration in fractions of a millisecond is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ plan: { analysis: { maxRequestDuration: Duration.millis(0.5) } } })))).toBe('refused');
  });

  test('a Gateway API gateway that names a host twice is refused', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com', 'shop.example.com'], trafficApi: 'gateway-api' } };
    expect(check(inChart(gateway, canary({ hosts: ['shop.example.com'], trafficApi: 'gateway-api' }, 'Web')))).toBe('refused');
  });

  test('a Gateway API mirror of a vanishing percentage writes a whole percent', () => {
    expect(check(inChart(NO_GATEWAY, canary({ mirror: { to: RouteTarget.stable(), percentage: 5e-324 }, canaryWeight: 10, trafficApi: 'gateway-api' }, 'Web')))).toBe('synthesized');
  });

  test('a plan\'s autoPromotion, mtls or syncWaves that is not a boolean is refused', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ controller: 'argo-rollouts', plan: { autoPromotion: 'yes' } })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, blueGreen({ mtls: 'yes' })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ syncWaves: 'yes' })))).toBe('refused');
  });

  test('a Gateway API gateway whose two servers serve a host on one port is refused', () => {
    const props = { hosts: ['web.shop.svc.cluster.local', 'shop.example.com'], additionalServers: [{ hosts: ['shop.example.com'] }], trafficApi: 'gateway-api' };
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props }, canary({ hosts: ['shop.example.com'], trafficApi: 'gateway-api' })))).toBe('refused');
  });

  test('a wildcard preview host is refused with our error, not a regular expression\'s', () => {
    expect(check(inChart({ kind: 'fromName', ref: 'istio-system/public-gateway' }, blueGreen({ preview: { host: '*.org' }, trafficApi: 'gateway-api' })))).toBe('refused');
  });

  test('a Gateway API tester route on an empty header value is refused', () => {
    const testerRoutes = [{ when: [RouteMatch.header('x-tester', StringMatch.exact(''))], to: RouteTarget.stable() }];
    expect(check(inChart(NO_GATEWAY, canary({ testerRoutes, trafficApi: 'gateway-api' })))).toBe('refused');
  });

  test('replicas beyond a 32-bit integer are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ replicas: 2 ** 31 })))).toBe('refused');
  });

  test('a preview header through a gateway names the port of a multi-port preview Service', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'] } };
    expect(check(inChart(gateway, blueGreen({ additionalPorts: [{ port: 9080 }], preview: { header: 'x-preview' } })))).toBe('synthesized');
  });

  test('an app with one HTTP port and a TCP port routes through its gateway', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'] } };
    expect(check(inChart(gateway, canary({ additionalPorts: [{ port: 5432, protocol: 'tcp' }] })))).toBe('synthesized');
  });

  // Found by the hostile values of issue #13: each threw a TypeError, or let a value of the wrong type into an object.
  const testers = (when: unknown, to: unknown = RouteTarget.canary(), name?: unknown) => ({ testerRoutes: [{ when, to, ...name === undefined ? {} : { name } }] });

  test('props, a gateway or a canary that are of the wrong type are refused', () => {
    expect(check(inChart(NO_GATEWAY, { kind: 'blue-green', id: 'Web', bound: true, props: null }))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ gateway: Infinity })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ canary: NaN, controller: 'argo-rollouts' })))).toBe('refused');
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'], name: ['text'] } }))).toBe('refused');
  });

  test('lists that are not lists, or hold values of the wrong type, are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ additionalPorts: 'text' })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ testerRoutes: -Infinity })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { retries: { attempts: 2, retryOn: Symbol('hostile') } } })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ dns: { nameservers: [null, '10.0.0.10'] } })))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ dns: { nameservers: [Symbol('hostile')] } })))).toBe('refused');
  });

  test('IstioGateway.fromName refuses a BigInt with its own error', () => {
    expect(check(inChart({ kind: 'fromName', ref: 10n }))).toBe('refused');
  });

  test('a route match on a name or value of the wrong type is refused', () => {
    const header = (name: unknown, value: unknown) => callOf('RouteMatch.header', RouteMatch.header, name, value);
    expect(check(inChart(NO_GATEWAY, canary(testers([header('x-tester', null)]))))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary(testers([header(Object.create(null), StringMatch.exact('yes'))]))))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary(testers([callOf('RouteMatch.queryParam', RouteMatch.queryParam, 'canary', null)]))))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary(testers([callOf('RouteMatch.cookie', RouteMatch.cookie, Symbol('hostile'), 'yes')]))))).toBe('refused');
    const labels = callOf('RouteMatch.sourceLabels', RouteMatch.sourceLabels, { app: 'qa-runner', team: () => 'qa' });
    expect(check(inChart(NO_GATEWAY, canary(testers([labels]))))).toBe('refused');
  });

  test('a tester route whose target or name is of the wrong type is refused', () => {
    const when = [RouteMatch.header('x-tester', StringMatch.exact('yes'))];
    expect(check(inChart(NO_GATEWAY, blueGreen(testers(when, { kind: 'stable' }))))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, blueGreen(testers(when, RouteTarget.idle(), Duration.seconds(5)))))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, blueGreen(testers(when, RouteTarget.idle(), () => 'testers'))))).toBe('refused');
    expect(check(inChart(NO_GATEWAY, canary({ mirror: 'stable' })))).toBe('refused');
  });

  test('a securityContext switch that is not a boolean is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ securityContext: { allowPrivilegeEscalation: -0 } })))).toBe('refused');
  });
});
