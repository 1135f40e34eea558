import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseModel } from './model';
import { isDns1123Label } from './names';
import { ReleaseController } from './plan';
import { ReleaseApp, type IReleaseApp } from './release-app';
import { argoCdApplicationSet, ArgoCdSource } from './render/argo-cd';
import { checkKurator } from './release/checks-kurator';
import { kuratorApplication, KuratorSync } from './render/kurator';
import { entryField } from './show';
import {
  checkDnsLabel, checkEnum, checkGiven, checkLabelMap, checkList, checkNamespace, checkPositive, checkSeconds, checkString, fail, orDefault, wholeSeconds,
} from './validate';

/** The engine that rolls a fleet's manifests out to its clusters. */
export enum FleetEngine {
  /**
   * Kurator: one `apps.kurator.dev/v1alpha1` Application, whose sync policies Flux applies to the
   * clusters of a Kurator Fleet, and whose rollout policy Kurator turns into a Flagger Canary in
   * each cluster.
   */
  KURATOR = 'kurator',
  /**
   * Argo CD: one `argoproj.io/v1alpha1` ApplicationSet with an Application per cluster, synced wave
   * by wave by its `RollingSync` strategy, each wave once the last is Healthy. A Rollout is Healthy
   * once its release is done; a Flagger Canary reads Healthy until Flagger's next check sees the
   * new revision, so a wave may start before the last one's analysis.
   */
  ARGO_CD = 'argo-cd',
}

/** One wave of a fleet release: clusters that get the release together, after the wave before it. */
export interface FleetWave {
  /**
   * The wave's name, a DNS-1123 label: Argo CD labels each cluster's Application with it
   * (`cdk8s-istio-release/wave`), and the diagram shows it.
   */
  readonly name: string;

  /**
   * The wave's clusters by label: a Kurator cluster's labels, or the labels of an Argo CD cluster Secret.
   * @default - none: every cluster of the fleet (with Argo CD, every cluster it knows, its own
   * `in-cluster` too), unless `clusterNames` names some
   */
  readonly clusterLabels?: { [key: string]: string };

  /**
   * The wave's clusters by name, as Argo CD knows them, each a DNS-1123 label, as the name of its
   * Application (`<fleet>-<cluster>`) carries it. Kurator selects clusters by label only.
   * @default - none
   */
  readonly clusterNames?: string[];

  /**
   * How many of the wave's clusters Argo CD syncs at once (`maxUpdate`), the next ones as these turn Healthy.
   * @default - every cluster of the wave at once
   */
  readonly maxUpdate?: number;
}

/** A folder of manifests in Git that the fleet applies to its clusters: a release app's, or plain ones. */
export interface FleetManifests {
  /**
   * The folder in the Git repository, e.g. `./deploy/webapp`. With Kurator it must hold the app's
   * manifests alone, as Flux applies every file of it; with Argo CD, `include` picks the files.
   */
  readonly path: string;

  /**
   * The release app whose manifests the folder holds, a `BlueGreenApp` or a `CanaryApp` in a chart
   * of this cdk8s app. With Kurator and `ReleaseController.FLAGGER` its plan becomes the
   * Application's rollout policy, and its chart then holds the Deployment and the Service that
   * Kurator's Canary uses instead of a Canary of its own.
   * @default - none: plain manifests, applied as they are
   */
  readonly app?: IReleaseApp;

  /**
   * With Kurator, the namespace Flux moves every object of the folder into (`targetNamespace`),
   * which for an app's folder must be the app's own; with Argo CD, the namespace of objects that
   * name none (the destination's, with one folder only).
   * @default - none: the namespaces the manifests name
   */
  readonly targetNamespace?: string;

  /**
   * With Kurator, how often Flux applies the folder again. A Flagger app's Deployment is scaled to
   * zero by Flagger, which a periodic apply would undo, so by default it is applied on change only.
   * @default - with a Flagger app Duration.seconds(0), on change only; else Duration.minutes(5)
   */
  readonly syncInterval?: Duration;

