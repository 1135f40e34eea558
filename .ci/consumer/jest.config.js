module.exports = { testEnvironment: 'node', preset: 'ts-jest' };
