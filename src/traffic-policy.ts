import { Duration } from 'cdk8s';
import { istioDuration, millisText } from './duration';
import { isHeaderName } from './names';
import { checkEnum, checkToken, fail } from './validate';

/**
 * DestinationRule traffic policies, with Istio's field names: for the whole host (the app's
 * `trafficPolicy`) or for one subset (a version's `trafficPolicy`).
 */

/** Istio's simple load balancing algorithms. */
export enum SimpleLoadBalancer {
  /** Favours the pods with the fewest outstanding requests; Istio's default. */
  LEAST_REQUEST = 'LEAST_REQUEST',
  /** Each pod in turn. */
  ROUND_ROBIN = 'ROUND_ROBIN',
  /** A random healthy pod. */
  RANDOM = 'RANDOM',
  /** No load balancing: the connection goes to the IP address the caller asked for. Use with care. */
  PASSTHROUGH = 'PASSTHROUGH',
}

/** The longest duration Istio reads, in whole milliseconds: Go's time.Duration holds 2^63-1 nanoseconds. */
const MAX_GO_DURATION_MILLIS = 9_223_372_036_854;

/** How requests are spread over the pods of a version. */
export class LoadBalancer {
  /** A simple algorithm. */
  public static simple(algorithm: SimpleLoadBalancer): LoadBalancer {
    return new LoadBalancer({ simple: checkEnum('LoadBalancer.simple', 'algorithm', algorithm, SimpleLoadBalancer) }, false);
  }

  /** Consistent hashing on a request header, named in lower case: the same value reaches the same pod. */
  public static hashHeader(name: string): LoadBalancer {
    checkToken('LoadBalancer.hashHeader', 'name', name, 'a lower-case header name', '"x-user"', isHeaderName);
    return new LoadBalancer({ consistentHash: { httpHeaderName: name } }, true);
  }

  /**
   * Consistent hashing on a cookie, which the proxy sets when the request has none, to expire
   * after `ttl`; with a `ttl` of 0 it sets a session cookie.
   */
  public static hashCookie(name: string, ttl: Duration): LoadBalancer {
    checkToken('LoadBalancer.hashCookie', 'name', name, 'a cookie name', '"session"');
    // A Duration is never negative; the proxy reads the ttl as a Go time.Duration.
    const millis = ttl instanceof Duration ? ttl.toMilliseconds({ integral: false }) : NaN;
    if (!Number.isInteger(millis) || millis > MAX_GO_DURATION_MILLIS) {
      fail('LoadBalancer.hashCookie', 'ttl', 'must be a Duration of whole milliseconds, from 0 to about 292 years (Go\'s time.Duration, in which Istio reads it)',
        ttl, 'use e.g. Duration.hours(1), or Duration.millis(0) for a session cookie');
    }
    return new LoadBalancer({ consistentHash: { httpCookie: { name, ttl: millisText(millis) } } }, true);
  }

  /** Consistent hashing on the caller's IP address. */
  public static hashSourceIp(): LoadBalancer {
    return new LoadBalancer({ consistentHash: { useSourceIp: true } }, true);
  }

  /** Consistent hashing on a query parameter. */
  public static hashQueryParameter(name: string): LoadBalancer {
    checkToken('LoadBalancer.hashQueryParameter', 'name', name, 'a query parameter name', '"user"');
    return new LoadBalancer({ consistentHash: { httpQueryParameterName: name } }, true);
  }

  private constructor(
    /** Istio's `loadBalancer` field. */
    public readonly spec: { readonly [key: string]: unknown },
    /** Whether this is consistent hashing, which pins users to pods. */
    public readonly consistentHash: boolean,
  ) {}

  /** How the load balancer reads in error messages: as Istio writes it. */
  public toJSON(): { readonly [key: string]: unknown } {
    return this.spec;
  }
}

/** Connection limits towards the pods, as Istio's `connectionPool`. */
export interface ConnectionPoolOptions {
  /**
   * Most TCP connections to each pod.
   * @default - Istio's default: 2^32-1
   */
  readonly maxConnections?: number;

