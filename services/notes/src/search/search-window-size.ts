/**
 * How many of the most recently changed notes the window of recent changes keeps (search-window.ts),
 * written into its row by migration 021; an operator may change `note_search_window.size`.
 */
export const RECENT_WINDOW_SIZE = 1000;
