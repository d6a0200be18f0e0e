import { ParseError, parseIntStrict } from '../parse-error.js';

/** OOM_SCORE_ADJ_MIN and OOM_SCORE_ADJ_MAX in include/uapi/linux/oom.h. */
export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;

/** Parses /proc/<pid>/oom_score_adj: one integer in [-1000, 1000], optionally newline-terminated. */
export function parseOomScoreAdj(text: string, source = '/proc/<pid>/oom_score_adj'): number {
  const adj = parseIntStrict(text.endsWith('\n') ? text.slice(0, -1) : text, source, 'oom_score_adj');
  if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX) {
    throw new ParseError(source, `oom_score_adj out of range [${OOM_SCORE_ADJ_MIN}, ${OOM_SCORE_ADJ_MAX}]: ${adj}`);
  }
  return adj + 0; // "-0" would otherwise come back as -0
}