  /**
   * TCP connect timeout.
   * @default - Istio's default: 10s
   */
  readonly connectTimeout?: Duration;

  /**
   * Most requests queued while waiting for a connection.
   * @default - Istio's default: 2^32-1
   */
  readonly http1MaxPendingRequests?: number;

  /**
   * Most active requests to a pod.
   * @default - Istio's default: 2^32-1
   */
  readonly http2MaxRequests?: number;

  /**
   * Most requests per connection; 1 turns keep-alive off.
   * @default - Istio's default: unlimited
   */
  readonly maxRequestsPerConnection?: number;
}

/** Ejection of failing pods from the pool, as Istio's `outlierDetection` (circuit breaking). */
export interface OutlierDetectionOptions {
  /**
   * 5xx answers in a row that eject a pod.
   * @default - Istio's default: 5
   */
  readonly consecutive5xxErrors?: number;

  /**
   * How often pods are checked.
   * @default - Istio's default: 10s
   */
  readonly interval?: Duration;

  /**
   * How long a pod is ejected at least.
   * @default - Istio's default: 30s
   */
  readonly baseEjectionTime?: Duration;

  /**
   * The most pods that may be ejected, as a percentage.
   * @default - Istio's default: 10
   */
  readonly maxEjectionPercent?: number;
}

/** TLS towards the pods. */
export enum ClientTlsMode {
  /** Plain text: no TLS connection to the pods. */
  DISABLE = 'DISABLE',
  /**
   * TLS to the pods, without a client certificate. Proxies need the CA certificates that signed
   * the pods' certificate, which a TrafficPolicy has no props for: use ISTIO_MUTUAL.
   */
  SIMPLE = 'SIMPLE',
  /**
   * Mutual TLS with client certificates of your own, not Istio's. Istio's webhook refuses it
   * without a client certificate and key, which a TrafficPolicy has no props for: use ISTIO_MUTUAL.
   */
  MUTUAL = 'MUTUAL',
  /** Istio's mutual TLS with its own certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** A DestinationRule traffic policy. */
export interface TrafficPolicy {
  /**
   * Load balancing.
   * @default - Istio's default: LEAST_REQUEST
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Connection limits.
   * @default - Istio's defaults
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Circuit breaking.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetectionOptions;

  /**
   * TLS towards the pods.
   * @default - Istio's default: ISTIO_MUTUAL where the pods have sidecars
   */
  readonly tlsMode?: ClientTlsMode;
}

/** The policy as Istio's `trafficPolicy`, or undefined when nothing is set. */
export function trafficPolicySpec(policy: TrafficPolicy | undefined): { [key: string]: unknown } | undefined {
  if (!policy) return undefined;
  const pool = policy.connectionPool;
  const outlier = policy.outlierDetection;
  const d = (duration?: Duration) => duration && istioDuration(duration);
  const spec = prune({
    loadBalancer: policy.loadBalancer?.spec,
    connectionPool: pool && prune({
      tcp: prune({ maxConnections: pool.maxConnections, connectTimeout: d(pool.connectTimeout) }),
      http: prune({
        http1MaxPendingRequests: pool.http1MaxPendingRequests,
        http2MaxRequests: pool.http2MaxRequests,
        maxRequestsPerConnection: pool.maxRequestsPerConnection,
      }),
    }),
    outlierDetection: outlier && prune({
      consecutive5xxErrors: outlier.consecutive5xxErrors,
      interval: d(outlier.interval),
      baseEjectionTime: d(outlier.baseEjectionTime),
      maxEjectionPercent: outlier.maxEjectionPercent,
    }),
    tls: policy.tlsMode && { mode: policy.tlsMode },
  });
  return spec;
}

/** Drops undefined fields, and returns undefined for an object left empty, as Istio's YAML has them. */
export function prune<T extends { [key: string]: unknown }>(object: T): T | undefined {
  const kept = Object.entries(object).filter(([, value]) => value !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept) as T;
}
