import { checkPercent, checkReplicas } from './validate';

/**
 * How many pods of a version may be evicted at once during voluntary disruptions (node drains,
 * cluster upgrades): a `policy/v1` PodDisruptionBudget per version.
 */
export class DisruptionBudget {
  /** Keep at least this many pods of each version running. */
  public static minAvailable(pods: number): DisruptionBudget {
    return new DisruptionBudget('minAvailable', checkReplicas('DisruptionBudget.minAvailable', 'pods', pods), false);
  }

  /** Keep at least this percentage of each version's pods running. */
  public static minAvailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget('minAvailable', checkPercent('DisruptionBudget.minAvailablePercent', 'percent', percent), true);
  }

  /** Evict at most this many pods of each version at once. */
  public static maxUnavailable(pods: number): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', checkReplicas('DisruptionBudget.maxUnavailable', 'pods', pods), false);
  }

  /** Evict at most this percentage of each version's pods at once. */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', checkPercent('DisruptionBudget.maxUnavailablePercent', 'percent', percent), true);
  }

  private constructor(
    /** The PodDisruptionBudget field this budget sets. */
    public readonly field: 'minAvailable' | 'maxUnavailable',
    /** A number of pods, or a percentage. */
    public readonly amount: number,
    /** Whether `amount` is a percentage. */
    public readonly percent: boolean,
  ) {}
}

/** Horizontal pod autoscaling of each version, on CPU. */
export interface AutoscalingOptions {
  /** The most pods a version may scale to. */
  readonly maxReplicas: number;

  /**
   * The average CPU use, as a percentage of the pods' CPU request, that the autoscaler aims for.
   * @default 80
   */
  readonly cpuUtilization?: number;
}
