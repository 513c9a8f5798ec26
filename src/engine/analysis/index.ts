export { analyze, analyzeTokens, analyzerOrStandard, isKnownAnalyzer, namedAnalyzer, type Analyzer } from './analyzers.ts';
export { standardTokens, MAX_TOKEN_LENGTH } from './standard.ts';
export type { Token } from './token.ts';