  /**
   * With Argo CD, the files of `path` to apply (`directory.include`), e.g. `{app.k8s.yaml}`.
   * @default - the app's chart file, `<chart>.k8s.yaml`; for plain manifests every file
   */
  readonly include?: string;
}

/** A release across many clusters, in waves, by Kurator or Argo CD. */
export interface FleetProps {
  /** The engine: `FleetEngine.KURATOR` or `FleetEngine.ARGO_CD`. Switching between them is this one line. */
  readonly engine: FleetEngine;

  /** The Git repository that holds the manifests, e.g. `https://github.com/acme/infra`. */
  readonly repoUrl: string;

  /** The folders of manifests to apply, each a release app's or plain ones. */
  readonly manifests: FleetManifests[];

  /**
   * The waves, in order: each starts once the one before it has released.
   * Kurator applies all its sync policies at once, so it takes one wave.
   * @default - one wave, `all`, of every cluster of the fleet
   */
  readonly waves?: FleetWave[];

  /**
   * The branch of the repository.
   * @default "main"
   */
  readonly branch?: string;

  /**
   * The name of the Kurator Application or the Argo CD ApplicationSet.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;

  /**
   * The namespace of the Application or ApplicationSet: with Kurator, the Fleet's.
   * @default - the chart's namespace; without one `default` for Kurator and `argocd` for Argo CD
   */
  readonly fleetNamespace?: string;

  /**
   * With Kurator, the name of the Kurator Fleet whose clusters receive the release.
   * @default - none; required with Kurator
   */
  readonly kuratorFleet?: string;

  /**
   * With Argo CD, the AppProject of the Applications.
   * @default "default"
   */
  readonly argoCdProject?: string;

  /**
   * With Kurator, how often Flux fetches the repository.
   * @default Duration.minutes(3)
   */
  readonly gitInterval?: Duration;

  /**
   * With Kurator, how long a fetch of the repository may take.
   * @default Duration.minutes(1)
   */
  readonly gitTimeout?: Duration;

  /**
   * With Kurator, how long Flux may take to apply a folder.
   * @default Duration.minutes(2)
   */
  readonly syncTimeout?: Duration;
}

/** A folder to apply, resolved: with the release model of its app where it has one. */
export interface ResolvedManifests {
  readonly field: string;
  /** The props as given, for the refusals of what one engine doesn't read. */
  readonly given: FleetManifests;
  readonly path: string;
  readonly app?: ReleaseApp;
  readonly model?: ReleaseModel;
  readonly targetNamespace?: string;
  /** Undefined where left out: Kurator's default then depends on the app. */
  readonly syncIntervalSeconds?: number;
  readonly include?: string;
}

const ENGINE_NAMES: Readonly<Record<FleetEngine, string>> = { [FleetEngine.KURATOR]: 'Kurator', [FleetEngine.ARGO_CD]: 'Argo CD' };

/**
 * The same release across many clusters, in waves. It takes the release apps of the charts that
 * Git holds (their folders of `dist/` in the infra repository) and emits what the engine reads:
 * a Kurator `Application` whose rollout policy is each Flagger app's plan, or an Argo CD
 * `ApplicationSet` whose `RollingSync` steps are the waves. What an engine can't carry is refused
 * by name, as with the controllers.
 */
export class Fleet extends Construct {
  /** The engine that rolls the manifests out: Kurator or Argo CD. */
  public readonly engine: FleetEngine;
  /** The Application's or ApplicationSet's name. */
  public readonly name: string;
  /** The Application's or ApplicationSet's namespace. */
  public readonly fleetNamespace: string;
  /** The waves, in order. */
  public readonly waves: FleetWave[];
  /** The Kurator Application or the Argo CD ApplicationSet (escape hatch), also `node.defaultChild`. */
  public readonly resource: ApiObject;

