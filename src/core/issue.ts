import type { Location } from './location.js';

// ---------------------------------------------------------------------------------------------
// Parse results
// ---------------------------------------------------------------------------------------------

export interface ParseIssue {
  message: string;
  loc: Location;
}
