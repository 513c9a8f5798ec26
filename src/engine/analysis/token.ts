/** One token produced by an analyzer: its term, position and character offsets in the input. */
export interface Token {
  term: string;
  position: number;
  start: number;
  end: number;
}
