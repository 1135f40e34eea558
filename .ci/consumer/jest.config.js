module.exports = { testEnvironment: 'node', preset: 'ts-jest', setupFilesAfterEnv: ['cdk8s-istio-release/jest'] };
