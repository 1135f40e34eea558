import { App } from 'cdk8s';
import { NginxBlueGreen } from './nginx-blue-green';
import { PodinfoBlueGreen } from './podinfo-blue-green';
import { ReviewsCanary } from './reviews-canary';
import { VersionTestCanary } from './version-test-canary';
import { WeatherCanary } from './weather-canary';

/** The seed scenarios, one chart (and one file in dist/) each. */
export function buildExamples(app: App): void {
  new NginxBlueGreen(app);
  new WeatherCanary(app);
  new PodinfoBlueGreen(app);
  new VersionTestCanary(app);
  new ReviewsCanary(app);
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
