export * from './kommuner';
export * from './kommune-code-changes';
export * from './observations';
export * from './raw-responses';
export * from './score-runs';
export * from './scores';
export * from './job-runs';
export * from './source-status';
