// Public API of the compatibility runner (SPEC §9).
export {
  runStories,
  countTotals,
  type RunOptions,
  type SkipList,
  type CompatResult,
  type CompatTotals,
  type ChapterResult,
  type ChapterStatus,
  type StoryWarning,
} from './runner.ts';
export { loadStories, parseStory, DEFAULT_STORIES_DIR, type Story, type StoryFile, type Chapter, type Step } from './story.ts';
export { formatReport, formatChapter, formatWarning, formatTotals } from './report.ts';
export { DEFAULT_TARGET, gateReason, type Target } from './gating.ts';
export { compatCommand } from './cli.ts';