  /**
   * @param scope the chart of the fleet's objects, which go to the cluster that runs the engine
   * @param id the construct id; the Application's name is this id, lower-cased, unless `props.name` is given
   * @param props the engine, the repository, the folders and the waves
   */
  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    checkGiven(this, 'props', props, '{ engine: FleetEngine.ARGO_CD, repoUrl: "https://github.com/acme/infra", manifests: [...] }');
    this.engine = checkEnum(this, 'engine', props.engine, FleetEngine);
    this.name = checkDnsLabel(this, 'name', orDefault(props.name, id.toLowerCase()), '"payments"');
    const kurator = this.engine === FleetEngine.KURATOR;
    this.fleetNamespace = checkNamespace(this, 'fleetNamespace', orDefault(props.fleetNamespace, Chart.of(this).namespace ?? (kurator ? 'default' : 'argocd')));
    const repoUrl = checkRepoUrl(this, props.repoUrl);
    const branch = checkBranch(this, orDefault(props.branch, 'main'));
    this.waves = resolveWaves(this, props.waves);
    const manifests = resolveManifests(this, props.manifests);
    for (const entry of manifests) if (entry.app) joinFleet(this, `${entry.field}.app`, entry.app);
    if (kurator) {
      const resolved = this.resolveKurator(props, repoUrl, branch, manifests);
      this.resource = new ApiObject(this, 'Resource', kuratorApplication(this.name, this.fleetNamespace, resolved));
    } else {
      this.resolveArgoCd(props, manifests);
      const source: ArgoCdSource = { repoUrl, branch, project: orDefault(props.argoCdProject, 'default') };
      checkDnsLabel(this, 'argoCdProject', source.project, '"default"');
      this.resource = new ApiObject(this, 'Resource', argoCdApplicationSet(this.name, this.fleetNamespace, source, this.waves, manifests));
    }
    this.node.defaultChild = this.resource;
  }

  private resolveKurator(props: FleetProps, repoUrl: string, branch: string, manifests: ResolvedManifests[]): KuratorSync {
    if (props.kuratorFleet === undefined) fail(this, 'kuratorFleet', 'must name the Kurator Fleet with FleetEngine.KURATOR', props.kuratorFleet, 'e.g. kuratorFleet: "quickstart"');
    const fleet = checkDnsLabel(this, 'kuratorFleet', props.kuratorFleet, '"quickstart"');
    this.refuseOtherEngine('argoCdProject', props.argoCdProject, FleetEngine.ARGO_CD);
    if (this.waves.length > 1) {
      fail(this, 'waves', 'can\'t be more than one with Kurator, which applies every sync policy at once and never holds a wave for the last',
        this.waves.map(w => w.name), 'give one wave, or use FleetEngine.ARGO_CD, whose RollingSync holds each wave until the last is Healthy');
    }
    const wave = this.waves[0];
    if (wave.clusterNames !== undefined) {
      fail(this, 'waves[0].clusterNames', 'can\'t be carried by Kurator, which selects clusters by label only', wave.clusterNames, 'label the clusters and use clusterLabels');
    }
    this.refuseOtherEngine('waves[0].maxUpdate', wave.maxUpdate, FleetEngine.ARGO_CD);
    for (const entry of manifests) {
      if (entry.include !== undefined) {
        fail(this, `${entry.field}.include`, 'can\'t be carried by Kurator, whose Flux applies every file of the folder', entry.include, 'give the app a folder of its own and leave include out');
      }
      const namespace = entry.model?.namespace;
      if (entry.targetNamespace !== undefined && namespace !== undefined && entry.targetNamespace !== namespace) {
        fail(this, `${entry.field}.targetNamespace`, `would move the app's objects out of its namespace ${namespace}, as Flux's targetNamespace moves every object`,
          entry.targetNamespace, 'leave it out for an app\'s folder');
      }
      if (entry.model && entry.app && entry.model.controller === ReleaseController.FLAGGER) {
        checkKurator(entry.app, entry.model);
        entry.app._handCanaryToFleet();
      }
    }
    return {
      fleet,
      clusterLabels: wave.clusterLabels,
      repoUrl,
      branch,
      gitIntervalSeconds: this.seconds('gitInterval', props.gitInterval, 180),
      gitTimeoutSeconds: this.gitTimeout(props.gitTimeout),
      syncTimeoutSeconds: this.seconds('syncTimeout', props.syncTimeout, 120),
      manifests,
    };
  }

  /** Argo CD takes no Kurator prop, and applies every source of an Application to one destination namespace. */
  private resolveArgoCd(props: FleetProps, manifests: ResolvedManifests[]): void {
    for (const field of ['kuratorFleet', 'gitInterval', 'gitTimeout', 'syncTimeout'] as const) this.refuseOtherEngine(field, props[field], FleetEngine.KURATOR);
    for (const entry of manifests) this.refuseOtherEngine(`${entry.field}.syncInterval`, entry.given.syncInterval, FleetEngine.KURATOR);
    const named = manifests.find(entry => entry.targetNamespace !== undefined);
    if (named && manifests.length > 1) {
      fail(this, `${named.field}.targetNamespace`, 'can\'t be carried by Argo CD with several folders, which it applies to one destination namespace',
        named.targetNamespace, 'set the namespace in the manifests, or give one folder');
    }
  }

  /** A prop that only the other engine reads, refused rather than left unread. */
  private refuseOtherEngine(field: string, value: unknown, owner: FleetEngine): void {
    if (value !== undefined) fail(this, field, `is ${ENGINE_NAMES[owner]}'s, and the engine is ${ENGINE_NAMES[this.engine]}`, value, 'leave it out');
  }

  /** Flux's intervals and timeouts: 0 would never fetch again, or fail every fetch and apply. */
  private seconds(field: string, value: Duration | undefined, fallback: number): number {
    return value === undefined ? fallback : wholeSeconds(this, field, value);
  }

  /** The Kurator CRD writes a Git timeout without hours (`([0-9]+(\.[0-9]+)?(ms|s|m))+`). */
  private gitTimeout(value: Duration | undefined): number {
    const seconds = this.seconds('gitTimeout', value, 60);
    if (seconds >= 3600) fail(this, 'gitTimeout', 'must be under an hour, as Kurator\'s CRD writes it in minutes and seconds', `${seconds}s`, 'use e.g. Duration.minutes(5)');
    return seconds;
  }
}

