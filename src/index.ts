/**
 * cdk8s constructs for blue/green and canary releases on Istio: {@link BlueGreenApp} and
 * {@link CanaryApp} emit the Deployments, Service, DestinationRule and VirtualService of a release,
 * optionally behind an {@link IstioGateway}. {@link RouteCheck} runs {@link verifyManifests} over
 * every chart that holds them, and fails the synth on any error it finds.
 *
 * @module cdk8s-istio-release
 */

export { BlueGreenApp, Color, CutoverMode } from './blue-green-app';
export type { BlueGreenAppProps, PreviewOptions } from './blue-green-app';
export { CanaryApp } from './canary-app';
export type { CanaryAppProps } from './canary-app';
export * from './istio-gateway';
export type { ServerModel } from './render/istio';
export { IstioApiVersion, Protocol } from './model';
export type { AppPort, AppPortOptions, IReleaseApp, ReleaseAppProps } from './release-app';
export type { RoutingProps } from './release-routing';
export { RouteCheck, WarningPolicy } from './route-check';
export { RouteMatch, RouteTarget, StringMatch } from './routing';
export type { FaultOptions, MatchSpec, MirrorOptions, RetryOptions, RoutePolicy, StickySessionOptions, StringMatchSpec, TesterRoute } from './routing';
export { ClientTlsMode, LoadBalancer, SimpleLoadBalancer } from './traffic-policy';
export type { ConnectionPoolOptions, OutlierDetectionOptions, TrafficPolicy } from './traffic-policy';
export * from './scaling';
export { AnalysisMetric } from './analysis-metric';
export type { MetricRange } from './analysis-metric';
export { AnalysisTemplateRef, AntiAffinity, CanaryScale, StepPause } from './argo-options';
export type { ArgoBlueGreenOptions, ArgoCanaryOptions, ArgoRolloutOptions, RolePodMetadata } from './argo-options';
export { ArgoRouting, DataPlane, FlaggerAlertSeverity, FlaggerWebhookType, Plan, ReleaseController, synthSteps, TrafficApi } from './plan';
export type { AnalysisOptions, BlueGreenPlan, CanaryPlan, FlaggerAlert, FlaggerOptions, FlaggerWebhook, IStepBuilder, LinearSteps } from './plan';
export { Fleet, FleetEngine } from './fleet';
export type { FleetManifests, FleetProps, FleetWave } from './fleet';
export { Waypoint } from './waypoint';
export type { IWaypoint, WaypointProps } from './waypoint';
export * from './workload-props';
export * from './verify';
export * from './diagram';
