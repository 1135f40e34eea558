import { spawnSync } from 'child_process';
import { join } from 'path';
import { refuse } from '../src/refusal';

const ROOT = join(__dirname, '..');

/** What node itself prints for an app run as `cdk8s synth` runs it: a process of its own. */
function node(script: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', './test/support/register-ts.js', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CHART = "const { App, Chart, ApiObject } = require('cdk8s'); const app = new App(); const chart = new Chart(app, 'shop', { namespace: 'shop' });";
const REFUSE = "const { refuse, refuseValidation } = require('./src/refusal');";

describe('a refused input left uncaught', () => {
  test('prints its message alone, without a code frame or stack, and exits 1', () => {
    const result = node(`${CHART} const { CanaryApp, IstioGateway } = require('./src');
      new CanaryApp(chart, 'Reviews', { stable: { image: 'r:1', version: 'v1' }, canary: { image: 'r:2', version: 'v2' },
        canaryWeight: 150, gateway: IstioGateway.fromName('istio-system/gw'), hosts: ['r.example.com'] });`);
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: shop/Reviews: canaryWeight must be a whole percentage from 0 to 100, got 150; use an integer such as 10\n',
    });
  });

  test('prints the route check\'s errors, which cdk8s throws as its own, a line each', () => {
    const result = node(`${CHART} const { RouteCheck } = require('./src/route-check'); RouteCheck.of(chart);
      new ApiObject(chart, 'vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' },
        spec: { hosts: ['x.example.com'], http: [{ route: [{ destination: { host: 'nowhere' } }] }] } });
      console.log('synth'); app.synth();`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('synth\n');
    expect(result.stderr).toBe('error: Validation failed with the following errors:\n'
      + 'error:   [shop] error destination-host-not-found: VirtualService/shop/x (shop/vs) spec.http[0].route[0].destination.host: '
      + 'host nowhere resolves to nowhere.shop.svc.cluster.local, which is neither a Service in the set nor a ServiceEntry or external host, '
      + 'so Istio answers 503; point it at an existing service or declare the host with a ServiceEntry\n');
  });

  test('prints the route check\'s lines that cdk8s throws, whatever else the error holds', () => {
    const result = node(`${REFUSE} refuseValidation(['error subset-not-found: VirtualService/shop/x spec.http[0]: gone']);
      throw new Error('Validation failed with the following errors:\\n  [shop] error subset-not-found: VirtualService/shop/x spec.http[0]: gone\\n  [shop] a rule of the app');`);
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: Validation failed with the following errors:\n'
        + 'error:   [shop] error subset-not-found: VirtualService/shop/x spec.http[0]: gone\n'
        + 'error:   [shop] a rule of the app\n',
    });
  });

  test('prints a refusal with the control characters of a construct id escaped, as a terminal would act on them', () => {
    const result = node(`${REFUSE} refuse('shop/We\\u001b[2Jb\\u0085: image is empty\\nerror: forged\\u0007');`);
    expect(result).toEqual({ status: 1, stdout: '', stderr: 'error: shop/We\\u001b[2Jb\\u0085: image is empty\nerror: error: forged\\u0007\n' });
  });

  test('prints a refusal thrown from a promise the app does not handle', () => {
    const result = node(`${REFUSE} Promise.resolve().then(() => refuse('shop/Web: image is empty'));`);
    expect(result).toEqual({ status: 1, stdout: '', stderr: 'error: shop/Web: image is empty\n' });
  });
});

describe('what is not a refusal, or not left to us', () => {
  test('leaves another uncaught error to node, frame and stack, even after a refusal the app caught', () => {
    const result = node(`${REFUSE} for (const _ of [1, 2]) try { refuse('shop/Web: image is empty'); } catch {}
      console.log(process.listenerCount('uncaughtExceptionMonitor'));
      throw new Error('no kubeconfig');`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('1\n');
    expect(result.stderr).toContain('throw new Error(\'no kubeconfig\')');
    expect(result.stderr).toContain('Error: no kubeconfig\n    at ');
    expect(result.stderr).not.toContain('image is empty');
  });

  test('leaves cdk8s\'s validation error to node when the route check found nothing', () => {
    const result = node(`${CHART} const { RouteCheck } = require('./src/route-check'); RouteCheck.of(chart);
      chart.node.addValidation({ validate: () => ['a rule of the app'] }); app.synth();`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: Validation failed with the following errors:\n  [shop] a rule of the app\n    at ');
  });

  test('leaves cdk8s\'s validation error to node when the message is another', () => {
    const result = node(`${REFUSE} refuseValidation(['error x: y']); throw new Error('Validation failed for another reason: error x: y');`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: Validation failed for another reason: error x: y\n    at ');
  });

  test('leaves a thrown value that is no Error to node, after the route check found errors', () => {
    const result = node(`${REFUSE} refuseValidation(['error x: y']);
      throw 'Validation failed with the following errors:\\n  [shop] error x: y';`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('\nValidation failed with the following errors:\n  [shop] error x: y\n(Use `node --trace-uncaught ...`');
  });

  test('leaves a later validation error of cdk8s to node, after a route check failure that the app caught', () => {
    const result = node(`${CHART} const { RouteCheck } = require('./src/route-check'); RouteCheck.of(chart);
      new ApiObject(chart, 'vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' },
        spec: { hosts: ['x.example.com'], http: [{ route: [{ destination: { host: 'nowhere' } }] }] } });
      try { app.synth(); } catch { console.log('caught'); }
      const other = new App(); new Chart(other, 'web').node.addValidation({ validate: () => ['a rule of the app'] }); other.synth();`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('caught\n');
    expect(result.stderr).toContain('Error: Validation failed with the following errors:\n  [web] a rule of the app\n    at ');
  });

  test('leaves a refusal to the app\'s own handler of uncaught errors', () => {
    const result = node(`${REFUSE} process.on('uncaughtException', e => { console.log('handled: ' + e.message); process.exitCode = 4; });
      refuse('shop/Web: image is empty');`);
    expect(result).toEqual({ status: 4, stdout: 'handled: shop/Web: image is empty\n', stderr: '' });
  });

  test('leaves a refusal to a capture callback the app set', () => {
    const result = node(`${REFUSE} process.setUncaughtExceptionCaptureCallback(e => { console.log('captured: ' + e.message); });
      refuse('shop/Web: image is empty');`);
    expect(result).toEqual({ status: 0, stdout: 'captured: shop/Web: image is empty\n', stderr: '' });
  });

  test('throws the refusal as an Error with the message, for the app or a test to catch', () => {
    expect(() => refuse('shop/Web: image is empty')).toThrow(new Error('shop/Web: image is empty'));
  });
});