/** A branch name: Git refuses spaces and control characters in one, and an empty one names none. */
function checkBranch(scope: Fleet, value: string): string {
  if (typeof value !== 'string' || !/^[^\s~^:?*[\\]+$/.test(value)) fail(scope, 'branch', 'must be a Git branch name', value, 'e.g. "main"');
  return value;
}

/**
 * The engine each app's release went to: with Kurator the app's chart holds no Canary, which an
 * Argo CD fleet of the same app would then apply without one.
 */
const fleetsOfApps = new WeakMap<ReleaseApp, { readonly engine: FleetEngine; readonly path: string }>();

function joinFleet(fleet: Fleet, field: string, app: ReleaseApp): void {
  const joined = fleetsOfApps.get(app);
  if (joined && joined.engine !== fleet.engine) {
    fail(fleet, field, `is released by the ${joined.engine} fleet ${joined.path} already, and one app's chart can't serve both engines`, app.node.path,
      'release the app with one engine');
  }
  fleetsOfApps.set(app, { engine: fleet.engine, path: fleet.node.path });
}

function checkRepoUrl(scope: Fleet, value: string): string {
  if (typeof value !== 'string' || !/^(https?|ssh):\/\/\S+$/.test(value)) {
    fail(scope, 'repoUrl', 'must be an http, https or ssh URL of a Git repository', value, 'e.g. "https://github.com/acme/infra"');
  }
  return value;
}

function resolveWaves(scope: Fleet, waves: FleetWave[] | undefined): FleetWave[] {
  if (waves === undefined) return [{ name: 'all' }];
  const seen = new Set<string>();
  const clusters = new Map<string, string>();
  const resolved = checkList(scope, 'waves', waves, '[{ name: "canary", clusterLabels: { stage: "canary" } }]', (field, wave) => {
    checkGiven(scope, field, wave, '{ name: "canary", clusterLabels: { stage: "canary" } }');
    checkDnsLabel(scope, `${field}.name`, wave.name, '"canary"');
    if (seen.has(wave.name)) fail(scope, `${field}.name`, 'names a wave twice', wave.name, 'give each wave its own name');
    seen.add(wave.name);
    checkLabelMap(scope, `${field}.clusterLabels`, wave.clusterLabels, '{ region: "eu" }');
    checkList(scope, `${field}.clusterNames`, wave.clusterNames, '["prod-eu-1"]', (entry, name) => {
      if (typeof name !== 'string' || !isDns1123Label(name)) fail(scope, entry, 'must be a cluster name (a DNS-1123 label)', name, 'e.g. "prod-eu-1"');
      const other = clusters.get(name);
      if (other !== undefined) fail(scope, entry, `is in wave ${other} already: a cluster gets the release once`, name, 'name each cluster in one wave');
      clusters.set(name, wave.name);
    });
    if (wave.maxUpdate !== undefined) checkPositive(scope, `${field}.maxUpdate`, wave.maxUpdate);
  });
  if (resolved.length === 0) fail(scope, 'waves', 'must hold at least one wave', waves, 'leave waves out for one wave of every cluster');
  resolved.forEach((wave, i) => {
    const selects = Object.keys(wave.clusterLabels ?? {}).length > 0 || (wave.clusterNames ?? []).length > 0;
    if (!selects && resolved.length > 1) {
      fail(scope, `${entryField('waves', i)}`, 'selects every cluster, so the other waves would release to its clusters twice', wave.name,
        'give each wave clusterLabels or clusterNames');
    }
  });
  return resolved.map(wave => ({ ...wave }));
}

function resolveManifests(scope: Fleet, manifests: FleetManifests[]): ResolvedManifests[] {
  if (!Array.isArray(manifests) || manifests.length === 0) {
    fail(scope, 'manifests', 'must hold at least one folder of manifests', manifests, 'e.g. [{ path: "./dist/payments", app: payments }]');
  }
  const resolved: ResolvedManifests[] = [];
  checkList(scope, 'manifests', manifests, '[{ path: "./dist/payments", app: payments }]', (field, entry) => {
    checkGiven(scope, field, entry, '{ path: "./dist/payments", app: payments }');
    const path = checkString(scope, `${field}.path`, entry.path, '"./dist/payments"');
    if (path.trim() === '' || path.includes('..') || path.startsWith('/')) {
      fail(scope, `${field}.path`, 'must be a folder inside the repository, relative to its root', path, 'e.g. "./dist/payments"');
    }
    const app = entry.app === undefined ? undefined : releaseApp(scope, `${field}.app`, entry.app);
    const model = app?._releaseModel();
    if (app && model!.namespace === undefined) {
      fail(app, 'namespace', 'must be set when a fleet applies the app: its objects go to many clusters, and each needs a namespace', undefined,
        'set the app\'s namespace, or its chart\'s');
    }
    const targetNamespace = entry.targetNamespace === undefined ? undefined : checkNamespace(scope, `${field}.targetNamespace`, entry.targetNamespace);
    const syncIntervalSeconds = entry.syncInterval === undefined ? undefined : checkSeconds(scope, `${field}.syncInterval`, entry.syncInterval);
    const include = entry.include === undefined ? undefined : checkString(scope, `${field}.include`, entry.include, '"payments.k8s.yaml"');
    resolved.push({ field, given: entry, path, app, model, targetNamespace, syncIntervalSeconds, include });
  });
  return resolved;
}

function releaseApp(scope: Fleet, field: string, value: unknown): ReleaseApp {
  if (!(value instanceof ReleaseApp)) fail(scope, field, 'must be a BlueGreenApp or a CanaryApp', value, 'pass the app construct of the chart that Git holds');
  return value;
}
