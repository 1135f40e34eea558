import { Chart } from 'cdk8s';
import { BlueGreenApp, BlueGreenAppProps, Color, CutoverMode, IstioGateway, Protocol, verifyManifests } from '../src';
import { deploymentsSelectedBy, find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const blue = { image: 'web:1', version: '1' };
const green = { image: 'web:2', version: '2' };

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['*.example.com'] });
  return new BlueGreenApp(chart, 'Web', {
    blue, green, gateway, hosts: ['shop.example.com'], preview: { header: 'x-preview', host: 'preview.example.com' }, ...props,
  });
}

describe('blue/green preview', () => {
  const objects = synth(c => web(c));

  test('emits a Service web-preview over the idle colour, after the app\'s own', () => {
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'DestinationRule', 'VirtualService']);
    const preview = find(objects, 'Service', 'web-preview');
    expect(preview.spec.selector).toEqual({ app: 'web', version: '2' });
    expect(deploymentsSelectedBy(objects, preview.spec.selector)).toEqual(['web-green']);
    expect(preview.spec.ports).toEqual(find(objects, 'Service', 'web').spec.ports);
    expectValidManifests(objects);
    expect(verifyManifests(objects)).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('exposes the preview Service, and with mtls the PeerAuthentication, as escape hatches', () => {
    const app = web(newChart(), { mtls: true });
    expect(app.versionServices.map(o => [o.kind, o.name])).toEqual([['Service', 'web-preview']]);
    expect([app.peerAuthentication?.kind, app.peerAuthentication?.name]).toEqual(['PeerAuthentication', 'web']);
    expect(web(newChart()).peerAuthentication).toBeUndefined();
  });

  test('routes the preview header and the preview host to it, ahead of the weighted route', () => {
    const vs = find(objects, 'VirtualService', 'web');
    expect(vs.spec.hosts).toEqual(['shop.example.com', 'preview.example.com', 'web.shop.svc.cluster.local']);
    const [header, host, primary] = vs.spec.http;
    expect(header).toEqual({
      name: 'preview-header',
      match: [{ headers: { 'x-preview': { exact: 'true' } } }],
      route: [{ destination: { host: 'web-preview.shop.svc.cluster.local' } }],
    });
    expect(host.match).toEqual([{ authority: { regex: '^preview\\.example\\.com(:[0-9]+)?$' } }]);
    expect(host.route).toEqual(header.route);
    expect(primary.name).toBe('primary');
  });

  test('the preview host matches with or without a port, and no other host', () => {
    const regex = new RegExp(find(objects, 'VirtualService', 'web').spec.http[1].match[0].authority.regex);
    expect(['preview.example.com', 'preview.example.com:443'].every(h => regex.test(h))).toBe(true);
    expect(['previewxexample.com', 'shop.example.com', 'a.preview.example.com'].some(h => regex.test(h))).toBe(false);
  });

  test('moves with active: after the switch it shows blue', () => {
    const switched = synth(c => web(c, { active: Color.GREEN }));
    expect(find(switched, 'Service', 'web-preview').spec.selector).toEqual({ app: 'web', version: '1' });
  });

  test('works with the selector cutover too, through the preview Service', () => {
    const objs: Manifest[] = synth(c => web(c, { cutover: CutoverMode.SERVICE_SELECTOR }));
    expect(kinds(objs)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'VirtualService']);
    expect(find(objs, 'VirtualService', 'web').spec.http.map((r: Manifest) => r.route[0].destination.host))
      .toEqual(['web-preview.shop.svc.cluster.local', 'web-preview.shop.svc.cluster.local', 'web.shop.svc.cluster.local']);
    expectValidManifests(objs);
  });

  test('a header alone needs no gateway, and takes a value', () => {
    const objs = synth(c => new BlueGreenApp(c, 'Web', { blue, green, preview: { header: 'x-env', headerValue: 'next' } }));
    expect(find(objs, 'VirtualService', 'web').spec.http[0].match).toEqual([{ headers: { 'x-env': { exact: 'next' } } }]);
  });

  test.each([
    ['the preview host is not served by the gateway', { preview: { host: 'preview.example.org' } },
      'preview.host must be served by gateway shop/gateway (hosts ["*.example.com"]), got "preview.example.org"; add the host to the gateway, or use one of its hosts'],
    ['the preview host repeats an app host', { preview: { host: 'shop.example.com' } },
      'preview.host overlap: "shop.example.com" already covers "shop.example.com", got ["shop.example.com","shop.example.com","web.shop.svc.cluster.local"]; '
      + 'list each host once, and leave out the Service host, which the VirtualService always serves'],
    ['the idle colour is scaled down', { scaledDown: Color.GREEN },
      'preview goes to the idle colour green, which runs 0 replicas, got 0; scale it up (leave scaledDown out) to preview it'],
    ['the header name has upper case', { preview: { header: 'X-Preview' } }, 'preview.header must be a lower-case header name, got "X-Preview"; e.g. "x-preview"'],
    ['a preview header is given to an app whose every port is TCP', { protocol: Protocol.TCP, gateway: undefined, hosts: undefined, preview: { header: 'x-preview' } },
      'preview.header needs an HTTP port to match requests on, and every port is TCP, got "x-preview"; leave it out: the idle colour is reached in the mesh at web-preview'],
    ['the preview host is a wildcard', { preview: { host: '*.example.com' } },
      'preview.host must be one exact host: requests for it go to the idle colour, and a wildcard would take others\' hosts, got "*.example.com"; e.g. "preview.shop.example.com"'],
    ['the preview Service would be named longer than 63 characters', { name: 'w'.repeat(56) },
      `preview needs a Service named "${'w'.repeat(56)}-preview" over the idle colour, longer than 63 characters, got "${'w'.repeat(56)}"; `
      + 'shorten the app name to 55 characters or fewer'],
  ])('fails when %s', (_, props, message) => {
    expect(() => web(newChart(), props as Partial<BlueGreenAppProps>)).toThrow(new Error(`test/Web: ${message}`));
  });

  test('takes an app name of 55 characters, whose preview Service is named in 63', () => {
    expect(find(synth(c => web(c, { name: 'w'.repeat(55) })), 'Service', `${'w'.repeat(55)}-preview`).metadata.name).toHaveLength(63);
  });

  test('fails when a preview host is given without a gateway', () => {
    expect(() => new BlueGreenApp(newChart(), 'Web', { blue, green, preview: { host: 'preview.example.com' } }))
      .toThrow(new Error('test/Web: preview.host needs a gateway to be reached, got "preview.example.com"; pass gateway, or leave it out'));
  });
});
