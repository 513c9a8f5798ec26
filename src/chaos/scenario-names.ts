/** The chaos scenarios' names (kept apart from their code so that the CLI loads nothing heavy to parse options). */
export const SCENARIOS = ['baseline', 'latency-50', 'latency-200', 'latency-500', 'jitter', 'resets', 'outages', 'bandwidth', 'cpu', 'combined', 'instance-restart', 'migration'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}
